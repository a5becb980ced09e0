package dev.helmsdk.core.internal.advisor;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.core.advisor.ReleaseAdvice;
import dev.helmsdk.core.advisor.UpgradePolicy;
import dev.helmsdk.core.internal.source.UpgradeChoice;
import dev.helmsdk.core.internal.source.VersionLookup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The advisor's verdict on one release from what its source lists ({@link UpgradeChoice}), and the sources' listings
 * asked once each, a few at a time. Public (in an internal package) for {@code UpgradeAdvisor}.
 */
public final class Advising {

    /** Sources looked up at once; a run usually has a handful. */
    private static final int PARALLEL_LOOKUPS = 4;

    private Advising() {
    }

    /** Each source once, a few at a time; the value is a listing or the exception it failed with. */
    public static Map<String, Object> lookUp(VersionLookup lookup, Map<String, ChartRef> needed, Supplier<CredentialContext> context) {
        Map<String, Object> out = new TreeMap<>();
        if (needed.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_LOOKUPS, needed.size()), r -> {
            Thread t = new Thread(r, "helm-sdk-advisor");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<VersionLookup.Listing>> running = new LinkedHashMap<>();
            needed.forEach((key, source) -> running.put(key, pool.submit(() -> lookup.list(Operation.NEEDS_UPGRADE, source, context))));
            running.forEach((key, f) -> {
                try {
                    out.put(key, f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    out.put(key, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.put(key, e);
                }
            });
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /** A release whose chart no source is mapped for. */
    public static ReleaseAdvice noSource(Release r) {
        return new ReleaseAdvice(r.namespace(), r.name(), r.chartName(), r.chartVersion(), ReleaseAdvice.Status.NO_SOURCE, "", "",
                ReleaseAdvice.Distance.UNKNOWN, 0, ReleaseAdvice.ChartNotes.none(), "",
                "no source is mapped for chart '" + r.chartName() + "'; map one with chart(\"" + r.chartName() + "\", ChartRef.repository(...)) or ChartRef.oci(...)");
    }

    /** The verdict on {@code r} from {@code listing}: what {@link #lookUp} gave for its source (a listing or a failure). */
    public static ReleaseAdvice advise(Release r, ChartRef source, Object listing, UpgradePolicy policy, boolean preReleases) {
        if (!(listing instanceof VersionLookup.Listing found)) {
            Throwable t = (Throwable) listing;
            return failed(r, source, ReleaseAdvice.Status.SOURCE_FAILED, t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        String chartInSource = source instanceof ChartRef.Repository repo ? repo.name() : r.chartName();
        Map<String, VersionLookup.Listed> versions = found.versions(chartInSource);
        if (versions.isEmpty()) {
            return failed(r, source, ReleaseAdvice.Status.UNKNOWN, "chart '" + chartInSource + "' has no versions in " + source.describe());
        }
        UpgradeChoice.Choice c = UpgradeChoice.choose(r.chartVersion(), versions.keySet(), UpgradeChoice.Level.valueOf(policy.name()),
                preReleases, constraint(source));
        ReleaseAdvice.Distance distance = ReleaseAdvice.Distance.valueOf(c.distance().toUpperCase(java.util.Locale.ROOT));
        ReleaseAdvice.Status status;
        String problem = "";
        if (distance == ReleaseAdvice.Distance.UNKNOWN) {
            status = ReleaseAdvice.Status.UNKNOWN;
            problem = "the deployed chart version '" + r.chartVersion() + "' is not a semantic version";
        } else if (!c.newestAllowed().isEmpty()) {
            status = ReleaseAdvice.Status.UPGRADE_AVAILABLE;
        } else {
            status = c.versionsBehind() > 0 ? ReleaseAdvice.Status.HELD_BACK : ReleaseAdvice.Status.UP_TO_DATE;
        }
        String described = !c.newestAllowed().isEmpty() ? c.newestAllowed() : c.newestOverall();
        return new ReleaseAdvice(r.namespace(), r.name(), r.chartName(), r.chartVersion(), status, c.newestAllowed(), c.newestOverall(),
                distance, c.versionsBehind(), notes(source, versions.get(described)), source.describe(), problem);
    }

    private static ReleaseAdvice failed(Release r, ChartRef source, ReleaseAdvice.Status status, String problem) {
        return new ReleaseAdvice(r.namespace(), r.name(), r.chartName(), r.chartVersion(), status, "", "",
                ReleaseAdvice.Distance.UNKNOWN, 0, ReleaseAdvice.ChartNotes.none(), source.describe(), problem);
    }

    private static ReleaseAdvice.ChartNotes notes(ChartRef source, VersionLookup.Listed listed) {
        if (listed == null) {
            return ReleaseAdvice.ChartNotes.none();
        }
        boolean described = source instanceof ChartRef.Repository;
        return new ReleaseAdvice.ChartNotes(listed.version(), listed.appVersion(), ChangesAnnotation.parse(listed.changes()), described);
    }

    /** The source's version: a constraint every advised version must meet, or {@code null}. */
    public static String constraint(ChartRef source) {
        return source instanceof ChartRef.Repository r ? r.version() : ((ChartRef.Oci) source).version();
    }

    /** The source pinned at {@code version}. */
    static ChartRef at(ChartRef source, String version) {
        return source instanceof ChartRef.Repository r ? new ChartRef.Repository(r.repositoryUrl(), r.name(), version)
                : new ChartRef.Oci(((ChartRef.Oci) source).reference(), version);
    }
}
