package dev.helmsdk.core;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.internal.KubernetesNames;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which release records a manager keeps in memory, fed by a watch, so that {@code status}, {@code exists},
 * {@code history}, {@code list} and the read {@code needsUpgrade} makes send no request: an informer on Helm's
 * release Secrets (label {@code owner=helm}) per namespace, or one for the whole cluster, started by
 * {@link HelmSdk.Builder#build()} (which waits until it has listed them) and stopped by {@code close()}.
 * Reads of other namespaces go to the Kubernetes API as without a cache.
 *
 * <p>What it keeps per revision: its labels and Helm's compressed record (a few kilobytes); the record is
 * decoded on first read, and only the summary a {@code Release} shows stays decoded. A change this manager
 * made is seen by its next read (read-your-writes): until the watch has delivered it, reads of that release
 * go to the API. While the watch is down or re-listing, every read goes to the API. Changes made elsewhere
 * (another process, the {@code helm} CLI) show once the watch delivers them, usually within milliseconds.
 *
 * <pre>{@code
 * HelmManager helm = HelmSdk.builder().releaseCache(ReleaseCache.namespaces("apps", "jobs")).build();
 * }</pre>
 *
 * Needs {@code list} and {@code watch} on {@code secrets} in those namespaces (cluster-wide: in all).
 * Immutable.
 */
public final class ReleaseCache {

    /** How long {@link HelmSdk.Builder#build()} waits for the first listing unless {@link #withSyncTimeout} says otherwise. */
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(30);

    private final Set<String> namespaces;
    private final Duration syncTimeout;

    private ReleaseCache(Set<String> namespaces, Duration syncTimeout) {
        this.namespaces = namespaces;
        this.syncTimeout = syncTimeout;
    }

    /**
     * Keeps the releases of these namespaces: one watch each.
     *
     * @param namespaces one or more namespace names
     * @return the configuration
     * @throws InvalidRequestException when none is given or one is not a valid namespace name
     */
    public static ReleaseCache namespaces(String... namespaces) {
        Objects.requireNonNull(namespaces, "namespaces");
        if (namespaces.length == 0) {
            throw new InvalidRequestException(Operation.CONFIGURE, null,
                    "ReleaseCache.namespaces needs at least one namespace; use ReleaseCache.clusterWide() for all of them");
        }
        Set<String> set = new LinkedHashSet<>();
        for (String ns : namespaces) {
            Objects.requireNonNull(ns, "namespaces");
            if (!KubernetesNames.isNamespace(ns)) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "ReleaseCache.namespaces: '" + ns
                        + "' is not a namespace name (" + KubernetesNames.NAMESPACE_RULE + ")");
            }
            set.add(ns);
        }
        return new ReleaseCache(Collections.unmodifiableSet(set), DEFAULT_SYNC_TIMEOUT);
    }

    /**
     * Keeps the releases of every namespace: one watch for the cluster. Needs {@code list} and {@code watch} on
     * {@code secrets} cluster-wide, and memory for every release record of the cluster.
     *
     * @return the configuration
     */
    public static ReleaseCache clusterWide() {
        return new ReleaseCache(Set.of(), DEFAULT_SYNC_TIMEOUT);
    }

    /**
     * How long {@link HelmSdk.Builder#build()} waits for the first listing before it fails
     * ({@link dev.helmsdk.api.OperationTimeoutException}); default {@link #DEFAULT_SYNC_TIMEOUT}.
     *
     * @param timeout positive
     * @return a copy with that timeout
     * @throws InvalidRequestException when {@code timeout} is zero or negative
     */
    public ReleaseCache withSyncTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new InvalidRequestException(Operation.CONFIGURE, null, "ReleaseCache.withSyncTimeout must be positive, was " + timeout);
        }
        return new ReleaseCache(namespaces, timeout);
    }

    /** The namespaces kept, in the order given; empty when {@link #isClusterWide()}. */
    public Set<String> namespaces() {
        return namespaces;
    }

    /** Whether every namespace is kept. */
    public boolean isClusterWide() {
        return namespaces.isEmpty();
    }

    /** How long the first listing may take. */
    public Duration syncTimeout() {
        return syncTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReleaseCache c && c.namespaces.equals(namespaces) && c.syncTimeout.equals(syncTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespaces, syncTimeout);
    }

    @Override
    public String toString() {
        return "ReleaseCache[" + (isClusterWide() ? "cluster-wide" : "namespaces=" + namespaces) + ", syncTimeout=" + syncTimeout + "]";
    }
}
