package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.core.internal.cache.CachedRecord;
import dev.helmsdk.core.internal.cache.WatchedReleases;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;

/**
 * The reads of {@link ReleaseReads} answered from the release cache's records, with the same results and
 * errors as the direct reads: summaries decoded once per revision and kept, whole records decoded for the
 * call and dropped. Each method returns empty when the cache may not answer now (the caller reads the API).
 */
final class CachedReleaseReads {

    private final WatchedReleases cache;
    private final ReleaseStore store;

    CachedReleaseReads(WatchedReleases cache, ReleaseStore store) {
        this.cache = cache;
        this.store = store;
    }

    /** One revision's summary (0: the latest), or a not-found error as the direct read gives. */
    Optional<Release> status(Operation op, String ns, String name, int revision) {
        return cache.release(op, ns, name).map(all -> summary(op, pick(op, ns, name, all, revision)));
    }

    /** Every revision's summary, oldest first, or a not-found error. */
    Optional<List<Release>> history(Operation op, String ns, String name) {
        return cache.release(op, ns, name).map(all -> {
            if (all.isEmpty()) {
                throw ReleaseStore.notFound(op, ns, name);
            }
            return all.values().stream().map(r -> summary(op, r)).toList();
        });
    }

    /** The latest revision's summary, if the release has one. */
    Optional<Optional<Release>> exists(Operation op, String ns, String name) {
        return cache.release(op, ns, name).map(all -> all.isEmpty() ? Optional.empty() : Optional.of(summary(op, all.lastEntry().getValue())));
    }

    /** One revision's whole record (0: the latest), decoded for this call. */
    Optional<StoredRelease> revision(Operation op, String ns, String name, int revision) {
        return cache.release(op, ns, name).map(all -> decode(op, pick(op, ns, name, all, revision)));
    }

    /** What {@link ReleaseStore#upgradeBase} reads, from the cache. */
    Optional<Optional<ReleaseStore.UpgradeBase>> upgradeBase(Operation op, String ns, String name) {
        return cache.release(op, ns, name).map(all -> {
            if (all.isEmpty()) {
                return Optional.empty();
            }
            CachedRecord latest = all.lastEntry().getValue();
            ReleaseStatus status = ReleaseStatus.fromHelm(latest.status());
            CachedRecord base = status == ReleaseStatus.DEPLOYED ? latest : all.descendingMap().values().stream()
                    .filter(r -> "deployed".equals(r.status())).findFirst().orElse(latest);
            return Optional.of(new ReleaseStore.UpgradeBase(status, decode(op, base)));
        });
    }

    /** The latest revision of every release in {@code ns} ({@code null}: all namespaces). */
    Optional<List<Release>> latestOfEach(Operation op, String ns) {
        return cache.releases(op, ns).map(all -> all.stream().map(NavigableMap::lastEntry).map(Map.Entry::getValue)
                .map(r -> summary(op, r)).toList());
    }

    /** One revision of {@code all} (0: the latest), or the not-found error the direct read gives. */
    private static CachedRecord pick(Operation op, String ns, String name, NavigableMap<Integer, CachedRecord> all, int revision) {
        CachedRecord r = revision > 0 ? all.get(revision) : all.isEmpty() ? null : all.lastEntry().getValue();
        if (r == null) {
            throw revision > 0 ? new ReleaseNotFoundException(op, name,
                    "release '" + name + "' has no revision " + revision + " in namespace '" + ns + "'") : ReleaseStore.notFound(op, ns, name);
        }
        return r;
    }

    private Release summary(Operation op, CachedRecord r) {
        return r.summary(x -> decode(op, x).toRelease(x.namespace()));
    }

    private StoredRelease decode(Operation op, CachedRecord r) {
        return store.decodeCached(op, r.release(), r.secretName(), r.revision(), r.payload(), r.awaitingMark());
    }
}
