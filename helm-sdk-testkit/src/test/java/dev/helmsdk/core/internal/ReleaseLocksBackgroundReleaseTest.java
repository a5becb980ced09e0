package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.RecordedRequest;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change's caller does not wait for its release's Lease to be given back, and nothing it relies on changes for it:
 * the same manager's next change of the release waits for the Lease to be given back, closing the manager waits for
 * every Lease still being given back, and an operation about to time out gives it back on its own thread. Against
 * the embedded Kubernetes API, through a client whose Lease deletions take {@value #SLOW_DELETE_MS} ms, so the
 * background is still busy when the test looks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class ReleaseLocksBackgroundReleaseTest {

    private static final String NS = "default";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long SLOW_DELETE_MS = 400;

    private EmbeddedKubernetes cluster;
    private KubernetesClient kube;
    private KubernetesClient slowDeletes;
    private ScheduledExecutorService timer;

    @BeforeAll
    void start() throws Exception {
        cluster = EmbeddedKubernetes.start();
        kube = cluster.client();
        Interceptor slow = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                if (request.method().equals("DELETE") && request.uri().getPath().contains("/leases/")) {
                    try {
                        Thread.sleep(SLOW_DELETE_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        slowDeletes = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeConfigPath())))
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("slow-lease-deletes", slow)).build();
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    void stop() {
        timer.shutdownNow();
        slowDeletes.close();
        cluster.close();
    }

    private ReleaseLocks manager() {
        return new ReleaseLocks(BoundedClient.unbounded(slowDeletes), true, timer);
    }

    private boolean leaseExists(String release) {
        return kube.leases().inNamespace(NS).withName(ReleaseLocks.leaseName(release)).get() != null;
    }

    private List<String> leaseRequests(String release) {
        return cluster.requests().stream().filter(r -> r.path().endsWith("/leases") || r.path().endsWith("/leases/" + ReleaseLocks.leaseName(release)))
                .map(RecordedRequest::method).toList();
    }

    private static long msSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void theCallerDoesNotWaitForTheLeaseToBeGivenBack() {
        try (ReleaseLocks a = manager()) {
            HeldRelease held = a.acquire(Operation.UPGRADE, NS, "quick", WAIT);
            long t0 = System.nanoTime();
            held.close();
            long closeMs = msSince(t0);
            assertTrue(closeMs < SLOW_DELETE_MS / 2, "close() returned before the Lease was deleted: " + closeMs + " ms");
            assertTrue(leaseExists("quick"), "the Lease is still being given back");
            assertTrue(a.awaitReleases(Duration.ofSeconds(10)));
            assertTrue(msSince(t0) >= SLOW_DELETE_MS, "given back in the background, after the slow delete");
            assertTrue(!leaseExists("quick"), "then deleted");
        }
    }

    @Test
    void theNextChangeOfTheReleaseInTheSameManagerWaitsForTheLeaseToBeGivenBack() {
        try (ReleaseLocks a = manager()) {
            a.acquire(Operation.INSTALL, NS, "next", WAIT).close();
            cluster.clearRequests();
            long t0 = System.nanoTime();
            HeldRelease second = a.acquire(Operation.UPGRADE, NS, "next", WAIT);
            long waitedMs = msSince(t0);
            assertTrue(waitedMs >= SLOW_DELETE_MS / 2, "the second change waited for the first one's Lease: " + waitedMs + " ms");
            // In order, one request each: the delete landed before the create, so the create met no Lease (no 409, no read).
            assertEquals(List.of("DELETE", "POST"), leaseRequests("next"), cluster.requests().toString());
            assertEquals(a.identity(), kube.leases().inNamespace(NS).withName("helm-sdk.next").get().getSpec().getHolderIdentity());
            second.close();
        }
        assertNull(kube.leases().inNamespace(NS).withName("helm-sdk.next").get(), "closing the manager gave it back");
    }

    @Test
    void closingTheManagerWaitsForEveryLeaseStillBeingGivenBack() {
        ReleaseLocks a = manager();
        a.acquire(Operation.UPGRADE, NS, "one", WAIT).close();
        a.acquire(Operation.UPGRADE, NS, "two", WAIT).close();
        assertTrue(leaseExists("one") || leaseExists("two"), "still being given back when the manager closes");
        long t0 = System.nanoTime();
        a.close();
        System.out.printf("close() waited %d ms for the Leases%n", msSince(t0));
        assertTrue(!leaseExists("one") && !leaseExists("two"), "both given back by the time close() returned");
    }

    @Test
    void anOperationAboutToTimeOutGivesTheLeaseBackOnItsOwnThread() {
        // The operation's deadline is 800 ms away: too close for the background (its caller must get the timeout only
        // once nothing more is sent), so close() itself deletes the Lease, within the deadline's cleanup window.
        Deadline deadline = Deadline.after(Duration.ofMillis(800));
        try (ReleaseLocks a = new ReleaseLocks(new BoundedClient(slowDeletes, () -> Optional.of(deadline)), true, timer)) {
            HeldRelease held = a.acquire(Operation.UPGRADE, NS, "late", WAIT);
            long t0 = System.nanoTime();
            held.close();
            long closeMs = msSince(t0);
            assertTrue(closeMs >= SLOW_DELETE_MS, "close() sent the delete itself: " + closeMs + " ms");
            assertTrue(!leaseExists("late"), "given back before close() returned");
        }
    }

    @Test
    void anInterruptedOperationGivesTheLeaseBackOnItsOwnThread() {
        try (ReleaseLocks a = manager()) {
            HeldRelease held = a.acquire(Operation.UPGRADE, NS, "stopped", WAIT);
            Thread.currentThread().interrupt(); // as the runner stops a timed-out operation
            try {
                held.close();
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            } finally {
                Thread.interrupted();
            }
            assertTrue(!leaseExists("stopped"), "given back before close() returned");
        }
    }
}
