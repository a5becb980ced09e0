package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The part shared by every request that renders a chart: chart, values, Kubernetes version.
 * Immutable: every method returns a new request, so a partly built request can be shared and reused.
 *
 * @param <S> the concrete request type
 */
public abstract sealed class ChartRequest<S extends ChartRequest<S>> extends ReleaseRequest<S>
        permits DeployRequest, TemplateRequest, NeedsUpgradeRequest {

    final DeploySpec spec;

    ChartRequest(HelmEngine engine, Operation operation, DeploySpec spec) {
        super(engine, operation);
        this.spec = spec;
    }

    abstract S copy(DeploySpec changed);

    @Override
    String release() {
        return spec.releaseName();
    }

    @Override
    S withNamespace(String namespace) {
        return copy(spec.toBuilder().namespace(namespace).build());
    }

    @Override
    S withTimeouts(Timeouts timeouts) {
        return copy(spec.toBuilder().timeouts(timeouts).build());
    }

    /** The chart to use. */
    public S chart(ChartRef chart) {
        return copy(spec.toBuilder().chart(Objects.requireNonNull(chart, "chart")).build());
    }

    /** Adds a YAML values file, merged after the files and maps already added (like {@code -f}). */
    public S values(Path file) {
        Objects.requireNonNull(file, "file");
        return copy(spec.toBuilder().values(spec.values().file(file)).build());
    }

    /** Adds a map of values, merged after the files and maps already added. */
    public S values(Map<String, ?> values) {
        return copy(spec.toBuilder().values(spec.values().map(values)).build());
    }

    /** Adds everything in {@code values} after what was already added. */
    public S values(Values values) {
        Objects.requireNonNull(values, "values");
        return copy(spec.toBuilder().values(spec.values().and(values)).build());
    }

    /** Sets one value by path ({@code image.tag}, {@code list[0].name}); applied after all files and maps. */
    public S set(String path, Object value) {
        Objects.requireNonNull(path, "path");
        return copy(spec.toBuilder().values(spec.values().set(path, value)).build());
    }

    /**
     * The Kubernetes version to render for where no cluster is consulted ({@code template()} and
     * {@link DryRunMode#CLIENT} dry runs), as {@code helm template --kube-version}, e.g. {@code 1.31.0}.
     * Charts check it against their {@code kubeVersion} constraint and templates read it as
     * {@code .Capabilities.KubeVersion}. Default: the version of the Kubernetes client inside the
     * embedded Helm (what the Helm CLI of the same release assumes). Operations against the cluster
     * always use the cluster's real version.
     */
    public S kubeVersion(String version) {
        Objects.requireNonNull(version, "version");
        if (!version.matches("v?\\d+\\.\\d+(\\.\\d+)?([-+].*)?")) {
            throw new InvalidRequestException(operation, spec.releaseName(),
                    "kubeVersion must look like 1.31.0 or v1.31.0, was '" + version + "'");
        }
        return copy(spec.toBuilder().rendering(spec.rendering().withKubeVersion(version)).build());
    }

    /** The request as an engine receives it. */
    public DeploySpec spec() {
        return spec;
    }

    DeploySpec requireChart() {
        if (spec.chart() == null) {
            throw new InvalidRequestException(operation, spec.releaseName(),
                    "no chart given for release '" + spec.releaseName() + "'; call .chart(ChartRef.local(path)) or another ChartRef");
        }
        return spec;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec.releaseName() + " in " + spec.namespace()
                + (spec.chart() == null ? "" : ", chart " + spec.chart().describe()) + ", " + spec.values() + "]";
    }
}
