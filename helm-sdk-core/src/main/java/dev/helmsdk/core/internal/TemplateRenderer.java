package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.spi.DeploySpec;

import java.nio.file.Path;
import java.util.Map;

/** Renders charts locally, as {@code helm template}, for templates, dry runs and upgrade checks. */
final class TemplateRenderer {

    private final HelmExecution helm;
    private final ManifestParser manifests;
    private final Path workDir;

    TemplateRenderer(HelmExecution helm, ManifestParser manifests, Path workDir) {
        this.helm = helm;
        this.manifests = manifests;
        this.workDir = workDir;
    }

    /** Renders {@code chart} with the values in {@code valuesFile} (none if {@code null}). */
    RenderedManifest render(Operation op, DeploySpec spec, ChartSource.Resolved chart, Path valuesFile) {
        HelmCall c = HelmCall.of(HelmCall.Kind.TEMPLATE, spec.releaseName(), spec.namespace()).chart(chart.reference(), chart.version())
                .valuesFile(valuesFile).kubeVersion(kubeVersion(spec)).flag(HelmCall.Flag.SKIP_CRDS, spec.rendering().skipCrds()).build();
        return manifests.parse(helm.execute(op, spec.releaseName(), spec.namespace(), spec.timeouts().start(), c).output());
    }

    /**
     * Renders a copy of the local {@code chart} whose defaults are replaced by {@code defaults},
     * with the values in {@code valuesFile} on top (none if {@code null}): how Helm renders when it
     * has computed the values itself (reused values, a dry run's report).
     */
    RenderedManifest renderWithDefaults(Operation op, DeploySpec spec, ChartSource.Resolved chart, Map<String, Object> defaults,
                                        Path valuesFile) {
        Path copy = ChartWithValues.copy(Path.of(chart.reference()), defaults, workDir);
        try {
            return render(op, spec, new ChartSource.Resolved(copy.toString(), null, null, null), valuesFile);
        } finally {
            WorkDirectory.deleteTree(copy.getParent());
        }
    }

    static String kubeVersion(DeploySpec spec) {
        return spec.rendering().kubeVersion().isEmpty() ? HelmCall.DEFAULT_KUBE_VERSION : spec.rendering().kubeVersion();
    }
}
