package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseBusyException;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.RecordedRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fair handover of a release's Lease between two managers (two {@link ReleaseLocks}, two identities, as two
 * processes have) against the embedded Kubernetes API: one that releases and re-acquires in a loop waits its turn
 * behind the other, a waiter that died or gave up blocks nobody, and without contention a change still costs one
 * request to take the release and one to give it back. A manager gives a Lease back in the background
 * ({@link ReleaseLocksBackgroundReleaseTest}): where a test looks at the Lease right after letting go of it, it first
 * waits for that ({@link #givenBack}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
class ReleaseLocksFairnessTest {

    private static final String NS = "default";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EmbeddedKubernetes cluster;
    private KubernetesClient kube;
    private ScheduledExecutorService timer;

    @BeforeAll
    void start() {
        cluster = EmbeddedKubernetes.start();
        kube = cluster.client();
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    void stop() {
        timer.shutdownNow();
        cluster.close();
    }

    private ReleaseLocks manager() {
        return new ReleaseLocks(BoundedClient.unbounded(kube), true, timer);
    }

    /** Waits until {@code locks} has given back every Lease it let go of. */
    private static void givenBack(ReleaseLocks locks) {
        assertTrue(locks.awaitReleases(Duration.ofSeconds(10)), "the Leases were given back within 10 s");
    }

    /** Each of the two managers changes the release {@code rounds} times, holding it 20 ms each time; returns who held it, in order. */
    private List<String> contend(String release, int rounds) throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch aHolds = new CountDownLatch(1);
        try (ReleaseLocks a = manager(); ReleaseLocks b = manager()) {
            Thread ta = loop("A", a, release, rounds, order, inside, failures, aHolds);
            aHolds.await(10, TimeUnit.SECONDS);
            Thread tb = loop("B", b, release, rounds, order, inside, failures, null);
            ta.join(60_000);
            tb.join(60_000);
        }
        assertTrue(failures.isEmpty(), "no failure in either manager: " + failures);
        assertEquals(2 * rounds, order.size(), "every change ran: " + order);
        return order;
    }

    private static Thread loop(String who, ReleaseLocks locks, String release, int rounds, List<String> order,
                               AtomicInteger inside, List<Throwable> failures, CountDownLatch firstHeld) {
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    try (HeldRelease held = locks.acquire(Operation.UPGRADE, NS, release, WAIT)) {
                        if (inside.incrementAndGet() != 1) {
                            failures.add(new AssertionError(who + " holds the release together with the other manager"));
                        }
                        order.add(who);
                        if (firstHeld != null) {
                            firstHeld.countDown();
                        }
                        Thread.sleep(20); // holds the release a while: the other manager must queue meanwhile
                        inside.decrementAndGet();
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }, "manager-" + who);
        t.start();
        return t;
    }

    /** The lengths of the runs of one holder in {@code order}. */
    private static List<Integer> runs(List<String> order) {
        List<Integer> runs = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            if (i > 0 && order.get(i).equals(order.get(i - 1))) {
                runs.set(runs.size() - 1, runs.get(runs.size() - 1) + 1);
            } else {
                runs.add(1);
            }
        }
        return runs;
    }

    @Test
    void managersThatReleaseAndReacquireInALoopTakeTurns() throws Exception {
        int rounds = 12;
        List<String> order = contend("fair", rounds);
        System.out.println("holders in order: " + String.join("", order));
        // Until one of them is done, neither gets the release twice in a row more than once while the other waits
        // (B's first turn comes after A's first change, or its second when B queued during A's release).
        int bothContend = Math.min(order.lastIndexOf("A"), order.lastIndexOf("B"));
        List<String> contended = order.subList(0, bothContend + 1);
        List<Integer> runs = runs(contended);
        assertTrue(runs.stream().allMatch(r -> r <= 2), "turns alternate: " + String.join("", order));
        assertTrue(runs.stream().filter(r -> r == 2).count() <= 1, "at most one double turn: " + String.join("", order));
        assertTrue(contended.indexOf("B") <= 2, "B's first turn came within two of A's changes: " + String.join("", order));
        assertNull(kube.leases().inNamespace(NS).withName("helm-sdk.fair").get(), "the last one deleted the Lease");
    }

    @Test
    void withoutContentionTakingAndGivingBackCostOneRequestEach() {
        try (ReleaseLocks a = manager()) {
            a.acquire(Operation.UPGRADE, NS, "alone", WAIT).close();
            givenBack(a);
            cluster.clearRequests();
            a.acquire(Operation.UPGRADE, NS, "alone", WAIT).close();
            givenBack(a);
            List<RecordedRequest> sent = cluster.requests().stream().filter(r -> r.path().contains("/leases")).toList();
            assertEquals(List.of("POST", "DELETE"), sent.stream().map(RecordedRequest::method).toList(), sent.toString());
        }
        assertNull(kube.leases().inNamespace(NS).withName("helm-sdk.alone").get());
    }

    /** Queues a waiter that started waiting, and was last seen, at {@code seenMillis}, as its manager would. */
    private void queueWaiter(String lease, long seenMillis, String identity) {
        kube.leases().inNamespace(NS).withName(lease).edit(l -> {
            l.getMetadata().getAnnotations().put(LeaseQueue.ANNOTATION, seenMillis + " " + seenMillis + " " + identity);
            return l;
        });
    }

    @Test
    void aDeadWaiterBlocksNobodyBeyondItsHandover() {
        String release = "dead-waiter";
        String lease = "helm-sdk." + release;
        try (ReleaseLocks a = manager()) {
            HeldRelease held = a.acquire(Operation.UPGRADE, NS, release, WAIT);
            // A waiter that queued itself just now and then died: its entry is fresh, nobody will ever refresh it.
            queueWaiter(lease, System.currentTimeMillis(), "999@dead-host/gone");
            held.close();
            givenBack(a);
            Lease handed = kube.leases().inNamespace(NS).withName(lease).get();
            assertEquals("999@dead-host/gone", handed.getSpec().getHolderIdentity(), "handed to the waiter that queued");

            long t0 = System.nanoTime();
            a.acquire(Operation.UPGRADE, NS, release, WAIT).close();
            long firstMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("A took the release again after %d ms%n", firstMs);
            assertTrue(firstMs >= (ReleaseLocks.HANDOVER_SECONDS - 1) * 1000L,
                    "A waited for the dead waiter's turn to lapse: " + firstMs + " ms");
            assertTrue(firstMs < ReleaseLocks.HANDOVER_SECONDS * 1000L + 1500,
                    "but not much longer than the handover window: " + firstMs + " ms");

            long t1 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                a.acquire(Operation.UPGRADE, NS, release, WAIT).close();
            }
            long loopMs = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf("5 more changes took %d ms%n", loopMs);
            assertTrue(loopMs < 1500, "the dead waiter is forgotten: " + loopMs + " ms for 5 changes");
        }
        assertNull(kube.leases().inNamespace(NS).withName(lease).get());
    }

    @Test
    void aStaleQueueEntryIsIgnored() {
        String release = "stale-waiter";
        String lease = "helm-sdk." + release;
        try (ReleaseLocks a = manager()) {
            HeldRelease held = a.acquire(Operation.UPGRADE, NS, release, WAIT);
            queueWaiter(lease, System.currentTimeMillis() - LeaseQueue.STALE_MILLIS - 1000, "998@dead-host/long-gone");
            held.close();
            givenBack(a);
            assertNull(kube.leases().inNamespace(NS).withName(lease).get(), "deleted, not handed to the stale entry");
            long t0 = System.nanoTime();
            a.acquire(Operation.UPGRADE, NS, release, WAIT).close();
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 500, "taken again at once");
        }
    }

    @Test
    void aWaiterThatGivesUpLeavesTheQueue() throws Exception {
        String release = "gives-up";
        String lease = "helm-sdk." + release;
        try (ReleaseLocks a = manager(); ReleaseLocks b = manager()) {
            HeldRelease held = a.acquire(Operation.UPGRADE, NS, release, WAIT);
            ReleaseBusyException busy = assertThrows(ReleaseBusyException.class,
                    () -> b.acquire(Operation.UPGRADE, NS, release, Duration.ofSeconds(1)));
            assertEquals(a.identity(), busy.holder(), busy.getMessage());
            Lease l = kube.leases().inNamespace(NS).withName(lease).get();
            assertNull(l.getMetadata().getAnnotations().get(LeaseQueue.ANNOTATION), "B is no longer queued");
            held.close();
            givenBack(a);
            assertNull(kube.leases().inNamespace(NS).withName(lease).get(), "deleted: nobody waits");
        }
    }
}
