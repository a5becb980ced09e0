package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseBusyException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Per-release mutual exclusion for changes: a fair semaphore per release within this JVM, and a
 * Kubernetes {@code Lease} ({@code helm-sdk.<release>} in the release's namespace) across processes.
 * The Lease is renewed while the operation runs and deleted after it; a holder that died stops
 * renewing, and its Lease is taken over once it has expired.
 */
public final class ReleaseLocks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseLocks.class);
    static final int LEASE_SECONDS = 30;
    private static final long RENEW_SECONDS = 10;

    /** How long one renewal request may take: well within the renewal period. */
    private static final Duration RENEW_REQUEST = Duration.ofSeconds(5);

    private final BoundedClient kube;
    private final boolean clusterLocks;
    private final String identity;
    private final ScheduledExecutorService timer;
    /** Renewals block on the API; they run here, not on the shared timer thread, whose lateness would delay every watchdog. */
    private final ExecutorService renewals = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "helm-sdk-lease-renewal");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentHashMap<String, Semaphore> local = new ConcurrentHashMap<>();

    /**
     * @param kube  every request bounded by the deadline of the operation that takes the lock
     * @param timer schedules renewals
     */
    public ReleaseLocks(BoundedClient kube, boolean clusterLocks, ScheduledExecutorService timer) {
        this.kube = kube;
        this.clusterLocks = clusterLocks;
        this.timer = timer;
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

    /**
     * A held release; closing it releases it. The Lease is renewed until the operation's deadline,
     * not after it, and given back within the deadline's cleanup window, or left to expire.
     */
    public final class Held implements AutoCloseable {
        private final Semaphore semaphore;
        private final String namespace;
        private final String lease;
        private final Deadline deadline;
        private final ScheduledFuture<?> renewal;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        private final long acquiredNanos = System.nanoTime();

        private Held(Semaphore semaphore, String namespace, String lease, Deadline deadline) {
            this.semaphore = semaphore;
            this.namespace = namespace;
            this.lease = lease;
            this.deadline = deadline;
            this.renewal = lease == null ? null : timer.scheduleAtFixedRate(
                    () -> renewals.execute(this::renew), RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
        }

        private void renew() {
            if (closed.get()) {
                return;
            }
            try {
                KubernetesClient c = kube.within(deadline.atMost(RENEW_REQUEST));
                Lease l = c.leases().inNamespace(namespace).withName(lease).get();
                if (l != null && identity.equals(l.getSpec().getHolderIdentity())) {
                    l.getSpec().setRenewTime(now());
                    kube.within(deadline.atMost(RENEW_REQUEST)).leases().inNamespace(namespace).resource(l).update();
                }
            } catch (DeadlinePassedException e) {
                // The operation is over for its caller: it sends nothing more, and the Lease expires by itself.
                renewal.cancel(false);
            } catch (RuntimeException e) {
                LOG.warn("could not renew Lease {}/{}: {}", namespace, lease, e.getMessage());
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            // A timed-out operation is interrupted to stop it; giving back the Lease must still be tried.
            boolean interrupted = Thread.interrupted();
            try {
                if (renewal != null) {
                    renewal.cancel(false);
                    release(deadline.cleanup());
                }
            } catch (DeadlinePassedException e) {
                LOG.warn("Lease {}/{} left to expire within {} s: the operation's time limit passed before it could be given back",
                        namespace, lease, LEASE_SECONDS);
            } catch (RuntimeException e) {
                // It expires by itself within LEASE_SECONDS.
                LOG.warn("could not release Lease {}/{}: {}", namespace, lease, e.getMessage());
            } finally {
                semaphore.release();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void release(Deadline until) {
            // Within its duration nobody can have taken the Lease over: delete it straight away.
            boolean surelyOurs = System.nanoTime() - acquiredNanos < TimeUnit.SECONDS.toNanos(LEASE_SECONDS - 5);
            Lease current = surelyOurs ? null : kube.within(until).leases().inNamespace(namespace).withName(lease).get();
            if (surelyOurs || current != null && identity.equals(current.getSpec().getHolderIdentity())) {
                kube.within(until).leases().inNamespace(namespace).withName(lease).delete();
            }
        }
    }

    /** Takes the release for a change, waiting at most {@code wait}. */
    public Held acquire(Operation op, String namespace, String release, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Semaphore s = local.computeIfAbsent(namespace + "/" + release, k -> new Semaphore(1, true));
        try {
            if (!s.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy(op, release, namespace, "another operation in this JVM", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(op, release, namespace, "another operation in this JVM (interrupted while waiting)", wait);
        }
        try {
            Deadline bound = kube.current().orElseGet(() -> Deadline.after(wait.plus(RENEW_REQUEST)));
            return new Held(s, namespace, clusterLocks ? acquireLease(op, namespace, release, deadline, wait) : null, bound);
        } catch (RuntimeException e) {
            s.release();
            throw e;
        }
    }

    private String acquireLease(Operation op, String namespace, String release, long deadline, Duration wait) {
        String name = leaseName(release);
        while (true) {
            try {
                kube.get().leases().inNamespace(namespace).resource(newLease(namespace, name, release)).create();
                return name;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    // The namespace does not exist yet: no other change of this release can be under way.
                    return null;
                }
                if (e.getCode() != 409) {
                    throw KubeErrors.translate(op, release, e);
                }
            }
            Lease existing = kube.get().leases().inNamespace(namespace).withName(name).get();
            // Ours, while this thread holds the release in this JVM: left by an operation of ours that timed out.
            if (existing != null && (expired(existing) || identity.equals(existing.getSpec().getHolderIdentity()))) {
                try {
                    existing.getSpec().setHolderIdentity(identity);
                    existing.getSpec().setAcquireTime(now());
                    existing.getSpec().setRenewTime(now());
                    kube.get().leases().inNamespace(namespace).resource(existing).update();
                    LOG.warn("took over the expired Lease {}/{} of release '{}'", namespace, name, release);
                    return name;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw KubeErrors.translate(op, release, e);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                String holder = existing == null ? "unknown" : existing.getSpec().getHolderIdentity();
                throw busy(op, release, namespace, holder, wait);
            }
            sleep(op, release, namespace, wait);
        }
    }

    private static void sleep(Operation op, String release, String namespace, Duration wait) {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReleaseBusyException(op, release, null, "interrupted while waiting for release '" + release
                    + "' in namespace '" + namespace + "'");
        }
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

    /** Whether a live holder (not expired) holds the release's Lease. */
    public boolean heldByOther(String namespace, String release) {
        if (!clusterLocks) {
            return false;
        }
        Lease l = kube.get().leases().inNamespace(namespace).withName(leaseName(release)).get();
        return l != null && !identity.equals(l.getSpec().getHolderIdentity()) && !expired(l);
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    private static ReleaseBusyException busy(Operation op, String release, String namespace, String holder, Duration wait) {
        return new ReleaseBusyException(op, release, holder, op.tag() + " of release '" + release + "' in namespace '" + namespace
                + "' waited " + wait + " for another operation on it to finish (held by " + holder + "); retry later");
    }

    @Override
    public void close() {
        // The timer belongs to the engine; held locks are closed by their operations.
        renewals.shutdownNow();
    }
}
