package dev.helmsdk.core.internal;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A release held by {@link ReleaseLocks}; closing it lets go of it. The Lease is renewed until the operation's deadline,
 * not after it, and given back within the deadline's cleanup window, or left to expire.
 */
final class HeldRelease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseLocks.class);

    private final ReleaseLocks locks;
    private final Semaphore semaphore;
    private final String namespace;
    private final String lease;
    private final Deadline deadline;
    private final ScheduledFuture<?> renewal;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** The Lease as this manager last wrote it: if its resourceVersion is unchanged at release, so is its queue. */
    private final AtomicReference<Lease> written;

    HeldRelease(ReleaseLocks locks, Semaphore semaphore, String namespace, String lease, Lease written, Deadline deadline) {
        this.locks = locks;
        this.semaphore = semaphore;
        this.namespace = namespace;
        this.lease = lease;
        this.written = new AtomicReference<>(written);
        this.deadline = deadline;
        // Renewals and the background release log with the MDC of the operation holding the Lease.
        Runnable renew = dev.helmsdk.core.internal.telemetry.LogContext.carried((Runnable) this::renew);
        this.renewal = lease == null ? null : locks.timer.scheduleAtFixedRate(
                () -> locks.renewals.execute(renew), ReleaseLocks.RENEW_SECONDS, ReleaseLocks.RENEW_SECONDS, TimeUnit.SECONDS);
    }

    private void renew() {
        if (closed.get()) {
            return;
        }
        try {
            // Waiters write to the Lease too (their queue entries): a conflict is retried on a fresh read.
            for (int attempt = 0; attempt < 3 && !closed.get(); attempt++) {
                Lease l = locks.kube.within(deadline.atMost(ReleaseLocks.RENEW_REQUEST)).leases().inNamespace(namespace).withName(lease).get();
                if (l == null || !locks.identity.equals(l.getSpec().getHolderIdentity())) {
                    return;
                }
                l.getSpec().setRenewTime(ReleaseLocks.now());
                try {
                    written.set(locks.kube.within(deadline.atMost(ReleaseLocks.RENEW_REQUEST)).leases().inNamespace(namespace)
                            .resource(l).update());
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
            }
        } catch (DeadlinePassedException e) {
            // The operation is over for its caller: it sends nothing more, and the Lease expires by itself.
            renewal.cancel(false);
        } catch (RuntimeException e) {
            LOG.warn("could not renew Lease {}/{}: {}", namespace, lease, e.getMessage());
        }
    }

    /**
     * Lets go of the release: the Lease is given back in the background (see ReleaseLocks), or here when
     * the operation is about to time out or the manager is closing. Returns without waiting for the background.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (renewal == null) {
            semaphore.release();
            return;
        }
        renewal.cancel(false);
        if (deadline.remaining().compareTo(ReleaseLocks.BACKGROUND_MARGIN) > 0 && !Thread.currentThread().isInterrupted()) {
            if (locks.background.submit(dev.helmsdk.core.internal.telemetry.LogContext.carried(
                    () -> giveBack(deadline.cleanup().atMost(ReleaseLocks.BACKGROUND_RELEASE))))) {
                return;
            }
            // The manager is closing: given back here.
        }
        // A timed-out operation is interrupted to stop it; giving back the Lease must still be tried.
        boolean interrupted = Thread.interrupted();
        try {
            giveBack(deadline.cleanup());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Gives the Lease back by {@code until} (or leaves it to expire), then lets go of the release in this JVM. */
    private void giveBack(Deadline until) {
        try {
            release(until);
        } catch (DeadlinePassedException e) {
            LOG.warn("Lease {}/{} left to expire within {} s: the operation's time limit passed before it could be given back",
                    namespace, lease, ReleaseLocks.LEASE_SECONDS);
        } catch (RuntimeException e) {
            // It expires by itself within LEASE_SECONDS.
            LOG.warn("could not release Lease {}/{}: {}", namespace, lease, e.getMessage());
        } finally {
            semaphore.release();
        }
    }

    /** Deletes the Lease, or hands it to the longest-waiting live waiter if one has queued. */
    private void release(Deadline until) {
        // First as we last wrote it: if unchanged since (conditional on its resourceVersion), nobody queued and
        // nobody took it over, and it costs one request, as without contention. Else read it and retry.
        Lease l = written.get();
        while (true) {
            long nowMillis = System.currentTimeMillis();
            LeaseQueue queue = LeaseQueue.of(l);
            Optional<LeaseQueue.Waiter> next = queue.oldestFresh(nowMillis, locks.identity);
            try {
                if (next.isPresent()) {
                    ReleaseLocks.handOver(l, queue.without(locks.identity), next.get(), nowMillis);
                    locks.kube.within(until).leases().inNamespace(namespace).resource(l).update();
                } else {
                    var ours = locks.kube.within(until).leases().inNamespace(namespace).withName(lease);
                    // A server that gave no resourceVersion (none does, but fabric8 refuses null) gets a plain delete.
                    (ReleaseLocks.version(l) == null ? ours : ours.lockResourceVersion(ReleaseLocks.version(l))).delete();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return; // gone already
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            l = locks.kube.within(until).leases().inNamespace(namespace).withName(lease).get();
            if (l == null || !locks.identity.equals(l.getSpec().getHolderIdentity())) {
                return;
            }
        }
    }
}
