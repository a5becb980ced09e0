package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a {@link DryRunCheck} sees: the change, what it would apply, what is deployed, and the cluster.
 *
 * @param operation        install, upgrade or rollback
 * @param mode             client (no cluster: {@code client} is empty) or server
 * @param releaseName      the release
 * @param namespace        its namespace
 * @param chartName        the chart's name
 * @param chartVersion     the chart's version
 * @param chart            the chart on disk, a directory or a {@code .tgz} archive (for {@code values.schema.json});
 *                         empty for a rollback
 * @param rendered         what the change would apply, as the same single render the operation uses
 * @param objects          each rendered object, parsed (Secrets included, with their data: checks must not show it)
 * @param values           the values the chart renders with, secret references resolved: never to be shown
 * @param deployedManifest the manifest of the deployed revision, for an upgrade or rollback
 * @param client           the cluster, every request bounded by the operation's deadline; empty in client mode
 * @param mask             masks resolved secret values in text a check puts in a finding
 * @param createNamespace  the operation would create the namespace if it does not exist
 * @param waits            the operation would wait for readiness after applying
 * @param requestedChart   the chart as the change asked for it (a repository chart's version may be a range);
 *                         empty for a rollback
 */
public record CheckContext(Operation operation, DryRunMode mode, String releaseName, String namespace, String chartName,
                           String chartVersion, Optional<Path> chart, RenderedManifest rendered,
                           List<Map<String, Object>> objects, Map<String, Object> values, Optional<String> deployedManifest,
                           Optional<KubernetesClient> client, UnaryOperator<String> mask,
                           boolean createNamespace, boolean waits, Optional<dev.helmsdk.api.ChartRef> requestedChart) {

    /** Requires every component. */
    public CheckContext {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(chartName, "chartName");
        Objects.requireNonNull(chartVersion, "chartVersion");
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(rendered, "rendered");
        objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(deployedManifest, "deployedManifest");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(requestedChart, "requestedChart");
    }

    /** A context for an operation that neither creates its namespace nor waits, its requested chart not given. */
    public CheckContext(Operation operation, DryRunMode mode, String releaseName, String namespace, String chartName,
                        String chartVersion, Optional<Path> chart, RenderedManifest rendered,
                        List<Map<String, Object>> objects, Map<String, Object> values, Optional<String> deployedManifest,
                        Optional<KubernetesClient> client, UnaryOperator<String> mask) {
        this(operation, mode, releaseName, namespace, chartName, chartVersion, chart, rendered, objects, values,
                deployedManifest, client, mask, false, false, Optional.empty());
    }

    /** Whether the check may ask the cluster. */
    public boolean server() {
        return mode == DryRunMode.SERVER && client.isPresent();
    }
}
