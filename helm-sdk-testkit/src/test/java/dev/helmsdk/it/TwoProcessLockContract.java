package dev.helmsdk.it;

import dev.helmsdk.core.internal.LockLoopChild;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseBusyException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changes to one release from two JVMs never interleave: a child JVM ({@link LockHolderChild}) holds the release's
 * Lease through a slow upgrade, and this JVM's upgrade is refused with {@link ReleaseBusyException} naming the child,
 * then goes ahead once the child is done; and two child JVMs ({@link LockLoopChild}) that take a release's lock in a
 * loop take turns. Each subclass supplies the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
abstract class TwoProcessLockContract {

    private static final Path CHART = TestCharts.local("sdk-web");
    private static final ChartRef WEB = ChartRef.local(CHART);

    TestCluster cluster;
    HelmManager helm;
    KubernetesClient kube;

    /** Starts the cluster the test runs against (or skips). */
    abstract TestCluster startCluster();

    @BeforeAll
    void start() {
        cluster = startCluster();
        kube = cluster.client();
        helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build();
    }

    @AfterAll
    void stop() {
        if (helm != null) {
            helm.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReleaseHeldByAnotherJvmIsBusyThenFreeOnceItIsDone() throws Exception {
        String ns = "two-jvms";
        String release = "shared";
        String leaseName = "helm-sdk." + release;
        assertEquals(1, helm.install(release).inNamespace(ns).createNamespace().chart(WEB).run().revision());

        ChildJvm jvm = ChildJvm.start(LockHolderChild.class, cluster.kubeConfigPath().toString(), ns, release, CHART.toString());
        Process child = jvm.process();
        List<String> lines = jvm.lines();
        Thread reader = jvm.reader();
        try {
            long t0 = System.nanoTime();
            RealHelmManagerContract.await(Duration.ofSeconds(60), () -> lines.contains("HOLDING") || !child.isAlive(),
                    "the child started its upgrade");
            assertTrue(lines.contains("HOLDING"), "the child started its upgrade: " + lines);
            String childMark = child.pid() + "@";
            RealHelmManagerContract.await(Duration.ofSeconds(30), () -> {
                Lease l = kube.leases().inNamespace(ns).withName(leaseName).get();
                return l != null && l.getSpec().getHolderIdentity() != null && l.getSpec().getHolderIdentity().startsWith(childMark);
            }, "the child holds Lease " + ns + "/" + leaseName + " (lines: " + lines + ")");
            Lease held = kube.leases().inNamespace(ns).withName(leaseName).get();
            String holder = held.getSpec().getHolderIdentity();
            System.out.printf("child holds the Lease %d ms after start: %s%n", ms(t0), holder);
            assertTrue(!holder.startsWith(ProcessHandle.current().pid() + "@"), "not this JVM's manager: " + holder);

            long busyStart = System.nanoTime();
            ReleaseBusyException busy = assertThrows(ReleaseBusyException.class, () -> helm.upgrade(release).inNamespace(ns)
                    .chart(WEB).set("message", "parent").timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(2))).run(),
                    () -> "the parent's upgrade was refused while the child held the release (child: " + lines + ")");
            long busyMs = ms(busyStart);
            System.out.printf("parent refused after %d ms: %s%n", busyMs, busy.getMessage());
            assertEquals(holder, busy.holder(), busy.getMessage());
            assertTrue(busy.holder().contains(childMark), busy.holder());
            assertTrue(busy.retryable());
            assertTrue(busyMs >= 1_900 && busyMs < 10_000, "refused after the 2 s start limit, not much later: " + busyMs + " ms");
            assertTrue(child.isAlive(), "the child was still holding the release when the parent was refused: " + lines);
            List<Release> during = helm.history(release).inNamespace(ns).run();
            System.out.println("history while the child holds it: " + during.stream().map(r -> r.revision() + " " + r.status()).toList());
            assertTrue(during.stream().allMatch(r -> r.revision() <= 2), "the refused upgrade wrote no revision: " + during);

            long doneStart = System.nanoTime();
            assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the child finished: " + lines);
            reader.join(5_000);
            System.out.printf("child exited %d ms later (%d ms after start), exit %d%n", ms(doneStart), ms(t0), child.exitValue());
            assertTrue(lines.contains("DONE OperationTimeoutException"), "the child's upgrade timed out waiting: " + lines);
            assertEquals(0, child.exitValue(), lines.toString());
            assertNull(kube.leases().inNamespace(ns).withName(leaseName).get(), "the child released the Lease");
            Release childs = helm.status(release).inNamespace(ns).run();
            assertEquals(2, childs.revision(), "the child's revision is the latest");
            assertEquals(ReleaseStatus.FAILED, childs.status(), childs.description());
            assertTrue(childs.description().startsWith("Readiness timed out"), childs.description());

            long upgradeStart = System.nanoTime();
            Release mine = helm.upgrade(release).inNamespace(ns).chart(WEB).set("message", "parent")
                    .timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(5))).run();
            System.out.printf("parent upgraded in %d ms to revision %d%n", ms(upgradeStart), mine.revision());
            assertEquals(3, mine.revision());
            assertEquals(ReleaseStatus.DEPLOYED, mine.status());

