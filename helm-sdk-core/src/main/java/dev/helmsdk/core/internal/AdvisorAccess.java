package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.core.ChartSources;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an upgrade advisor takes from a manager built by {@code HelmSdk}, or a {@code withActor} view of one: its
 * sources, meters, connection and a label-selected listing (attributed to the view's actor).
 */
public final class AdvisorAccess {

    private AdvisorAccess() {
    }

    /** The manager's chart sources, when {@code HelmSdk} built it. */
    public static Optional<ChartSources> chartSources(HelmManager helm) {
        return engine(helm).map(HelmJavaEngine::chartSources);
    }

    /** The manager's meter registry, when {@code HelmSdk} built it with one. */
    public static Optional<MeterRegistry> meterRegistry(HelmManager helm) {
        return engine(helm).map(HelmJavaEngine::meterRegistry);
    }

    /** The manager's cluster connection, when {@code HelmSdk} built it. */
    public static Optional<KubernetesClient> client(HelmManager helm) {
        return engine(helm).map(HelmJavaEngine::client);
    }

    /** The releases whose records carry {@code labels}, when {@code HelmSdk} built the manager. */
    public static Optional<List<Release>> list(HelmManager helm, ListSpec spec, Map<String, String> labels) {
        return engine(helm).map(e -> ActingEngine.actingAs(helm, () -> e.list(spec, labels)));
    }

    private static Optional<HelmJavaEngine> engine(HelmManager helm) {
        return ActingEngine.helmJavaEngine(helm);
    }
}
