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

    private final KubernetesClient client;
    private final boolean clusterLocks;
    private final String identity;
    private final ScheduledExecutorService renewer;
    private final ConcurrentHashMap<String, Semaphore> local = new ConcurrentHashMap<>();

    public ReleaseLocks(KubernetesClient client, boolean clusterLocks, ScheduledExecutorService renewer) {
        this.client = client;
        this.clusterLocks = clusterLocks;
        this.renewer = renewer;
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

    /** A held release; closing it releases it. */
    public final class Held implements AutoCloseable {
        private final Semaphore semaphore;
        private final String namespace;
        private final String lease;
        private final ScheduledFuture<?> renewal;
        private final long acquiredNanos = System.nanoTime();

        private Held(Semaphore semaphore, String namespace, String lease) {
            this.semaphore = semaphore;
            this.namespace = namespace;
            this.lease = lease;
            this.renewal = lease == null ? null
                    : renewer.scheduleAtFixedRate(this::renew, RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
        }

        private void renew() {
            try {
                client.leases().inNamespace(namespace).withName(lease).edit(l -> {
                    if (identity.equals(l.getSpec().getHolderIdentity())) {
                        l.getSpec().setRenewTime(now());
                    }
                    return l;
                });
            } catch (RuntimeException e) {
                LOG.warn("could not renew Lease {}/{}: {}", namespace, lease, e.getMessage());
            }
        }

        @Override
        public void close() {
            try {
                if (renewal != null) {
                    renewal.cancel(false);
                    // Within its duration nobody can have taken the Lease over: delete it straight away.
                    boolean surelyOurs = System.nanoTime() - acquiredNanos < TimeUnit.SECONDS.toNanos(LEASE_SECONDS - 5);
                    Lease current = surelyOurs ? null : client.leases().inNamespace(namespace).withName(lease).get();
                    if (surelyOurs || current != null && identity.equals(current.getSpec().getHolderIdentity())) {
                        client.leases().inNamespace(namespace).withName(lease).delete();
                    }
                }
            } catch (RuntimeException e) {
                // It expires by itself within LEASE_SECONDS.
                LOG.warn("could not release Lease {}/{}: {}", namespace, lease, e.getMessage());
            } finally {
                semaphore.release();
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
            return new Held(s, namespace, clusterLocks ? acquireLease(op, namespace, release, deadline, wait) : null);
        } catch (RuntimeException e) {
            s.release();
            throw e;
        }
    }

    private String acquireLease(Operation op, String namespace, String release, long deadline, Duration wait) {
        String name = leaseName(release);
        while (true) {
            try {
                client.leases().inNamespace(namespace).resource(newLease(namespace, name, release)).create();
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
            Lease existing = client.leases().inNamespace(namespace).withName(name).get();
            if (existing != null && expired(existing)) {
                try {
                    existing.getSpec().setHolderIdentity(identity);
                    existing.getSpec().setAcquireTime(now());
                    existing.getSpec().setRenewTime(now());
                    client.leases().inNamespace(namespace).resource(existing).update();
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
        Lease l = client.leases().inNamespace(namespace).withName(leaseName(release)).get();
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
        // The renewer belongs to the engine; held locks are closed by their operations.
    }
}
