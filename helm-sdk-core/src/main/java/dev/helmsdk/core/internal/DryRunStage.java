package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.core.internal.secrets.Redactor;

import java.util.Map;
import java.util.Optional;

/**
 * Asks Helm what an install or upgrade would do, changing nothing ({@code --dry-run}), and renders
 * the manifest it would apply: a dry run's result. (A rollback's dry run is {@link RollbackDryRunStage}'s.)
 */
final class DryRunStage implements ChangeStage {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DryRunStage.class);

    private final HelmExecution helm;
    private final TemplateRenderer renderer;
    private final ObjectMapper yaml;
    private final dev.helmsdk.core.internal.report.DryRunChecks checks;
    private final ReleaseStore store;
    private final java.util.function.Supplier<io.fabric8.kubernetes.client.KubernetesClient> client;

    DryRunStage(HelmExecution helm, TemplateRenderer renderer, ObjectMapper yaml) {
        this(helm, renderer, yaml, dev.helmsdk.core.internal.report.DryRunChecks.NONE, null, () -> null);
    }

    /**
     * @param checks what every dry run checks besides rendering
     * @param store  reads the deployed revision an upgrade's checks compare with
     * @param client the cluster, bounded by the operation's deadline, for server-mode checks
     */
    DryRunStage(HelmExecution helm, TemplateRenderer renderer, ObjectMapper yaml, dev.helmsdk.core.internal.report.DryRunChecks checks,
                ReleaseStore store, java.util.function.Supplier<io.fabric8.kubernetes.client.KubernetesClient> client) {
        this.helm = helm;
        this.renderer = renderer;
        this.yaml = yaml;
        this.checks = checks;
        this.store = store;
        this.client = client;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.isDryRun() && c.fromChart();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        DeploySpec spec = c.deploy();
        boolean upgrade = c.kind() == Operation.UPGRADE;
        HelmCall check;
        if (c.dryRun() == DryRunMode.SERVER && upgrade) {
            check = ApplyStage.call(helm, c, HelmCall.Kind.UPGRADE).dryRun("server")
                    .flag(HelmCall.Flag.INSTALL_IF_ABSENT, spec.upgrade().installIfAbsent())
                    .flag(HelmCall.Flag.REUSE_VALUES, spec.upgrade().reuseValues())
                    .flag(HelmCall.Flag.RESET_VALUES, spec.upgrade().resetValues())
                    .flag(HelmCall.Flag.DEBUG).build();   // its report has the values Helm would render with
        } else if (c.dryRun() == DryRunMode.SERVER) {
            check = ApplyStage.call(helm, c, HelmCall.Kind.INSTALL).dryRun("server").build();
        } else {
            // Client mode renders as an install would; it does not read the current release.
            check = HelmCall.of(HelmCall.Kind.INSTALL, c.release(), c.namespace()).chart(c.chart().reference(), c.chart().version())
                    .valuesFile(c.valuesFile()).dryRun("client").flag(HelmCall.Flag.CLIENT_ONLY)
                    .kubeVersion(TemplateRenderer.kubeVersion(spec)).build();
        }
        String output;
        boolean debug = check.has(HelmCall.Flag.DEBUG);
        try {
            output = helm.execute(c, check).output();
        } catch (dev.helmsdk.api.HelmSdkException e) {
            if (e instanceof dev.helmsdk.api.HelmOperationException
                    && dev.helmsdk.core.internal.report.ValuesSchemaCheck.isHelmsRefusal(e.getMessage())) {
                // Helm validates values.schema.json before it renders, so nothing rendered: the report is the schema's findings.
                return next.run(c.withResult(refusedBySchema(c, upgrade, e.getMessage())));
            }
            if (!ownershipConflict(e)) {
                throw e;
            }
            // Helm's dry run stops at the first object it may not take over; the conflict check reports each of them,
            // in Helm's words, and the other checks still run on the chart rendered with the requested values
            LOG.debug("dry run of release '{}': Helm refused an object it does not own; reporting it as a finding", c.release());
            output = "";
            debug = false;
        }
        RenderedManifest rendered = debug ? renderAsHelmWould(c, output) : renderer.render(c.op(), spec, c.chart(), c.valuesFile());
        Map<String, String> meta = c.chart().metadata();
        String name = meta.getOrDefault("name", "");
        String version = meta.getOrDefault("version", "");
        dev.helmsdk.core.internal.report.ReportBuilder report = checks.run(checkContext(c, upgrade, name, version, rendered));
        return next.run(c.withResult(new DryRunResult(c.release(), c.namespace(), c.dryRun(), upgrade, name, version, rendered,
                HelmReport.notes(output, debug), report.changes(), report.findings())));
    }

    /** A report of only the values schema's findings, when Helm refused the values before rendering. */
    private DryRunResult refusedBySchema(ChangeContext c, boolean upgrade, String helmsMessage) {
        Map<String, String> meta = c.chart().metadata();
        String name = meta.getOrDefault("name", "");
        String version = meta.getOrDefault("version", "");
        RenderedManifest nothing = new RenderedManifest("", java.util.List.of());
        dev.helmsdk.core.internal.report.ReportBuilder report = checks.only("values_schema")
                .run(checkContext(c, upgrade, name, version, nothing));
        if (report.findings().isEmpty()) {
            report.add(dev.helmsdk.core.internal.report.ValuesSchemaCheck.helmsRefusal(helmsMessage));
        }
        return new DryRunResult(c.release(), c.namespace(), c.dryRun(), upgrade, name, version, nothing, "",
                report.changes(), report.findings());
    }

    /** Helm's "exists and cannot be imported into the current release", when a check reports it instead. */
    private boolean ownershipConflict(dev.helmsdk.api.HelmSdkException e) {
        return checks.names().contains("conflict") && String.valueOf(e.getMessage()).contains("cannot be imported into the current release");
    }

    /** What the checks see of this dry run: the same render the operation would apply, and the cluster in server mode. */
    private dev.helmsdk.core.internal.report.CheckContext checkContext(ChangeContext c, boolean upgrade, String name, String version,
                                                                       RenderedManifest rendered) {
        boolean server = c.dryRun() == DryRunMode.SERVER;
        java.util.List<Map<String, Object>> objects = objects(yaml, rendered);
        Optional<String> deployed = upgrade && store != null && !checks.names().isEmpty()
                ? store.upgradeBase(c.op(), c.namespace(), c.release()).map(b -> b.base().manifest()) : Optional.empty();
        Optional<java.nio.file.Path> chart = c.chart() == null ? Optional.empty() : Optional.of(java.nio.file.Path.of(c.chart().reference()));
        Redactor redactor = c.redactor();
        return new dev.helmsdk.core.internal.report.CheckContext(c.kind(), c.dryRun(), c.release(), c.namespace(), name, version,
                chart, rendered, objects, c.values() == null ? Map.of() : c.values(), deployed,
                server ? Optional.ofNullable(client.get()) : Optional.empty(), redactor::mask,
                c.deploy().createNamespace(), c.deploy().readiness().enabled(),
                Optional.ofNullable(c.deploy()).map(DeploySpec::chart));
    }

    /** Each rendered object, parsed, as the checks see them. */
    static java.util.List<Map<String, Object>> objects(ObjectMapper yaml, RenderedManifest rendered) {
        java.util.List<Map<String, Object>> objects = new java.util.ArrayList<>();
        for (dev.helmsdk.api.RenderedResource r : rendered.resources()) {
            try {
                Object parsed = yaml.readValue(r.yaml(), Object.class);
                if (parsed instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) m;
                    objects.add(object);
                }
            } catch (java.io.IOException e) {
                // Helm rendered it, so it parses; a document that does not is Helm's to report
            }
        }
        return objects;
    }

    /**
     * Renders the chart with the values Helm's own dry run of the upgrade computed (after
     * {@code reuseValues}, {@code resetValues} and its reuse of the release's values when none are
     * given), as the chart's only values, so the result is what the upgrade would deploy.
     */
    private RenderedManifest renderAsHelmWould(ChangeContext c, String report) {
        Optional<Map<String, Object>> computed = HelmReport.computedValues(report, yaml);
        if (computed.isEmpty()) {
            LOG.warn("dry run of release '{}': Helm's report has no computed values; rendering with the requested values only",
                    c.release());
            return renderer.render(c.op(), c.deploy(), c.chart(), c.valuesFile());
        }
        return renderer.renderWithDefaults(c.op(), c.deploy(), c.chart(), computed.get(), null);
    }
}
