package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseBusyException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Per-release mutual exclusion for changes: a fair semaphore per release within this JVM, and a
 * Kubernetes {@code Lease} ({@code helm-sdk.<release>} in the release's namespace) across processes.
 * The Lease is renewed while the operation runs and deleted after it; a holder that died stops
 * renewing, and its Lease is taken over once it has expired.
 *
 * <p>Handover is fair: a manager that finds the Lease held queues itself on it ({@link LeaseQueue}), and the holder,
 * at release, hands the Lease to the longest-waiting live waiter instead of deleting it, so a manager that releases
 * and re-acquires in a loop waits its turn behind the others. Every change to the Lease carries the resourceVersion
 * it was read at (a conflict is read again and retried). Without contention, taking and giving back the release
 * costs one request each: a create, and a delete conditional on the resourceVersion of our own last write.
 *
 * <p>Giving the Lease back is the one request of a change whose answer the caller does not need: {@link HeldRelease#close()}
 * sends it from a background thread and returns at once. The release stays held in this JVM (its semaphore) until
 * the Lease is given back, so this manager's next change of the same release waits for that, as it waited for the
 * synchronous release before; other processes see the Lease a few milliseconds longer. An operation near or past
 * its deadline (a timed-out one) still gives the Lease back on its own thread, so that its caller gets the timeout
 * only after it, and {@link #close()} waits for every Lease still being given back.
 */
final class ReleaseLocks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseLocks.class);
    static final int LEASE_SECONDS = 30;
    static final long RENEW_SECONDS = 10;
    /** How long a Lease handed to a waiter stays its to take: a waiter polls every {@value #POLL_MILLIS} ms. */
    static final int HANDOVER_SECONDS = 3;
    static final long POLL_MILLIS = 200;

    /** How long one renewal request may take: well within the renewal period. */
    static final Duration RENEW_REQUEST = Duration.ofSeconds(5);
    /** How long giving back a Lease in the background may take, all requests together; {@link #close()} waits this long at most. */
    static final Duration BACKGROUND_RELEASE = Duration.ofSeconds(5);
    /**
     * An operation with less time than this left gives its Lease back on its own thread: it is about to time out, and
     * its caller must get the timeout only once nothing more is sent.
     */
    static final Duration BACKGROUND_MARGIN = Duration.ofSeconds(1);

    final BoundedClient kube;
    private final boolean clusterLocks;
    final String identity;
    final ScheduledExecutorService timer;
    /** Renewals block on the API; they run here, not on the shared timer thread, whose lateness would delay every watchdog. */
    final ExecutorService renewals = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "helm-sdk-lease-renewal");
        t.setDaemon(true);
        return t;
    });
    final BackgroundReleases background = new BackgroundReleases();
    private final ConcurrentHashMap<String, Semaphore> local = new ConcurrentHashMap<>();
    private final java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals;

    /**
     * @param kube  every request bounded by the deadline of the operation that takes the lock
     * @param timer schedules renewals
     */
    public ReleaseLocks(BoundedClient kube, boolean clusterLocks, ScheduledExecutorService timer) {
        this(kube, clusterLocks, timer, signal -> { });
    }

    /** @param signals where a taken lock is reported ({@link OperationRunner#signal}), on the taking thread */
    public ReleaseLocks(BoundedClient kube, boolean clusterLocks, ScheduledExecutorService timer,
                        java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals) {
        this.kube = kube;
        this.clusterLocks = clusterLocks;
        this.timer = timer;
        this.signals = signals;
        this.identity = ProcessHandle.current().pid() + "@" + host() + "/" + UUID.randomUUID();
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    /** Who this manager is in the Leases it holds. */
    public String identity() {
        return identity;
    }

    /** Name of the Lease guarding a release. */
    static String leaseName(String release) {
        return "helm-sdk." + release;
    }

    /** Takes the release for a change, waiting at most {@code wait}. */
    public HeldRelease acquire(Operation op, String namespace, String release, Duration wait) {
        return Deadline.during(kube.current(), dev.helmsdk.api.spi.OperationPhase.LOCK, clusterLocks ? "taking the release's lock (its Lease " + leaseName(release) + ")"
                : "taking the release's lock", () -> take(op, namespace, release, wait));
    }

    private HeldRelease take(Operation op, String namespace, String release, Duration wait) {
        long started = System.nanoTime();
        long deadline = started + wait.toNanos();
        Semaphore s = local.computeIfAbsent(namespace + "/" + release, k -> new Semaphore(1, true));
        try {
            if (!s.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy(op, release, namespace, "another operation in this JVM", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(op, release, namespace, e);
        }
        try {
            Deadline bound = kube.current().orElseGet(() -> Deadline.after(wait.plus(RENEW_REQUEST)));
            java.util.concurrent.atomic.AtomicReference<String> takenFrom = new java.util.concurrent.atomic.AtomicReference<>();
            Lease taken = clusterLocks ? acquireLease(op, namespace, release, deadline, wait, takenFrom) : null;
            signals.accept(new dev.helmsdk.api.spi.OperationSignal.LockAcquired(Duration.ofNanos(System.nanoTime() - started),
                    takenFrom.get() != null, Optional.ofNullable(takenFrom.get())));
            return new HeldRelease(this, s, namespace, taken == null ? null : leaseName(release), taken, bound);
        } catch (RuntimeException e) {
            s.release();
            throw e;
        }
    }

    /**
     * Takes the release's Lease, waiting in its queue while another manager holds it.
     *
     * @return the Lease as written once ours, or {@code null} if the namespace does not exist (no lock needed)
     */
    private Lease acquireLease(Operation op, String namespace, String release, long deadline, Duration wait,
                               java.util.concurrent.atomic.AtomicReference<String> takenFrom) {
        String name = leaseName(release);
        boolean absent = true; // first try: create it, as if nobody held it (one request without contention)
        String holder = "unknown";
        while (true) {
            boolean conflict = false;
            try {
                if (absent) {
                    return kube.get().leases().inNamespace(namespace).resource(newLease(namespace, name, release)).create();
                }
                Lease l = kube.get().leases().inNamespace(namespace).withName(name).get();
                if (l == null) {
                    absent = true;
                    continue;
                }
                holder = l.getSpec().getHolderIdentity();
                Lease ours = claim(l, namespace, name, release);
                if (ours != null) {
                    if (holder != null && !identity.equals(holder)) {
                        takenFrom.set(holder); // claim takes another's Lease only once it expired: a takeover
                    }
                    return ours;
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404 && absent) {
                    // The namespace does not exist yet: no other change of this release can be under way.
                    return null;
                }
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw KubeErrors.translate(op, release, e);
                }
                // Created or changed by another manager meanwhile (409), or deleted (404): read it again at once.
                conflict = true;
                absent = e.getCode() == 404;
            }
            if (System.nanoTime() > deadline) {
                Lease ours = leaveQueue(namespace, name);
                if (ours != null) {
                    return ours;
                }
                throw busy(op, release, namespace, holder, wait);
            }
            if (!conflict) {
                sleep(op, release, namespace, wait);
            }
        }
    }

    /**
     * One look at a Lease that exists: takes it if it is ours to take (handed over to us, or expired with no live
     * waiter ahead of us), else queues or refreshes our entry. Returns the Lease as written if now ours.
     */
    private Lease claim(Lease l, String namespace, String name, String release) {
        long nowMillis = System.currentTimeMillis();
        LeaseQueue queue = LeaseQueue.of(l);
        var leases = kube.get().leases().inNamespace(namespace);
        boolean mine = identity.equals(l.getSpec().getHolderIdentity());
        if (mine && Integer.valueOf(HANDOVER_SECONDS).equals(l.getSpec().getLeaseDurationSeconds())) {
            return leases.resource(take(l, queue, nowMillis)).update();
        }
        Optional<LeaseQueue.Waiter> older = queue.oldestFresh(nowMillis, identity);
        if (mine && older.isPresent()) {
            // Left behind by an operation of ours that timed out, while others wait: their turn first.
            handOver(l, queue.with(identity, nowMillis), older.get(), nowMillis);
            leases.resource(l).update();
            return null;
        }
        // Ours (left behind; this thread holds the release in this JVM), or expired and nobody waits longer.
        if (mine || expired(l) && !queue.liveWaiterAhead(identity, nowMillis)) {
            Lease taken = leases.resource(take(l, queue, nowMillis)).update();
            if (!mine) {
                LOG.warn("took over the expired Lease {}/{} of release '{}'", namespace, name, release);
            }
            return taken;
        }
        Optional<LeaseQueue.Waiter> entry = queue.find(identity);
        if (entry.isEmpty() || nowMillis - entry.get().seenMillis() >= LeaseQueue.REFRESH_MILLIS) {
            queue.with(identity, nowMillis).writeTo(l, nowMillis);
            leases.resource(l).update();
        }
        return null;
    }

    /**
     * Gives up waiting: removes our queue entry, so nobody hands the Lease to us. If it was handed to us meanwhile,
     * it is ours after all: returns it as written then. Best effort: an entry left behind goes stale by itself.
     */
    private Lease leaveQueue(String namespace, String name) {
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                Lease l = kube.get().leases().inNamespace(namespace).withName(name).get();
                long nowMillis = System.currentTimeMillis();
                LeaseQueue queue = l == null ? null : LeaseQueue.of(l);
                try {
                    if (l != null && identity.equals(l.getSpec().getHolderIdentity())) {
                        return kube.get().leases().inNamespace(namespace).resource(take(l, queue, nowMillis)).update();
                    }
                    if (queue == null || queue.find(identity).isEmpty()) {
                        return null;
                    }
                    queue.without(identity).writeTo(l, nowMillis);
                    kube.get().leases().inNamespace(namespace).resource(l).update();
                    return null;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        return null;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("could not leave the queue of Lease {}/{}: {}", namespace, name, e.getMessage());
        }
        return null;
    }

    /** {@code l} made ours for a full Lease duration, our queue entry removed. */
    private Lease take(Lease l, LeaseQueue queue, long nowMillis) {
        l.getSpec().setHolderIdentity(identity);
        l.getSpec().setLeaseDurationSeconds(LEASE_SECONDS);
        l.getSpec().setAcquireTime(now());
        l.getSpec().setRenewTime(now());
        queue.without(identity).writeTo(l, nowMillis);
        return l;
    }

    /**
     * {@code l} handed to {@code next} for {@link #HANDOVER_SECONDS}: it takes it on its next poll (renewing it for a
     * full duration), or, had it died since its last refresh, the Lease soon expires for the others.
     */
    static void handOver(Lease l, LeaseQueue queue, LeaseQueue.Waiter next, long nowMillis) {
        l.getSpec().setHolderIdentity(next.identity());
        l.getSpec().setLeaseDurationSeconds(HANDOVER_SECONDS);
        l.getSpec().setAcquireTime(now());
        l.getSpec().setRenewTime(now());
        queue.without(next.identity()).writeTo(l, nowMillis);
    }

    static String version(Lease l) {
        return l.getMetadata().getResourceVersion();
    }

    private static void sleep(Operation op, String release, String namespace, Duration wait) {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(op, release, namespace, e);
        }
    }

    /** An interrupt is a request to stop, not a busy release: not retryable (see {@code Retryability}). */
    private static HelmSdkException interrupted(Operation op, String release, String namespace, InterruptedException e) {
        return new HelmSdkException(op, release, op.tag() + " of release '" + release + "' in namespace '" + namespace
                + "' was interrupted while waiting for the release", e);
    }

    private Lease newLease(String namespace, String name, String release) {
        return new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "helm-sdk").addToLabels("helm-sdk.dev/release", release)
                .endMetadata().withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds(LEASE_SECONDS)
                .withAcquireTime(now()).withRenewTime(now()).endSpec().build();
    }

    static boolean expired(Lease l) {
        ZonedDateTime renew = l.getSpec().getRenewTime() != null ? l.getSpec().getRenewTime() : l.getSpec().getAcquireTime();
        int seconds = l.getSpec().getLeaseDurationSeconds() == null ? LEASE_SECONDS : l.getSpec().getLeaseDurationSeconds();
        return renew == null || renew.toInstant().plusSeconds(seconds).isBefore(Instant.now());
    }

    /** Whether changes take the release's Lease (else only this JVM's semaphore). */
    boolean clusterLocks() {
        return clusterLocks;
    }

    /** Whether a live holder (not expired) holds the release's Lease. */
    public boolean heldByOther(String namespace, String release) {
        if (!clusterLocks) {
            return false;
        }
        Lease l = kube.get().leases().inNamespace(namespace).withName(leaseName(release)).get();
        return l != null && !identity.equals(l.getSpec().getHolderIdentity()) && !expired(l);
    }

    static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    private static ReleaseBusyException busy(Operation op, String release, String namespace, String holder, Duration wait) {
        return new ReleaseBusyException(op, release, holder, op.tag() + " of release '" + release + "' in namespace '" + namespace
                + "' waited " + wait + " for another operation on it to finish (held by " + holder + "); retry later");
    }

    /**
     * Waits until every Lease this manager has let go of has been given back (or given up on), at most {@code limit}.
     *
     * @return whether none is left pending
     */
    boolean awaitReleases(Duration limit) {
        return background.await(limit);
    }

    @Override
    public void close() {
        // The timer belongs to the engine; held locks are closed by their operations. Leases still being given back are
        // waited for (each is bounded by BACKGROUND_RELEASE); one let go of from now on is given back on its own thread.
        if (!background.close(BACKGROUND_RELEASE.plusMillis(500))) {
            LOG.warn("closed with Leases not yet given back: they expire within {} s", LEASE_SECONDS);
        }
        renewals.shutdownNow();
    }
}
