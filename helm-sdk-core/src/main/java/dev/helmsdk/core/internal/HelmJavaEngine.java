package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.UninstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.LintSpec;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.api.spi.ReleaseQuery;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The real engine: changes go through Helm (helm-java, in this JVM), reads of release records go
 * straight to the Kubernetes API in Java. Thread-safe: it holds no per-call state.
 */
public final class HelmJavaEngine implements HelmEngine {

    /**
     * The Kubernetes version assumed where no cluster is consulted: that of the client-go inside
     * helm-java 0.0.21 (v0.35). helm-java does not stamp it into Helm at build time as the Helm CLI
     * does, so without it Helm would assume v1.20.0 and reject charts such as podinfo that require
     * a newer one.
     */
    public static final String DEFAULT_KUBE_VERSION = "v1.35.0";

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final KubeAccess kube;
    private final WorkDirectory workDir;
    private final OperationRunner runner;
    private final ReleaseStore store;
    private final ValuesMerger merger;
    private final ManifestParser manifests;
    private final ChartSource charts;
    private final ObjectMapper json;
    private final ChartRebuilder rebuilder;
    private final int maxHistory;

    /** How helm-java reaches the cluster: a kubeconfig file or its contents. */
    public record KubeAccess(Path file, String contents) {
        void apply(InstallCommand c) {
            if (file != null) c.withKubeConfig(file); else c.withKubeConfigContents(contents);
        }

        void apply(UpgradeCommand c) {
            if (file != null) c.withKubeConfig(file); else c.withKubeConfigContents(contents);
        }

        void apply(UninstallCommand c) {
            if (file != null) c.withKubeConfig(file); else c.withKubeConfigContents(contents);
        }
    }

