package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.spi.DeploySpec;

import java.util.Map;
import java.util.Optional;

/**
 * Asks Helm what an install or upgrade would do, changing nothing ({@code --dry-run}), and renders
 * the manifest it would apply: a dry run's result.
 */
final class DryRunStage implements ChangeStage {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DryRunStage.class);

    private final HelmExecution helm;
    private final TemplateRenderer renderer;
    private final ObjectMapper yaml;

    DryRunStage(HelmExecution helm, TemplateRenderer renderer, ObjectMapper yaml) {
        this.helm = helm;
        this.renderer = renderer;
        this.yaml = yaml;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.isDryRun();
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
        String output = helm.execute(c, check).output();
        boolean debug = check.has(HelmCall.Flag.DEBUG);
        RenderedManifest rendered = debug ? renderAsHelmWould(c, output) : renderer.render(c.op(), spec, c.chart(), c.valuesFile());
        Map<String, String> meta = c.chart().metadata();
        return next.run(c.withResult(new DryRunResult(c.release(), c.namespace(), c.dryRun(), upgrade, meta.getOrDefault("name", ""),
                meta.getOrDefault("version", ""), rendered, HelmReport.notes(output, debug))));
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
