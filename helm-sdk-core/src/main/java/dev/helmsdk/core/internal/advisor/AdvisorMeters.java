package dev.helmsdk.core.internal.advisor;

import dev.helmsdk.core.advisor.AdvisorReport;
import dev.helmsdk.core.advisor.ReleaseAdvice;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The advisor's gauges, set from each report: {@code helm.sdk.advisor.releases} (tags {@code chart},
 * {@code status}: how many releases have each verdict), {@code helm.sdk.advisor.behind} (tags {@code chart},
 * {@code distance}: how many releases are a patch, minor or major version behind the newest), and, only when
 * release names are opted in, {@code helm.sdk.advisor.versions.behind} (tags {@code namespace},
 * {@code release}, {@code chart}: how many versions each release is behind). A gauge whose releases are gone
 * reads 0. Tags never hold anything but chart, release and namespace names and the fixed words.
 */
public final class AdvisorMeters {

    private final MeterRegistry registry;
    private final boolean releaseNames;
    private final Map<Tags, AtomicInteger> releases = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicInteger> behind = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicInteger> versions = new ConcurrentHashMap<>();
    private final List<Gauge> registered = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param registry     where the gauges go
     * @param releaseNames whether to register the per-release gauge
     */
    public AdvisorMeters(MeterRegistry registry, boolean releaseNames) {
        this.registry = registry;
        this.releaseNames = releaseNames;
    }

    /** Sets every gauge from {@code report}; gauges of earlier runs that it does not mention read 0. */
    public synchronized void record(AdvisorReport report) {
        List.of(releases, behind, versions).forEach(m -> m.values().forEach(v -> v.set(0)));
        for (ReleaseAdvice a : report.releases()) {
            String chart = a.chart().isEmpty() ? "unknown" : a.chart();
            gauge(releases, "helm.sdk.advisor.releases", Tags.of("chart", chart, "status", tag(a.status())),
                    "releases the upgrade advisor gave each verdict").incrementAndGet();
            if (a.distance() != ReleaseAdvice.Distance.NONE && a.distance() != ReleaseAdvice.Distance.UNKNOWN) {
                gauge(behind, "helm.sdk.advisor.behind", Tags.of("chart", chart, "distance", tag(a.distance())),
                        "releases a patch, minor or major version behind the newest their source lists").incrementAndGet();
            }
            if (releaseNames) {
                gauge(versions, "helm.sdk.advisor.versions.behind", Tags.of("namespace", a.namespace(), "release", a.release(), "chart", chart),
                        "how many chart versions newer than the deployed one the source lists").set(a.versionsBehind());
            }
        }
    }

    private AtomicInteger gauge(Map<Tags, AtomicInteger> gauges, String name, Tags tags, String description) {
        return gauges.computeIfAbsent(tags, t -> {
            AtomicInteger value = new AtomicInteger();
            // Held strongly and removed on close: a registry keeps the first gauge of a name and tags, so an advisor made
            // per run would otherwise export a closed advisor's value (or NaN once it is collected).
            registered.add(Gauge.builder(name, value, AtomicInteger::get).tags(t).description(description).strongReference(true)
                    .register(registry));
            return value;
        });
    }

    /** Removes this advisor's gauges, so the next advisor on the registry registers its own. */
    public void close() {
        registered.forEach(registry::remove);
        registered.clear();
    }

    private static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