    public HelmJavaEngine(KubernetesClient client, boolean ownsClient, KubeAccess kube, WorkDirectory workDir,
                          OperationRunner runner, ObjectMapper json, ObjectMapper yaml, int maxHistory) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.kube = kube;
        this.workDir = workDir;
        this.runner = runner;
        this.json = json;
        this.store = new ReleaseStore(client, json);
        this.merger = new ValuesMerger(yaml);
        this.manifests = new ManifestParser(yaml);
        this.charts = new ChartSource(workDir.path(), yaml);
        this.rebuilder = new ChartRebuilder(yaml);
        this.maxHistory = maxHistory;
        NativeHelm.prepare();
    }

    // ---- changes, through Helm -------------------------------------------------------------

    @Override
    public Release install(DeploySpec spec) {
        return change(Operation.INSTALL, spec, valuesFile -> {
            ChartSource.Resolved chart = charts.resolve(Operation.INSTALL, spec.releaseName(), spec.chart());
            InstallCommand c = Helm.install(chart.reference()).withName(spec.releaseName()).withNamespace(spec.namespace())
                    .withValuesFile(valuesFile).withTimeout(helmSeconds(spec));
            if (chart.version() != null) c.withVersion(chart.version());
            if (spec.createNamespace()) c.createNamespace();
            if (spec.waitReady()) c.waitReady();
            if (!spec.description().isEmpty()) c.withDescription(spec.description());
            if (spec.skipCrds()) c.skipCrds();
            kube.apply(c);
            return Integer.parseInt(c.call().getRevision());
        });
    }

    @Override
    public Release upgrade(DeploySpec spec) {
        return change(Operation.UPGRADE, spec, valuesFile -> {
            ChartSource.Resolved chart = charts.resolve(Operation.UPGRADE, spec.releaseName(), spec.chart());
            UpgradeCommand c = Helm.upgrade(chart.reference()).withName(spec.releaseName()).withNamespace(spec.namespace())
                    .withValuesFile(valuesFile).withTimeout(helmSeconds(spec));
            if (chart.version() != null) c.withVersion(chart.version());
            if (spec.installIfAbsent()) c.install();
            if (spec.createNamespace()) c.createNamespace();
            if (spec.waitReady()) c.waitReady();
            if (spec.reuseValues()) c.reuseValues();
            if (spec.resetValues()) c.resetValues();
            if (spec.force()) c.force();
            if (!spec.description().isEmpty()) c.withDescription(spec.description());
            if (spec.skipCrds()) c.skipCrds();
            kube.apply(c);
            return Integer.parseInt(c.call().getRevision());
        });
    }

    private interface NativeChange {
        int run(Path valuesFile);
    }

    /** Validates, writes the merged values, runs the native change, and reads back the stored revision. */
    private Release change(Operation op, DeploySpec spec, NativeChange body) {
        return runner.run(op, spec.releaseName(), spec.namespace(), spec.timeouts().total(spec.waitReady()), () -> {
            int revision = withValuesFile(op, spec, valuesFile -> nativeCall(op, spec, () -> body.run(valuesFile)));
            return afterChange(op, spec.namespace(), spec.releaseName(), revision);
        });
    }

    /** Prunes the history to maxHistory and reads back the new revision as Helm stored it. */
    private Release afterChange(Operation op, String namespace, String release, int revision) {
        // Revisions are numbered from 1, so up to maxHistory of them cannot need pruning: skip the LIST.
        if (maxHistory > 0 && revision > maxHistory) {
            store.pruneHistory(op, namespace, release, maxHistory);
        }
        return store.revision(op, namespace, release, revision).toRelease(namespace);
    }

    @Override
    public Release rollback(RollbackSpec spec) {
        Operation op = Operation.ROLLBACK;
        String name = spec.releaseName();
        String ns = spec.namespace();
        return runner.run(op, name, ns, spec.timeouts().total(spec.waitReady()), () -> {
            List<StoredRelease> all = store.revisions(op, ns, name);
            if (all.isEmpty()) {
                throw ReleaseStore.notFound(op, ns, name);
            }
            int latest = all.get(all.size() - 1).revision();
            if (all.size() == 1) {
                throw new InvalidRequestException(op, name, "release '" + name + "' in namespace '" + ns
                        + "' has a single revision (" + latest + "): there is nothing to roll back to");
            }
            int target = spec.revision() > 0 ? spec.revision() : all.get(all.size() - 2).revision();
            StoredRelease to = all.stream().filter(r -> r.revision() == target).findFirst().orElseThrow(() ->
                    new ReleaseNotFoundException(op, name, "release '" + name + "' in namespace '" + ns + "' has no revision "
                            + target + "; stored revisions: " + all.stream().map(StoredRelease::revision).toList()));
            Path chartDir = rebuilder.rebuild(to, workDir.path().resolve("rollback-" + java.util.UUID.randomUUID()));
            try {
                int revision = withValuesFile(to.config(json), valuesFile -> {
                    Duration helmTimeout = spec.waitReady() ? spec.timeouts().readiness() : spec.timeouts().start();
                    UpgradeCommand c = Helm.upgrade(chartDir.toString()).withName(name).withNamespace(ns)
                            .withValuesFile(valuesFile).resetValues().withDescription("Rollback to " + target)
                            .withTimeout(seconds(helmTimeout));
                    if (spec.waitReady()) c.waitReady();
                    if (spec.force()) c.force();
                    if (spec.cleanupOnFail()) c.cleanupOnFail();
                    kube.apply(c);
                    return nativeCall(op, name, ns, helmTimeout, () -> Integer.parseInt(c.call().getRevision()));
                });
                return afterChange(op, ns, name, revision);
            } finally {
                WorkDirectory.deleteTree(chartDir);
            }
        });
    }

    @Override
    public DryRunResult dryRun(DeploySpec spec, boolean upgrade, DryRunMode mode) {
        Operation op = Operation.DRY_RUN;
        return runner.run(op, spec.releaseName(), spec.namespace(), spec.timeouts().start(), () -> withValuesFile(op, spec, valuesFile -> {
            ChartSource.Resolved chart = charts.resolve(op, spec.releaseName(), spec.chart());
            String output;
            if (mode == DryRunMode.SERVER && upgrade) {
                UpgradeCommand c = Helm.upgrade(chart.reference()).withName(spec.releaseName()).withNamespace(spec.namespace())
                        .withValuesFile(valuesFile).withTimeout(helmSeconds(spec)).dryRun().withDryRunOption(DryRun.SERVER);
                if (chart.version() != null) c.withVersion(chart.version());
                if (spec.installIfAbsent()) c.install();
                if (spec.reuseValues()) c.reuseValues();
                if (spec.resetValues()) c.resetValues();
                kube.apply(c);
                output = nativeCall(op, spec, () -> c.call().getOutput());
            } else {
                // Client mode renders as an install would; it does not read the current release.
                InstallCommand c = Helm.install(chart.reference()).withName(spec.releaseName()).withNamespace(spec.namespace())
                        .withValuesFile(valuesFile).withTimeout(helmSeconds(spec)).dryRun()
                        .withDryRunOption(mode == DryRunMode.SERVER ? DryRun.SERVER : DryRun.CLIENT);
                if (chart.version() != null) c.withVersion(chart.version());
                if (mode == DryRunMode.CLIENT) c.clientOnly().withKubeVersion(kubeVersion(spec)); else kube.apply(c);
                output = nativeCall(op, spec, () -> c.call().getOutput());
            }
            RenderedManifest rendered = renderTemplate(op, spec, chart, valuesFile);
            return new DryRunResult(spec.releaseName(), spec.namespace(), mode, upgrade, rendered, notes(output));
        }));
    }

    @Override
    public Release uninstall(UninstallSpec spec) {
        Operation op = Operation.UNINSTALL;
        return runner.run(op, spec.releaseName(), spec.namespace(), spec.timeouts().start(), () -> {
            Release before = store.revision(op, spec.namespace(), spec.releaseName(), 0).toRelease(spec.namespace());
            UninstallCommand c = Helm.uninstall(spec.releaseName()).withNamespace(spec.namespace());
            if (spec.keepHistory()) c.keepHistory();
            kube.apply(c);
            nativeCall(op, spec.releaseName(), spec.namespace(), spec.timeouts().start(), c::call);
            return before;
        });
    }

    // ---- local rendering ----------------------------------------------------------------------

    @Override
    public RenderedManifest template(DeploySpec spec) {
        Operation op = Operation.TEMPLATE;
        return runner.run(op, spec.releaseName(), spec.namespace(), spec.timeouts().start(), () -> withValuesFile(op, spec,
                valuesFile -> renderTemplate(op, spec, charts.resolve(op, spec.releaseName(), spec.chart()), valuesFile)));
    }

    private RenderedManifest renderTemplate(Operation op, DeploySpec spec, ChartSource.Resolved chart, Path valuesFile) {
        TemplateCommand c = Helm.template(chart.reference()).withName(spec.releaseName()).withNamespace(spec.namespace())
                .withValuesFile(valuesFile).withKubeVersion(kubeVersion(spec));
        if (chart.version() != null) c.withVersion(chart.version());
        if (spec.skipCrds()) c.skipCrds();
        return manifests.parse(nativeCall(op, spec, c::call));
    }

    @Override
    public LintReport lint(LintSpec spec) {
        Operation op = Operation.LINT;
        return runner.run(op, null, "", spec.timeouts().start(), () -> {
            Path path;
            if (spec.chart() instanceof ChartRef.Directory d) {
                path = d.path();
            } else if (spec.chart() instanceof ChartRef.Archive a) {
                path = a.path();
            } else {
                throw new InvalidRequestException(op, null, "lint needs a local chart (directory or archive), got "
                        + spec.chart().describe());
            }
            charts.checkLocal(op, null, spec.chart());
            var c = new Helm(path.toAbsolutePath()).lint();
            if (spec.strict()) c.strict();
            LintResult r = nativeCall(op, null, "", spec.timeouts().start(), c::call);
            return new LintReport(r.isFailed(), r.getMessages());
        });
    }

    // ---- reads, in Java ------------------------------------------------------------------------

    @Override
    public Release status(ReleaseQuery q) {
        return runner.runInline(Operation.STATUS, q.releaseName(), q.namespace(), q.timeouts().start(),
                () -> store.revision(Operation.STATUS, q.namespace(), q.releaseName(), q.revision()).toRelease(q.namespace()));
    }

    @Override
    public List<Release> history(ReleaseQuery q) {
        return runner.runInline(Operation.HISTORY, q.releaseName(), q.namespace(), q.timeouts().start(), () -> {
            List<StoredRelease> all = store.revisions(Operation.HISTORY, q.namespace(), q.releaseName());
            if (all.isEmpty()) {
                throw ReleaseStore.notFound(Operation.HISTORY, q.namespace(), q.releaseName());
            }
            return all.stream().map(r -> r.toRelease(q.namespace())).toList();
        });
    }

    @Override
    public List<Release> list(ListSpec spec) {
        String ns = spec.namespace();
        return runner.runInline(Operation.LIST, null, ns == null ? "*" : ns, spec.timeouts().start(), () -> {
            List<Release> out = new ArrayList<>();
            for (ReleaseStore.StoredReleaseIn latest : store.latestOfEach(Operation.LIST, ns)) {
                Release r = store.decode(Operation.LIST, latest).toRelease(latest.namespace());
                if (spec.includes(r.status())) {
                    out.add(r);
                }
            }
            out.sort(Comparator.comparing(Release::namespace).thenComparing(Release::name));
            return List.copyOf(out);
        });
    }

    @Override
    public Map<String, Object> values(ReleaseQuery q, boolean all) {
        return runner.runInline(Operation.VALUES, q.releaseName(), q.namespace(), q.timeouts().start(), () -> {
            StoredRelease r = store.revision(Operation.VALUES, q.namespace(), q.releaseName(), q.revision());
            if (!all) {
                return r.config(json);
            }
            Map<String, Object> merged = new LinkedHashMap<>();
            ValuesMerger.deepMerge(merged, r.chartValues(json));
            ValuesMerger.deepMerge(merged, r.config(json));
            pruneNulls(merged);
            return merged;
        });
    }

    @Override
    public String manifest(ReleaseQuery q) {
        return runner.runInline(Operation.MANIFEST, q.releaseName(), q.namespace(), q.timeouts().start(),
                () -> store.revision(Operation.MANIFEST, q.namespace(), q.releaseName(), q.revision()).manifest());
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private interface ValuesBody<T> {
        T run(Path valuesFile);
    }

    /** Merges the values into a private file for Helm, deleted when the call is done. */
    private <T> T withValuesFile(Operation op, DeploySpec spec, ValuesBody<T> body) {
        if (spec.chart() != null) {
            charts.checkLocal(op, spec.releaseName(), spec.chart());
        }
        return withValuesFile(merger.merge(op, spec.releaseName(), spec.values()), body);
    }

    /** Writes values into a private file for Helm, deleted when the call is done. */
    private <T> T withValuesFile(Map<String, Object> values, ValuesBody<T> body) {
        Path file;
        try {
            file = Files.createTempFile(workDir.path(), "values-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            json.writeValue(file.toFile(), values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write values into " + workDir.path(), e);
        }
        try {
            return body.run(file);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // The work directory is removed on close anyway.
            }
        }
    }

    private <T> T nativeCall(Operation op, DeploySpec spec, Supplier<T> call) {
        return nativeCall(op, spec.releaseName(), spec.namespace(), Duration.ofSeconds(helmSeconds(spec)), call);
    }

    private static <T> T nativeCall(Operation op, String release, String namespace, Duration helmTimeout, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw HelmErrors.translate(op, release, namespace, helmTimeout, e);
        } finally {
            NativeHelm.restoreSignalHandlers();
        }
    }

    /** Helm's own --timeout: it bounds the readiness wait and hooks, so it gets the readiness limit when waiting. */
    private static int helmSeconds(DeploySpec spec) {
        return seconds(spec.waitReady() ? spec.timeouts().readiness() : spec.timeouts().start());
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }

    private static String kubeVersion(DeploySpec spec) {
        return spec.kubeVersion().isEmpty() ? DEFAULT_KUBE_VERSION : spec.kubeVersion();
    }

    static String notes(String output) {
        if (output == null) {
            return "";
        }
        int i = output.indexOf("NOTES:\n");
        return i < 0 ? "" : output.substring(i + "NOTES:\n".length()).strip();
    }

    @SuppressWarnings("unchecked")
    private static void pruneNulls(Map<String, Object> m) {
        m.values().removeIf(v -> v == null);
        for (Object v : m.values()) {
            if (v instanceof Map) {
                pruneNulls((Map<String, Object>) v);
            }
        }
    }

    @Override
    public void close() {
        runner.close();
        if (ownsClient) {
            client.close();
        }
        workDir.close();
    }

    @Override
    public String toString() {
        return "HelmJavaEngine[" + client.getMasterUrl() + "]";
    }
}
