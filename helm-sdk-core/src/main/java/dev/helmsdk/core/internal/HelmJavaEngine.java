package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseBusyException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.LintSpec;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.api.spi.ReleaseQuery;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;
import dev.helmsdk.core.internal.readiness.ReadinessWaiter;
import dev.helmsdk.core.internal.values.HelmValuesJson;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The real engine: changes go through Helm (helm-java, in this JVM), reads of release records go
 * straight to the Kubernetes API in Java. Thread-safe: it holds no per-call state.
 */
public final class HelmJavaEngine implements HelmEngine {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HelmJavaEngine.class);

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
    private final ObjectMapper yaml;
    private final ChartRebuilder rebuilder;
    private final int maxHistory;
    private final NativeHelmCalls helm;
    private final ReleaseLocks locks;
    private final Duration recoverStuckAfter;
    private final ReadinessPhase readinessPhase;
    private final ReleaseReads reads;
    private final UpgradeComparison comparison;

    /**
     * How Helm reaches the cluster: a kubeconfig file, or kubeconfig contents asked for at each call
     * (so that a credential the SDK hands Helm is the current one, not the one of build time).
     */
    public record KubeAccess(Path file, java.util.function.Supplier<String> contents) {

        /** Helm reads this file itself at each call. */
        public static KubeAccess ofFile(Path file) {
            return new KubeAccess(java.util.Objects.requireNonNull(file, "file"), null);
        }

        /** Helm gets these contents at each call. */
        public static KubeAccess ofContents(String yaml) {
            java.util.Objects.requireNonNull(yaml, "yaml");
            return new KubeAccess(null, () -> yaml);
        }

        /** Helm gets what this returns at each call. */
        public static KubeAccess ofContents(java.util.function.Supplier<String> yaml) {
            return new KubeAccess(null, java.util.Objects.requireNonNull(yaml, "yaml"));
        }

        /** The contents for the call about to start, or {@code null} with a file. */
        public String contentsNow() {
            return contents == null ? null : contents.get();
        }

        /** Never the contents: they hold credentials. */
        @Override
        public String toString() {
            return file != null ? "KubeAccess[file=" + file + "]" : "KubeAccess[contents]";
        }
    }

    public HelmJavaEngine(KubernetesClient client, boolean ownsClient, KubeAccess kube, WorkDirectory workDir,
                          OperationRunner runner, ObjectMapper json, ObjectMapper yaml, int maxHistory, NativeHelmCalls helm,
                          ReleaseLocks locks, Duration recoverStuckAfter, dev.helmsdk.core.ChartSources sources) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.kube = kube;
        this.workDir = workDir;
        this.runner = runner;
        this.json = json;
        this.yaml = yaml;
        BoundedClient bounded = runner.bound(client);
        this.store = new ReleaseStore(bounded, json);
        this.reads = new ReleaseReads(runner, store, json);
        this.merger = new ValuesMerger();
        this.manifests = new ManifestParser(yaml);
        this.charts = new ChartSource(new dev.helmsdk.core.internal.source.RemoteCharts(sources, workDir.path().resolve("charts"), runner.registry()), client);
        this.rebuilder = new ChartRebuilder(yaml);
        this.maxHistory = maxHistory;
        this.helm = helm;
        this.locks = locks;
        this.recoverStuckAfter = recoverStuckAfter;
        this.comparison = new UpgradeComparison(json, yaml, manifests);
        this.readinessPhase = new ReadinessPhase(store, new ReadinessWaiter(client, bounded::get,
                dev.helmsdk.core.internal.readiness.ReadinessOptions.ofDefaults()), locks.identity(), this::runTests);
    }

    // ---- changes, through Helm -------------------------------------------------------------

    /** A call for a chart request: release, namespace, chart, values file, cluster access, timeout. */
    private HelmCall.Builder call(HelmCall.Kind kind, DeploySpec spec, ChartSource.Resolved chart, Path valuesFile) {
        return HelmCall.of(kind, spec.releaseName(), spec.namespace()).chart(chart.reference(), chart.version())
                .valuesFile(valuesFile).kube(kube).timeoutSeconds(helmSeconds(spec))
                .flag(HelmCall.Flag.SKIP_CRDS, spec.skipCrds());
    }

    @Override
    public Release install(DeploySpec spec) {
        return change(Operation.INSTALL, spec, (chart, valuesFile) -> call(HelmCall.Kind.INSTALL, spec, chart, valuesFile)
                .description(spec.description())
                .flag(HelmCall.Flag.CREATE_NAMESPACE, spec.createNamespace()).build());
    }

    @Override
    public Release upgrade(DeploySpec spec) {
        return change(Operation.UPGRADE, spec, (chart, valuesFile) -> call(HelmCall.Kind.UPGRADE, spec, chart, valuesFile)
                .description(spec.description())
                .flag(HelmCall.Flag.CREATE_NAMESPACE, spec.createNamespace())
                .flag(HelmCall.Flag.INSTALL_IF_ABSENT, spec.installIfAbsent())
                .flag(HelmCall.Flag.REUSE_VALUES, spec.reuseValues())
                .flag(HelmCall.Flag.RESET_VALUES, spec.resetValues())
                .flag(HelmCall.Flag.FORCE, spec.force()).build());
    }

    private interface CallFor {
        HelmCall build(ChartSource.Resolved chart, Path valuesFile);
    }

    /**
     * Validates, writes the merged values, runs the change in Helm, waits for readiness in Java when
     * asked, undoes a failed change when asked, and reads back the stored revision.
     */
    private Release change(Operation op, DeploySpec spec, CallFor call) {
        String ns = spec.namespace();
        String name = spec.releaseName();
        Duration limit = withLockWait(spec.timeouts(), spec.waitReady());
        if (spec.rollbackOnFailure()) {
            limit = limit.plus(spec.timeouts().cleanup());
        }
        return runner.run(op, name, ns, limit, () ->
            // Values and chart are checked before the release is locked: bad input sends nothing to the cluster.
            withChartAndValues(op, spec, (chart, valuesFile) -> {
                HelmCall c = call.build(chart, valuesFile);
                try (ReleaseLocks.Held held = locks.acquire(op, ns, name, spec.timeouts().start())) {
                    // Helm's upgrade supersedes the revision it starts from; a wait that fails in Java puts it back.
                    SortedMap<Integer, ReleaseStatus> earlier = spec.waitReady() || spec.rollbackOnFailure()
                            ? store.statuses(op, ns, name) : Collections.emptySortedMap();
                    int before = HistoryRules.deployed(earlier);
                    try {
                        int revision = unlessStuck(op, ns, name, () -> execute(op, spec, c).revision());
                        if (spec.waitReady()) {
                            awaitReadyOrRepair(op, ns, name, revision, spec.timeouts().readiness(), spec.progress(), spec.healthChecks(),
                                    AwaitingReadiness.remediation(spec.rollbackOnFailure(), before), earlier);
                        }
                        return afterChange(op, ns, name, revision);
                    } catch (HelmSdkException failure) {
                        if (!spec.rollbackOnFailure() || failure instanceof InvalidRequestException
                                || failure instanceof ReleaseStuckException || failure instanceof ReleaseBusyException) {
                            throw failure;
                        }
                        throw undo(op, ns, name, before, failure, spec.timeouts());
                    }
                }
            }), helm::abandon);
    }

    /**
     * Waits for readiness and runs the health checks within the readiness limit; when either fails,
     * the revision is recorded failed and the earlier revisions get back the statuses they had, as
     * Helm's {@code --wait} leaves them.
     */
    private void awaitReadyOrRepair(Operation op, String ns, String name, int revision, Duration limit,
                                    java.util.function.Consumer<dev.helmsdk.api.ReadinessProgress> progress,
                                    List<HealthCheck> checks, String onFailure, SortedMap<Integer, ReleaseStatus> earlier) {
        try {
            readinessPhase.awaitReadyAndHealthy(op, ns, name, revision, limit, progress, checks, onFailure);
        } catch (ReadinessFailedException | OperationTimeoutException | HealthCheckFailedException e) {
            throw repairing(e, ns, name, () -> store.restoreStatuses(op, ns, name, HistoryRules.afterFailedWait(earlier)));
        }
    }

    /** Runs the release's test hooks within {@code limit}. */
    private void runTests(Operation op, String ns, String name, Duration limit) {
        execute(op, name, ns, limit, HelmCall.of(HelmCall.Kind.TEST, name, ns).kube(kube).timeoutSeconds(seconds(limit)).build());
    }

    @Override
    public Release test(ReleaseQuery q) {
        Operation op = Operation.TEST;
        return runner.run(op, q.releaseName(), q.namespace(), q.timeouts().start(), () -> {
            store.revision(op, q.namespace(), q.releaseName(), 0);
            runTests(op, q.namespace(), q.releaseName(), q.timeouts().start());
            return store.revision(op, q.namespace(), q.releaseName(), 0).toRelease(q.namespace());
        }, helm::abandon);
    }

    /**
     * Undoes a failed change, within the cleanup limit: back to the revision deployed before it,
     * or, for a first install, uninstalled. Returns the exception to throw.
     */
    private HelmSdkException undo(Operation op, String ns, String name, int before, HelmSdkException failure, Timeouts t) {
        List<StoredRelease> all = store.revisions(op, ns, name);
        int latest = all.isEmpty() ? 0 : all.get(all.size() - 1).revision();
        if (latest == before) {
            return failure; // the change failed before Helm recorded anything: nothing to undo
        }
        try {
            if (before > 0) {
                // Through the runner, inside this change: timed, logged and seen by interceptors as its remediation.
                Release back = runner.runNested(Operation.ROLLBACK, name, ns, () -> rollbackLocked(Operation.ROLLBACK,
                        new RollbackSpec(name, ns, before, true, false, true, t.withReadiness(t.cleanup()))));
                LOG.warn("{} of release '{}' in namespace '{}' failed; rolled back to revision {} (now revision {})",
                        op.tag(), name, ns, before, back.revision());
                return new AutoRollbackException(failure, before, null, failure.getMessage() + "; rolled back to revision "
                        + before + " (now revision " + back.revision() + ")");
            }
            runner.runNested(Operation.UNINSTALL, name, ns, () -> execute(Operation.UNINSTALL, name, ns, t.cleanup(),
                    HelmCall.of(HelmCall.Kind.UNINSTALL, name, ns).kube(kube).build()));
            LOG.warn("{} of release '{}' in namespace '{}' failed; the failed first install was uninstalled", op.tag(), name, ns);
            return new AutoRollbackException(failure, 0, null, failure.getMessage() + "; the failed first install was uninstalled");
        } catch (HelmSdkException rollbackFailure) {
            return new AutoRollbackException(failure, -1, rollbackFailure, failure.getMessage()
                    + "; undoing it failed too: " + rollbackFailure.getMessage());
        }
    }

    /**
     * Runs a change; when Helm refuses it because the latest revision is pending, and no helm-sdk
     * operation holds the release (this one does), the release is stuck: a process died mid-change.
     * Recovery, when enabled and the revision has been pending long enough, marks it failed and
     * tries once more; otherwise a typed error says what happened and how to proceed.
     */
    private int unlessStuck(Operation op, String namespace, String release, java.util.function.IntSupplier change) {
        try {
            return change.getAsInt();
        } catch (HelmOperationException e) {
            if (!e.helmMessage().contains("another operation (install/upgrade/rollback) is in progress")) {
                throw e;
            }
            List<StoredRelease> all = store.revisions(op, namespace, release);
            StoredRelease latest = all.isEmpty() ? null : all.get(all.size() - 1);
            if (latest == null || !latest.status().isPending()) {
                throw e;
            }
            Instant since = latest.lastDeployed();
            Duration pendingFor = since == null ? Duration.ZERO : Duration.between(since, Instant.now());
            String where = "release '" + release + "' in namespace '" + namespace + "' is " + latest.status().helmName()
                    + " at revision " + latest.revision() + (since == null ? "" : " since " + since + " (" + pendingFor.toSeconds() + " s)")
                    + (latest.description().isEmpty() ? "" : " ('" + latest.description() + "')");
            if (recoverStuckAfter == null) {
                throw new ReleaseStuckException(op, release, latest.revision(), latest.status(), where
                        + " and no helm-sdk operation holds it: a process probably died in the middle of a change."
                        + " Enable HelmSdk.builder().recoverStuckReleases(...) to mark that revision failed and go on,"
                        + " or repair it by hand");
            }
            if (pendingFor.compareTo(recoverStuckAfter) < 0) {
                throw new ReleaseBusyException(op, release, "another Helm client", where + ", less than the "
                        + recoverStuckAfter + " after which it counts as stuck: another Helm client may still be changing it");
            }
            store.markFailed(op, namespace, release, latest.revision(),
                    "Marked failed by helm-sdk: left " + latest.status().helmName() + " by an operation that did not finish");
            LOG.warn("{}: marked revision {} failed (stuck release recovery) and retrying {}", where, latest.revision(), op.tag());
            return change.getAsInt();
        }
    }

    /**
     * The limit for a change: waiting for the release's lock may take up to the start limit, on top
     * of the start (and readiness) limits of the change itself.
     */
    private static Duration withLockWait(Timeouts t, boolean waiting) {
        return t.total(waiting).plus(t.start());
    }

    /** Prunes the history to maxHistory and reads back the new revision as Helm stored it. */
    private Release afterChange(Operation op, String namespace, String release, int revision) {
        // Revisions are numbered from 1, so up to maxHistory of them cannot need pruning: skip the LIST.
        if (maxHistory > 0 && revision > maxHistory) {
            // The LIST that pruning needs holds the new revision too: no GET of it.
            return store.pruneHistoryAndGet(op, namespace, release, maxHistory, revision).toRelease(namespace);
        }
        return store.revision(op, namespace, release, revision).toRelease(namespace);
    }

    @Override
    public Release rollback(RollbackSpec spec) {
        Operation op = Operation.ROLLBACK;
        String name = spec.releaseName();
        String ns = spec.namespace();
        return runner.run(op, name, ns, withLockWait(spec.timeouts(), spec.waitReady()), () -> {
            try (ReleaseLocks.Held held = locks.acquire(op, ns, name, spec.timeouts().start())) {
                return rollbackLocked(op, spec);
            }
        }, helm::abandon);
    }

    /** Rolls back to {@code requested} (0: the revision before the latest); the caller holds the release. */
    private Release rollbackLocked(Operation op, RollbackSpec spec) {
        String ns = spec.namespace();
        String name = spec.releaseName();
        int requested = spec.revision();
        boolean waitReady = spec.waitReady();
        Timeouts timeouts = spec.timeouts();
        List<StoredRelease> all = store.revisions(op, ns, name);
        if (all.isEmpty()) {
            throw ReleaseStore.notFound(op, ns, name);
        }
        int latest = all.get(all.size() - 1).revision();
        if (all.size() == 1) {
            throw new InvalidRequestException(op, name, "release '" + name + "' in namespace '" + ns
                    + "' has a single revision (" + latest + "): there is nothing to roll back to");
        }
        int target = requested > 0 ? requested : all.get(all.size() - 2).revision();
        StoredRelease to = all.stream().filter(r -> r.revision() == target).findFirst().orElseThrow(() ->
                new ReleaseNotFoundException(op, name, "release '" + name + "' in namespace '" + ns + "' has no revision "
                        + target + "; stored revisions: " + all.stream().map(StoredRelease::revision).toList()));
        SortedMap<Integer, ReleaseStatus> earlier = new TreeMap<>();
        all.forEach(r -> earlier.put(r.revision(), r.status()));
        if (earlier.get(latest) != ReleaseStatus.DEPLOYED) {
            // Helm's rollback applies the target over the latest revision's manifest, from any status
            // (a pending one included: it is the usual way out). The upgrade it runs through here
            // starts from the deployed revision instead and refuses a pending one, so the latest
            // revision looks deployed to it until the rollback ends; its status is put back below.
            store.setStatus(op, ns, name, latest, ReleaseStatus.DEPLOYED, null);
        }
        Path chartDir = rebuilder.rebuild(to, workDir.path().resolve("rollback-" + java.util.UUID.randomUUID()));
        int revision;
        try {
            Duration helmTimeout = waitReady ? timeouts.readiness() : timeouts.start();
            revision = withValuesFile(to.config(json), valuesFile -> unlessStuck(op, ns, name, () -> execute(op, name, ns, helmTimeout,
                    HelmCall.of(HelmCall.Kind.UPGRADE, name, ns).chart(chartDir.toString(), null).valuesFile(valuesFile)
                            .kube(kube).timeoutSeconds(seconds(helmTimeout))
                            .description(spec.description().isEmpty() ? "Rollback to " + target : spec.description())
                            .flag(HelmCall.Flag.RESET_VALUES)
                            .flag(HelmCall.Flag.FORCE, spec.force())
                            .flag(HelmCall.Flag.CLEANUP_ON_FAIL, spec.cleanupOnFail()).build()).revision()));
        } catch (HelmSdkException e) {
            throw repairing(e, ns, name, () -> afterFailedRollback(op, ns, name, earlier));
        } finally {
            WorkDirectory.deleteTree(chartDir);
        }
        if (waitReady) {
            awaitReadyOrRepair(op, ns, name, revision, timeouts.readiness(), spec.progress(), spec.healthChecks(),
                    AwaitingReadiness.NO_REMEDIATION, earlier);
        }
        store.restoreStatuses(op, ns, name, HistoryRules.afterRollback(earlier));
        return afterChange(op, ns, name, revision);
    }

    /**
     * Runs {@code repair} of the release history after {@code failure} and returns the failure to
     * throw: a repair that fails too (the API server gone, the deadline passed) is logged and
     * attached, never thrown in the failure's place.
     */
    private static <E extends HelmSdkException> E repairing(E failure, String ns, String name, Runnable repair) {
        try {
            repair.run();
        } catch (RuntimeException e) {
            LOG.warn("release '{}' in namespace '{}': could not put earlier revisions' statuses back as Helm records them: {}",
                    name, ns, e.getMessage());
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * Puts the history back as Helm's rollback leaves it when the rollback failed: if Helm recorded
     * the new revision (failed while applying), the one before it is superseded and the new one is
     * described as a failed rollback; otherwise every revision is as it was.
     */
    private void afterFailedRollback(Operation op, String ns, String name, SortedMap<Integer, ReleaseStatus> earlier) {
        SortedMap<Integer, ReleaseStatus> now = store.statuses(op, ns, name);
        if (!now.isEmpty() && now.lastKey() > earlier.lastKey()) {
            store.restoreStatuses(op, ns, name, HistoryRules.afterFailedRollbackApply(earlier));
            int failed = now.lastKey();
            String description = store.revision(op, ns, name, failed).description();
            if (description.startsWith("Upgrade \"")) {
                store.setStatus(op, ns, name, failed, ReleaseStatus.FAILED, "Rollback" + description.substring("Upgrade".length()));
            }
        } else {
            store.restoreStatuses(op, ns, name, earlier);
        }
    }

    @Override
    public DryRunResult dryRun(DeploySpec spec, boolean upgrade, DryRunMode mode) {
        Operation op = Operation.DRY_RUN;
        return runner.run(op, spec.releaseName(), spec.namespace(), spec.timeouts().start(), () -> withChartAndValues(op, spec, (chart, valuesFile) -> {
            HelmCall check;
            if (mode == DryRunMode.SERVER && upgrade) {
                check = call(HelmCall.Kind.UPGRADE, spec, chart, valuesFile).dryRun("server")
                        .flag(HelmCall.Flag.INSTALL_IF_ABSENT, spec.installIfAbsent())
                        .flag(HelmCall.Flag.REUSE_VALUES, spec.reuseValues())
                        .flag(HelmCall.Flag.RESET_VALUES, spec.resetValues())
                        .flag(HelmCall.Flag.DEBUG).build();   // its report has the values Helm would render with
            } else if (mode == DryRunMode.SERVER) {
                check = call(HelmCall.Kind.INSTALL, spec, chart, valuesFile).dryRun("server").build();
            } else {
                // Client mode renders as an install would; it does not read the current release.
                check = HelmCall.of(HelmCall.Kind.INSTALL, spec.releaseName(), spec.namespace()).chart(chart.reference(), chart.version())
                        .valuesFile(valuesFile).dryRun("client").flag(HelmCall.Flag.CLIENT_ONLY).kubeVersion(kubeVersion(spec)).build();
            }
            String output = execute(op, spec, check).output();
            boolean debug = check.has(HelmCall.Flag.DEBUG);
            RenderedManifest rendered = debug ? renderAsHelmWould(op, spec, chart, output, valuesFile)
                    : renderTemplate(op, spec, chart, valuesFile);
            Map<String, String> meta = chart.metadata();
            return new DryRunResult(spec.releaseName(), spec.namespace(), mode, upgrade, meta.getOrDefault("name", ""),
                    meta.getOrDefault("version", ""), rendered, HelmReport.notes(output, debug));
        }), helm::abandon);
    }

    /**
     * Renders the chart with the values Helm's own dry run of the upgrade computed (after
     * {@code reuseValues}, {@code resetValues} and its reuse of the release's values when none are
     * given), as the chart's only values, so the result is what the upgrade would deploy.
     */
    private RenderedManifest renderAsHelmWould(Operation op, DeploySpec spec, ChartSource.Resolved chart, String report,
                                               Path requested) {
        Optional<Map<String, Object>> computed = HelmReport.computedValues(report, yaml);
        if (computed.isEmpty()) {
            LOG.warn("dry run of release '{}': Helm's report has no computed values; rendering with the requested values only",
                    spec.releaseName());
            return renderTemplate(op, spec, chart, requested);
        }
        Path copy = ChartWithValues.copy(Path.of(chart.reference()), computed.get(), workDir.path());
        try {
            return renderTemplate(op, spec, new ChartSource.Resolved(copy.toString(), null, null, null), null);
        } finally {
            WorkDirectory.deleteTree(copy.getParent());
        }
    }

    @Override
    public Release uninstall(UninstallSpec spec) {
        Operation op = Operation.UNINSTALL;
        return runner.run(op, spec.releaseName(), spec.namespace(), withLockWait(spec.timeouts(), false), () -> {
            Release before = store.revision(op, spec.namespace(), spec.releaseName(), 0).toRelease(spec.namespace());
            try (ReleaseLocks.Held held = locks.acquire(op, spec.namespace(), spec.releaseName(), spec.timeouts().start())) {
                execute(op, spec.releaseName(), spec.namespace(), spec.timeouts().start(),
                        HelmCall.of(HelmCall.Kind.UNINSTALL, spec.releaseName(), spec.namespace()).kube(kube)
                                .flag(HelmCall.Flag.KEEP_HISTORY, spec.keepHistory()).build());
            }
            return before;
        }, helm::abandon);
    }

    // ---- local rendering ----------------------------------------------------------------------

    @Override
    public RenderedManifest template(DeploySpec spec) {
        Operation op = Operation.TEMPLATE;
        return runner.run(op, spec.releaseName(), spec.namespace(), spec.timeouts().start(), () -> withChartAndValues(op, spec,
                (chart, valuesFile) -> renderTemplate(op, spec, chart, valuesFile)),
                helm::abandon);
    }

    private RenderedManifest renderTemplate(Operation op, DeploySpec spec, ChartSource.Resolved chart, Path valuesFile) {
        HelmCall c = HelmCall.of(HelmCall.Kind.TEMPLATE, spec.releaseName(), spec.namespace()).chart(chart.reference(), chart.version())
                .valuesFile(valuesFile).kubeVersion(kubeVersion(spec)).flag(HelmCall.Flag.SKIP_CRDS, spec.skipCrds()).build();
        return manifests.parse(execute(op, spec, c).output());
    }

    @Override
    public LintReport lint(LintSpec spec) {
        Operation op = Operation.LINT;
        return runner.run(op, null, "", spec.timeouts().start(), () -> {
            // Remote charts are linted as the archive the repository or registry serves.
            ChartSource.Resolved chart = charts.resolve(op, null, spec.chart());
            HelmCall.Result r = execute(op, null, "", spec.timeouts().start(), HelmCall.of(HelmCall.Kind.LINT, "", "")
                    .chart(chart.reference(), null).flag(HelmCall.Flag.STRICT, spec.strict()).build());
            return new LintReport(r.lintFailed(), r.lintMessages());
        }, helm::abandon);
    }

    // ---- reads, in Java: one LIST, no lock ----------------------------------------------------

    @Override
    public Release status(ReleaseQuery q) {
        return reads.status(q);
    }

    @Override
    public List<Release> history(ReleaseQuery q) {
        return reads.history(q);
    }

    @Override
    public List<Release> list(ListSpec spec) {
        return reads.list(spec);
    }

    @Override
    public Map<String, Object> values(ReleaseQuery q, boolean all) {
        return reads.values(q, all);
    }

    @Override
    public String manifest(ReleaseQuery q) {
        return reads.manifest(q);
    }

    @Override
    public Optional<Release> exists(ReleaseQuery q) {
        return reads.exists(q);
    }

    // ---- checks: one read and one local rendering, no lock, no write --------------------------

    @Override
    public UpgradeCheck needsUpgrade(DeploySpec spec) {
        Operation op = Operation.NEEDS_UPGRADE;
        String ns = spec.namespace();
        String name = spec.releaseName();
        return runner.run(op, name, ns, spec.timeouts().start(), () -> {
            // As for a change, a refused chart or bad values stop the check before the cluster is read.
            ChartSource.Resolved chart = charts.resolve(op, name, spec.chart());
            Map<String, Object> requested = merger.merge(op, name, spec.values());
            Optional<ReleaseStore.UpgradeBase> found = store.upgradeBase(op, ns, name);
            if (found.isEmpty()) {
                return UpgradeComparison.notInstalled();
            }
            StoredRelease base = found.get().base();
            Map<String, Object> config = base.config(json);
            Map<String, Object> recorded = UpgradeComparison.valuesToRecord(spec, requested, config);
            RenderedManifest rendered = spec.reuseValues() ? renderReusing(op, spec, chart, base, config, recorded)
                    : withValuesFile(recorded, valuesFile -> renderTemplate(op, spec, chart, valuesFile));
            return comparison.compare(found.get(), chart.metadata(), recorded, rendered);
        }, helm::abandon);
    }

    /**
     * Renders as Helm's upgrade with reuseValues does: the chart's defaults replaced by the
     * revision's coalesced values (its chart's defaults under its user values), the values to record on top.
     */
    private RenderedManifest renderReusing(Operation op, DeploySpec spec, ChartSource.Resolved chart, StoredRelease base,
                                           Map<String, Object> config, Map<String, Object> recorded) {
        Map<String, Object> old = new LinkedHashMap<>();
        ValuesMerger.deepMerge(old, base.chartValues(json));
        ValuesMerger.deepMerge(old, config);
        Path copy = ChartWithValues.copy(Path.of(chart.reference()), old, workDir.path());
        try {
            return withValuesFile(recorded, valuesFile ->
                    renderTemplate(op, spec, new ChartSource.Resolved(copy.toString(), null, null, null), valuesFile));
        } finally {
            WorkDirectory.deleteTree(copy.getParent());
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private interface ValuesBody<T> {
        T run(Path valuesFile);
    }

    private interface ChartAndValuesBody<T> {
        T run(ChartSource.Resolved chart, Path valuesFile);
    }

    /**
     * Resolves the chart (fetched and its archive checked), then merges the values into a private
     * file for Helm, deleted when the call is done: in the pipeline's order, so a refused chart
     * stops the change before anything reads values or the cluster.
     */
    private <T> T withChartAndValues(Operation op, DeploySpec spec, ChartAndValuesBody<T> body) {
        ChartSource.Resolved chart = charts.resolve(op, spec.releaseName(), spec.chart());
        return withValuesFile(merger.merge(op, spec.releaseName(), spec.values()), valuesFile -> body.run(chart, valuesFile));
    }

    /** Writes values into a private file for Helm, deleted when the call is done. */
    private <T> T withValuesFile(Map<String, Object> values, ValuesBody<T> body) {
        Path file;
        try {
            file = Files.createTempFile(workDir.path(), "values-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            HelmValuesJson.write(file, values); // not Jackson: it escapes emoji as surrogates, which Helm rejects
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

    private HelmCall.Result execute(Operation op, DeploySpec spec, HelmCall call) {
        return execute(op, spec.releaseName(), spec.namespace(), Duration.ofSeconds(helmSeconds(spec)), call);
    }

    private HelmCall.Result execute(Operation op, String release, String namespace, Duration helmTimeout, HelmCall call) {
        try {
            return helm.execute(call);
        } catch (RuntimeException e) {
            throw HelmErrors.translate(op, release, namespace, helmTimeout, e);
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

    @Override
    public void close() {
        runner.close();
        locks.close();
        helm.close();
        charts.close();
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
