package dev.helmsdk.core.internal.cache;

import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.core.ReleaseCache;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The release records of the namespaces a {@link ReleaseCache} names, kept by fabric8 informers, and when
 * reads may be served from them:
 * <ul>
 *   <li>only while the namespace's informer has listed and its watch is connected (during a reconnect or a
 *       re-list after 410 Gone, reads go to the API);</li>
 *   <li>not for a release this manager is changing, nor after its change until the cache has caught up with a
 *       direct LIST of its records made after the change ended (read-your-writes): the one the change sends as it
 *       ends, a read's, or a list's of its namespace; it says which records and resourceVersions the cache must hold
 *       (or the watch must have passed its resourceVersion);</li>
 *   <li>a namespace-wide read ({@code list}) not while any release of the namespace is so pending.</li>
 * </ul>
 * A pending release is forgotten once the cache has caught up, whether a read or the watch finds it so: what is
 * kept is bounded by the changes the watch has not delivered yet (and those whose closing LIST failed, until a
 * read or a list of their namespace), not by the releases written.
 * Owns its informers (stopped by {@link #close()}); no global state.
 */
public final class WatchedReleases implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchedReleases.class);

    record Watched(SharedIndexInformer<Secret> informer, RecordIndex index) {
        boolean fresh() {
            return informer.hasSynced() && informer.isWatching();
        }
    }

    /** What the cache must show of a release before it may answer for it again. */
    private record Expectation(long listVersion, Map<String, String> items) {
    }

    /** A release this manager is changing or has changed, until the cache has caught up. */
    private static final class Pending {
        int inFlight;
        /** Whether a change that ran has ended since the cache last caught up (a change that never ran wrote nothing). */
        boolean changed;
        long endedAt;
        Expectation expected;
    }

    private final Map<String, Watched> watched;   // by namespace; one entry keyed "" when cluster-wide
    private final boolean clusterWide;
    private final AtomicLong clock = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final CacheMeters meters;

    WatchedReleases(Map<String, Watched> watched, boolean clusterWide, MeterRegistry registry) {
        this.watched = watched;
        this.clusterWide = clusterWide;
        this.meters = new CacheMeters(registry);
        // What the watch delivers may be what a pending release waits for: then it is no longer pending.
        watched.values().forEach(w -> w.index().onChange((namespace, release) -> settle(w, namespace, release)));
    }

    /**
     * Starts an informer per namespace (or one for the cluster) and waits until each has listed and watches.
     *
     * @throws KubernetesApiException    when one cannot list or watch (RBAC), naming the namespace
     * @throws OperationTimeoutException when they have not listed within the sync timeout
     */
    public static WatchedReleases start(KubernetesClient client, ReleaseCache config, MeterRegistry registry) {
        Map<String, Watched> all = new LinkedHashMap<>();
        List<String> scopes = config.isClusterWide() ? List.of("") : List.copyOf(config.namespaces());
        for (String ns : scopes) {
            RecordIndex index = new RecordIndex();
            SharedIndexInformer<Secret> informer = (ns.isEmpty() ? client.secrets().inAnyNamespace() : client.secrets().inNamespace(ns))
                    .withLabel("owner", "helm").runnableInformer(0);
            informer.itemStore(index);
            // Once started, keep retrying whatever ends a watch (fabric8's default gives up on some): reads go to the
            // API meanwhile, and the cache serves again once it has re-listed.
            informer.exceptionHandler((started, t) -> {
                if (started) {
                    LOG.warn("Release cache: the watch of release Secrets {} failed; reads go to the API until it is back: {}",
                            where(ns), t.toString());
                }
                return started;
            });
            all.put(ns, new Watched(informer, index));
        }
        WatchedReleases cache = new WatchedReleases(all, config.isClusterWide(), registry);
        Map<String, CompletableFuture<Void>> started = new LinkedHashMap<>();
        all.forEach((ns, w) -> started.put(ns, w.informer().start().toCompletableFuture()));
        long end = System.nanoTime() + config.syncTimeout().toNanos();
        for (Map.Entry<String, CompletableFuture<Void>> e : started.entrySet()) {
            try {
                e.getValue().get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException failed) {
                cache.close();
                throw refused(e.getKey(), failed.getCause());
            } catch (TimeoutException late) {
                cache.close();
                throw new OperationTimeoutException(Operation.CONFIGURE, null, config.syncTimeout(),
                        "the release cache did not list the release Secrets " + where(e.getKey()) + " within " + config.syncTimeout()
                                + "; give ReleaseCache.withSyncTimeout(...) more time, or check that the Kubernetes API answers", late);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                cache.close();
                throw new OperationTimeoutException(Operation.CONFIGURE, null, config.syncTimeout(),
                        "interrupted while the release cache listed the release Secrets " + where(e.getKey()), interrupted);
            }
        }
        // Started means listed and the watch request sent; answering from the cache waits until the server has begun
        // the watch's response, moments later.
        while (!all.values().stream().allMatch(Watched::fresh) && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return cache;
    }

    private static KubernetesApiException refused(String ns, Throwable cause) {
        KubernetesClientException k = cause instanceof KubernetesClientException kc ? kc : null;
        int code = k == null ? 0 : Math.max(k.getCode(), 0);
        String reason = k == null || k.getStatus() == null ? null : k.getStatus().getReason();
        String detail = k != null && k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : String.valueOf(cause);
        String hint = code == 401 || code == 403
                ? "; grant list and watch on secrets " + where(ns) + " (for example a Role with resources [\"secrets\"], verbs [\"list\", \"watch\"]),"
                        + " or name other namespaces in ReleaseCache.namespaces(...), or leave releaseCache unset"
                : "";
        return new KubernetesApiException(Operation.CONFIGURE, null, code, reason, "the release cache cannot list and watch the release"
                + " Secrets (label owner=helm) " + where(ns) + ": " + (code == 0 ? "the Kubernetes API could not be reached" : "the Kubernetes API answered "
                + code) + ": " + detail + hint, cause);
    }

    private static String where(String ns) {
        return ns.isEmpty() ? "in all namespaces" : "in namespace '" + ns + "'";
    }

    /** Whether reads of {@code namespace} are this cache's to answer (else they go to the API, uncounted). */
    public boolean covers(String namespace) {
        return watcher(namespace) != null;
    }

    private Watched watcher(String namespace) {
        return clusterWide ? watched.get("") : namespace == null ? null : watched.get(namespace);
    }

    /**
     * The revisions of a release (empty: it has none), when the cache may answer for it now; empty when the
     * caller must read the API.
     */
    public Optional<NavigableMap<Integer, CachedRecord>> release(Operation op, String namespace, String release) {
        Watched w = watcher(namespace);
        if (w == null) {
            return Optional.empty();
        }
        boolean ok = w.fresh() && caughtUp(w, namespace, release);
        count(op, ok);
        return ok ? Optional.of(w.index().revisions(namespace, release)) : Optional.empty();
    }

    /**
     * Every release's revisions in {@code namespace} ({@code null}: all namespaces, only when cluster-wide), when
     * the cache may answer for all of them now.
     */
    public Optional<List<NavigableMap<Integer, CachedRecord>>> releases(Operation op, String namespace) {
        Watched w = namespace == null ? (clusterWide ? watched.get("") : null) : watcher(namespace);
        if (w == null) {
            return Optional.empty();
        }
        boolean ok = w.fresh();
        for (String key : new ArrayList<>(pending.keySet())) {
            int slash = key.indexOf('/');
            String ns = key.substring(0, slash);
            if (ok && (namespace == null || namespace.equals(ns))) {
                ok = caughtUp(w, ns, key.substring(slash + 1));
            }
        }
        count(op, ok);
        return ok ? Optional.of(w.index().releases(namespace).toList()) : Optional.empty();
    }

    /** Whether the cache shows at least what this manager's last change of the release left (true when it changed none). */
    private boolean caughtUp(Watched w, String namespace, String release) {
        String key = RecordIndex.releaseKey(namespace, release);
        return !pending.containsKey(key) || settle(w, namespace, release);
    }

    /** Forgets the release as pending if the cache has caught up with it; whether it is no longer pending. */
    private boolean settle(Watched w, String namespace, String release) {
        String key = RecordIndex.releaseKey(namespace, release);
        pending.computeIfPresent(key, (k, p) -> isCaughtUp(w, namespace, release, p) ? null : p);
        return !pending.containsKey(key);
    }

    private static boolean isCaughtUp(Watched w, String namespace, String release, Pending p) {
        return p.inFlight == 0 && p.expected != null && satisfied(w, namespace, release, p.expected);
    }

    private static boolean satisfied(Watched w, String namespace, String release, Expectation e) {
        long synced = number(w.informer().lastSyncResourceVersion());
        if (e.listVersion() >= 0 && synced >= e.listVersion()) {
            return true;   // the watch has passed the LIST: every event up to it is in the store
        }
        Map<String, String> have = new LinkedHashMap<>();
        w.index().revisions(namespace, release).values().forEach(r -> have.put(r.secretName(), r.resourceVersion()));
        if (e.listVersion() < 0) {
            return have.equals(e.items());   // resourceVersions that are not numbers: only the same state will do
        }
        for (Map.Entry<String, String> want : e.items().entrySet()) {
            String got = have.get(want.getKey());
            if (got == null || number(got) < number(want.getValue())) {
                return false;
            }
        }
        for (Map.Entry<String, String> extra : have.entrySet()) {
            if (!e.items().containsKey(extra.getKey()) && number(extra.getValue()) <= e.listVersion()) {
                return false;   // deleted by the change, and the deletion not seen yet
            }
        }
        return true;
    }

    private static long number(String resourceVersion) {
        try {
            return resourceVersion == null ? -1 : Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A change of the release by this manager starts: until it ends and the cache caught up, its reads go to the API. */
    public void writeStarted(String namespace, String release) {
        if (covers(namespace)) {
            pending.compute(RecordIndex.releaseKey(namespace, release), (k, p) -> {
                Pending q = p == null ? new Pending() : p;
                q.inFlight++;
                return q;
            });
        }
    }

    /**
     * A change of the release by this manager ended (however it ended): until a direct LIST made from now on
     * ({@link #listed}) says what the cache must show, its reads go to the API.
     */
    public void writeEnded(String namespace, String release) {
        if (covers(namespace)) {
            pending.computeIfPresent(RecordIndex.releaseKey(namespace, release), (k, p) -> {
                p.inFlight--;
                p.changed = true;
                p.endedAt = clock.incrementAndGet();
                p.expected = null;
                return p;
            });
        }
    }

    /** A change announced by {@link #writeStarted} did not run at all (refused before it began): it wrote nothing. */
    public void writeSkipped(String namespace, String release) {
        if (covers(namespace)) {
            pending.computeIfPresent(RecordIndex.releaseKey(namespace, release), (k, p) -> {
                p.inFlight--;
                return p.inFlight == 0 && !p.changed ? null : p;
            });
        }
    }

    /** The point a direct LIST starts at: pass it to {@link #listed}. */
    public long clock() {
        return clock.get();
    }

    /**
     * A direct LIST of one release's records, started at {@code startedAt}, came back: if it started after the
     * release's last change by this manager ended, it says what the cache must show before it answers again.
     */
    public void listed(String namespace, String release, long startedAt, SecretList list) {
        if (release != null && pending.containsKey(RecordIndex.releaseKey(namespace, release))) {
            expect(namespace, release, startedAt, list, list.getItems());
        }
    }

    /**
     * A direct LIST of every release record of {@code namespace} ({@code null}: of all namespaces), started at
     * {@code startedAt}, came back: it holds all records of each pending release there, so it says, as
     * {@link #listed} does, what the cache must show of each (a list of the namespace settles what a change's own
     * LIST could not, without a read of each release).
     */
    public void listedAll(String namespace, long startedAt, SecretList list) {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, List<Secret>> byRelease = new java.util.HashMap<>();
        for (Secret s : list.getItems()) {
            Map<String, String> labels = s.getMetadata().getLabels();
            String release = labels == null ? null : labels.get("name");
            if (release != null) {
                byRelease.computeIfAbsent(RecordIndex.releaseKey(s.getMetadata().getNamespace(), release), k -> new ArrayList<>()).add(s);
            }
        }
        for (String key : new ArrayList<>(pending.keySet())) {
            int slash = key.indexOf('/');
            String ns = key.substring(0, slash);
            if (namespace == null || namespace.equals(ns)) {
                expect(ns, key.substring(slash + 1), startedAt, list, byRelease.getOrDefault(key, List.of()));
            }
        }
    }

    /** What {@code items}, the release's records in a LIST started at {@code startedAt}, say the cache must show. */
    private void expect(String namespace, String release, long startedAt, SecretList list, List<Secret> records) {
        Map<String, String> items = new LinkedHashMap<>();
        for (Secret s : records) {
            if (RecordIndex.SECRET_TYPE.equals(s.getType())) {
                items.put(s.getMetadata().getName(), s.getMetadata().getResourceVersion());
            }
        }
        long version = list.getMetadata() == null ? -1 : number(list.getMetadata().getResourceVersion());
        boolean numeric = version >= 0 && items.values().stream().allMatch(v -> number(v) >= 0);
        Expectation e = new Expectation(numeric ? version : -1, Map.copyOf(items));
        Watched w = watcher(namespace);
        pending.computeIfPresent(RecordIndex.releaseKey(namespace, release), (k, p) -> {
            if (p.inFlight == 0 && startedAt >= p.endedAt) {
                p.expected = e;
            }
            // The watch may have delivered it all before the LIST came back: then nothing is pending.
            return w != null && isCaughtUp(w, namespace, release, p) ? null : p;
        });
    }

    /** How many releases are pending (changing, or changed and not yet caught up with). */
    int pendingCount() {
        return pending.size();
    }

    private void count(Operation op, boolean hit) {
        meters.read(op, hit);
    }

    /** Stops the informers (their watches end). */
    @Override
    public void close() {
        for (Watched w : watched.values()) {
            try {
                w.informer().stop();
            } catch (RuntimeException e) {
                LOG.debug("Release cache: stopping an informer failed", e);
            }
        }
    }
}