            List<Release> history = helm.history(release).inNamespace(ns).run();
            System.out.println("history: " + history.stream().map(r -> r.revision() + " " + r.status() + " '" + r.description() + "'").toList());
            assertEquals(List.of(1, 2, 3), history.stream().map(Release::revision).toList());
            assertEquals(childs.description(), history.get(1).description(), "the child's failed revision");
            assertEquals(ReleaseStatus.FAILED, history.get(1).status(), "still failed: Helm's upgrade supersedes the deployed revision");
            assertEquals(ReleaseStatus.SUPERSEDED, history.get(0).status(), "the revision the child started from, superseded by the parent's");
            assertEquals(ReleaseStatus.DEPLOYED, history.get(2).status(), "the parent's revision");
            assertTrue(history.get(2).lastDeployed().isAfter(history.get(1).lastDeployed())
                    || history.get(2).lastDeployed().equals(history.get(1).lastDeployed()), "the parent's change came after the child's");
            assertEquals("parent", helm.values(release).inNamespace(ns).run().get("message"));
            assertNotNull(kube.apps().deployments().inNamespace(ns).withName(release).get());
            RealHelmManagerContract.await(Duration.ofSeconds(10), () -> kube.leases().inNamespace(ns).withName(leaseName).get() == null,
                    "no Lease is left behind (the parent's is given back just after its upgrade returns)");
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void twoJvmsThatTakeAReleaseInALoopTakeTurns() throws Exception {
        int rounds = 10;
        Path dir = Files.createTempDirectory("lock-loop-");
        Path order = Files.createFile(dir.resolve("order"));
        Path go = dir.resolve("go");
        List<ChildJvm> jvms = new ArrayList<>();
        try {
            for (String name : List.of("A", "B")) {
                jvms.add(ChildJvm.start(LockLoopChild.class, cluster.kubeConfigPath().toString(), "default", "loop",
                        String.valueOf(rounds), order.toString(), name, go.toString()));
            }
            for (ChildJvm jvm : jvms) {
                RealHelmManagerContract.await(Duration.ofSeconds(60), () -> jvm.lines().contains("READY") || !jvm.process().isAlive(),
                        "the child connected");
                assertTrue(jvm.lines().contains("READY"), jvm.lines().toString());
            }
            Files.createFile(go);
            for (ChildJvm jvm : jvms) {
                assertTrue(jvm.process().waitFor(90, TimeUnit.SECONDS), "the child finished: " + jvm.lines());
                jvm.reader().join(5_000);
                assertTrue(jvm.lines().contains("DONE"), jvm.lines().toString());
            }
            String holders = String.join("", Files.readAllLines(order, StandardCharsets.UTF_8));
            System.out.println("holders in order: " + holders);
            assertEquals(2 * rounds, holders.length(), holders);
            // While both still wait for it, neither holds it twice in a row more than once (when the other queued
            // during its release); without fair handover one process takes most turns in a row. (A waiter queues
            // with a read and a write while the Lease exists: the holder's 100 ms leaves room for that on a real
            // API server; the SDK's own changes hold a release far longer.)
            // Contended from the first turn of the one that came second (before that it may not have queued yet:
            // a loaded machine starts one child's loop late) to the last turn of the one that finished first.
            int from = Math.max(0, Math.max(holders.indexOf('A'), holders.indexOf('B')) - 1);
            String contended = holders.substring(from, Math.min(holders.lastIndexOf('A'), holders.lastIndexOf('B')) + 1);
            assertTrue(!contended.contains("AAA") && !contended.contains("BBB"), "turns alternate: " + holders);
            assertTrue(contended.split("AA|BB", -1).length <= 2, "at most one double turn: " + holders);
            assertNull(kube.leases().inNamespace("default").withName("helm-sdk.loop").get(), "no Lease is left behind");
        } finally {
            for (ChildJvm jvm : jvms) {
                jvm.process().destroyForcibly();
            }
            Files.deleteIfExists(go);
            Files.deleteIfExists(order);
            Files.deleteIfExists(dir);
        }
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
