package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.api.spi.ReleaseQuery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads of release records, in Java, without the native library: each one LIST (or GET) of
 * Helm's release Secrets on the caller's thread, bounded by its limit, with no lock.
 */
final class ReleaseReads {

    private final OperationRunner runner;
    private final ReleaseStore store;
    private final ObjectMapper json;
    /** Answers from the release cache when it may, or {@code null} without one. */
    private final CachedReleaseReads cached;

    ReleaseReads(OperationRunner runner, ReleaseStore store, ObjectMapper json) {
        this(runner, store, json, null);
    }

    ReleaseReads(OperationRunner runner, ReleaseStore store, ObjectMapper json, dev.helmsdk.core.internal.cache.WatchedReleases cache) {
        this.runner = runner;
        this.store = store;
        this.json = json;
        this.cached = cache == null ? null : new CachedReleaseReads(cache, store);
    }

    Release status(ReleaseQuery q) {
        return runner.runInline(Operation.STATUS, q.releaseName(), q.namespace(), q.timeouts().start(),
                () -> cached(c -> c.status(Operation.STATUS, q.namespace(), q.releaseName(), q.revision())).orElseGet(
                        () -> store.revision(Operation.STATUS, q.namespace(), q.releaseName(), q.revision()).toRelease(q.namespace())));
    }

    List<Release> history(ReleaseQuery q) {
        return runner.runInline(Operation.HISTORY, q.releaseName(), q.namespace(), q.timeouts().start(), () -> {
            Optional<List<Release>> fromCache = cached(c -> c.history(Operation.HISTORY, q.namespace(), q.releaseName()));
            if (fromCache.isPresent()) {
                return fromCache.get();
            }
            List<StoredRelease> all = store.revisions(Operation.HISTORY, q.namespace(), q.releaseName());
            if (all.isEmpty()) {
                throw ReleaseStore.notFound(Operation.HISTORY, q.namespace(), q.releaseName());
            }
            return all.stream().map(r -> r.toRelease(q.namespace())).toList();
        });
    }

    List<Release> list(ListSpec spec) {
        return list(spec, Map.of());
    }

    /** As {@link #list(ListSpec)}, of the releases whose records carry {@code labels} too (Helm's {@code list --selector}). */
    List<Release> list(ListSpec spec, Map<String, String> labels) {
        String ns = spec.namespace();
        return runner.runInline(Operation.LIST, null, ns == null ? "*" : ns, spec.timeouts().start(), () -> {
            List<Release> out = new ArrayList<>();
            // The cache keeps no labels of the records: a labelled list asks the API.
            Optional<List<Release>> fromCache = labels.isEmpty() ? cached(c -> c.latestOfEach(Operation.LIST, ns)) : Optional.empty();
            if (fromCache.isPresent()) {
                fromCache.get().stream().filter(r -> spec.includes(r.status())).forEach(out::add);
            } else {
                for (ReleaseStore.StoredReleaseIn latest : store.latestOfEach(Operation.LIST, ns, labels)) {
                    Release r = store.decode(Operation.LIST, latest).toRelease(latest.namespace());
                    if (spec.includes(r.status())) {
                        out.add(r);
                    }
                }
            }
            out.sort(Comparator.comparing(Release::namespace).thenComparing(Release::name));
            return List.copyOf(out);
        });
    }

    Map<String, Object> values(ReleaseQuery q, boolean all) {
        return runner.runInline(Operation.VALUES, q.releaseName(), q.namespace(), q.timeouts().start(), () -> {
            StoredRelease r = revision(Operation.VALUES, q);
            if (!all) {
                return r.config(json);
            }
            Map<String, Object> merged = new LinkedHashMap<>();
            ValuesMerger.deepMerge(merged, r.chartValues(json));
            ValuesMerger.deepMerge(merged, r.config(json));
            ValuesMerger.pruneNulls(merged);
            return merged;
        });
    }

    String manifest(ReleaseQuery q) {
        return runner.runInline(Operation.MANIFEST, q.releaseName(), q.namespace(), q.timeouts().start(),
                () -> revision(Operation.MANIFEST, q).manifest());
    }

    Optional<Release> exists(ReleaseQuery q) {
        return runner.runInline(Operation.EXISTS, q.releaseName(), q.namespace(), q.timeouts().start(),
                () -> cached(c -> c.exists(Operation.EXISTS, q.namespace(), q.releaseName())).orElseGet(
                        () -> store.latest(Operation.EXISTS, q.namespace(), q.releaseName()).map(r -> r.toRelease(q.namespace()))));
    }

    /** What an upgrade check compares against (see {@link ReleaseStore#upgradeBase}), from the cache when it may answer. */
    Optional<ReleaseStore.UpgradeBase> upgradeBase(Operation op, String ns, String name) {
        return cached(c -> c.upgradeBase(op, ns, name)).orElseGet(() -> store.upgradeBase(op, ns, name));
    }

    private StoredRelease revision(Operation op, ReleaseQuery q) {
        return cached(c -> c.revision(op, q.namespace(), q.releaseName(), q.revision()))
                .orElseGet(() -> store.revision(op, q.namespace(), q.releaseName(), q.revision()));
    }

    /** What the cache answers, or empty without a cache or when it may not answer now. */
    private <T> Optional<T> cached(java.util.function.Function<CachedReleaseReads, Optional<T>> read) {
        return cached == null ? Optional.empty() : read.apply(cached);
    }
}
