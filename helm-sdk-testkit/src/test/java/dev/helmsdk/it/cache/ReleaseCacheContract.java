package dev.helmsdk.it.cache;

import com.marcnuri.helm.Helm;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.ReleaseCache;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release cache ({@code HelmSdk.builder().releaseCache(...)}) with the defaults users get otherwise (cluster
 * locks on): reads served without a request once caught up, read-your-writes after every kind of change and under
 * concurrent readers, releases written by another process (raw helm-java) and their deletion arriving by the watch,
 * namespaced against cluster-wide, reads outside the cached namespaces, and close stopping the watches.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReleaseCacheContract {

    static final ChartRef WEB = ChartRef.local(TestCharts.local("sdk-web"));
    static final ChartRef TESTED = ChartRef.local(TestCharts.local("sdk-tested"));

    TestCluster cluster;

    abstract TestCluster startCluster();

    @BeforeAll
    void start() {
        cluster = startCluster();
        for (String ns : List.of("cache-a", "cache-b", "cache-c", "cache-d", "cache-e", "cache-f", "cache-g", "cache-h")) {
            cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    HelmSdk.Builder builder() {
        return HelmSdk.builder().kubeConfig(cluster.kubeConfigPath());
    }

    static double count(SimpleMeterRegistry registry, String operation, String result) {
        Counter c = registry.find("helm.sdk.reads.cache").tags("operation", operation, "result", result).counter();
        return c == null ? 0 : c.count();
    }

    static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    /** Requests for release Secrets since the last clear. */
    List<RecordedRequest> secretReads() {
        return cluster.requests().stream().filter(r -> r.path().contains("/secrets")).toList();
    }

    @Test
    void readsOnceCaughtUpSendNoRequestAndAnswerAsTheDirectReadsDo() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HelmManager cached = builder().meterRegistry(registry).releaseCache(ReleaseCache.namespaces("cache-a")).build();
             HelmManager direct = builder().build()) {
            cached.install("shop").inNamespace("cache-a").chart(WEB).set("message", "one").run();
            cached.upgrade("shop").inNamespace("cache-a").chart(WEB).set("message", "two").run();
            await(() -> {
                cached.status("shop").inNamespace("cache-a").run();
                return count(registry, "status", "hit") > 0;
            }, "the cache caught up with the manager's own upgrade");
            cluster.clearRequests();
            for (int i = 0; i < 10; i++) {
                assertEquals(direct.status("shop").inNamespace("cache-a").run(), cached.status("shop").inNamespace("cache-a").run());
                assertEquals(direct.history("shop").inNamespace("cache-a").run(), cached.history("shop").inNamespace("cache-a").run());
                assertEquals(direct.exists("shop").inNamespace("cache-a").run(), cached.exists("shop").inNamespace("cache-a").run());
                assertEquals(direct.status("shop").inNamespace("cache-a").atRevision(1).run(),
                        cached.status("shop").inNamespace("cache-a").atRevision(1).run());
                assertEquals(direct.list().inNamespace("cache-a").run(), cached.list().inNamespace("cache-a").run());
                assertEquals(direct.values("shop").inNamespace("cache-a").run(),
                        cached.values("shop").inNamespace("cache-a").run());
                assertEquals(direct.needsUpgrade("shop").inNamespace("cache-a").chart(WEB).set("message", "two").run(),
                        cached.needsUpgrade("shop").inNamespace("cache-a").chart(WEB).set("message", "two").run());
            }
            assertEquals(2, cached.status("shop").inNamespace("cache-a").run().revision());
            cluster.clearRequests();
            for (int i = 0; i < 10; i++) {
                cached.status("shop").inNamespace("cache-a").run();
                cached.history("shop").inNamespace("cache-a").run();
                cached.exists("nobody").inNamespace("cache-a").run();
                cached.needsUpgrade("shop").inNamespace("cache-a").chart(WEB).set("message", "two").run();
            }
            assertEquals(List.of(), secretReads(), "served from the cache");
            assertTrue(count(registry, "status", "hit") >= 20, registry.getMetersAsString());
            assertTrue(count(registry, "needs_upgrade", "hit") >= 10, registry.getMetersAsString());
            assertThrows(ReleaseNotFoundException.class, () -> cached.status("nobody").inNamespace("cache-a").run());
            assertThrows(ReleaseNotFoundException.class, () -> cached.status("shop").inNamespace("cache-a").atRevision(9).run());
            assertThrows(ReleaseNotFoundException.class, () -> cached.history("nobody").inNamespace("cache-a").run());
            cached.uninstall("shop").inNamespace("cache-a").run();
        }
    }

    @Test
    void everyKindOfChangeIsSeenByTheNextRead() {
        try (HelmManager helm = builder().releaseCache(ReleaseCache.clusterWide()).build()) {
            String ns = "cache-b";
            Release installed = helm.install("rw").inNamespace(ns).chart(TESTED).set("message", "one").run();
            assertEquals(installed, helm.status("rw").inNamespace(ns).run());
            Release upgraded = helm.upgrade("rw").inNamespace(ns).chart(TESTED).set("message", "two").run();
            assertEquals(upgraded, helm.status("rw").inNamespace(ns).run());
            assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED),
                    helm.history("rw").inNamespace(ns).run().stream().map(Release::status).toList());
            Release rolledBack = helm.rollback("rw").inNamespace(ns).toRevision(1).run();
            assertEquals(3, rolledBack.revision());
            assertEquals(rolledBack, helm.status("rw").inNamespace(ns).run());
            assertEquals(3, helm.history("rw").inNamespace(ns).run().size());
            Release tested = helm.test("rw").inNamespace(ns).run();
            assertEquals(tested, helm.status("rw").inNamespace(ns).run());
            // Reads while caught up, then a change: the next read sees it though the watch may not have delivered it.
            for (int i = 0; i < 5; i++) {
                helm.status("rw").inNamespace(ns).run();
            }
            Release again = helm.upgrade("rw").inNamespace(ns).chart(TESTED).set("message", "three").run();
            assertEquals(again, helm.status("rw").inNamespace(ns).run());
            assertEquals(again, helm.exists("rw").inNamespace(ns).run().orElseThrow());
            helm.uninstall("rw").inNamespace(ns).run();
            assertTrue(helm.exists("rw").inNamespace(ns).run().isEmpty());
            assertThrows(ReleaseNotFoundException.class, () -> helm.history("rw").inNamespace(ns).run());
            assertTrue(helm.list().inNamespace(ns).run().isEmpty());
        }
    }

    @Test
    void readersOnOtherThreadsNeverSeeLessThanAChangeThatReturned() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HelmManager helm = builder().meterRegistry(registry).releaseCache(ReleaseCache.namespaces("cache-c")).build()) {
            String ns = "cache-c";
            helm.install("busy").inNamespace(ns).chart(WEB).run();
            AtomicInteger returned = new AtomicInteger(1);
            AtomicBoolean done = new AtomicBoolean();
            List<String> wrong = new CopyOnWriteArrayList<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread reader = new Thread(() -> {
                    while (!done.get()) {
                        int floor = returned.get();
                        int seen = helm.status("busy").inNamespace(ns).run().revision();
                        int history = helm.history("busy").inNamespace(ns).run().size();
                        if (seen < floor || history < floor) {
                            wrong.add("after revision " + floor + " returned, a read saw " + seen + " (history " + history + ")");
                        }
                    }
                }, "cache-reader-" + t);
                reader.start();
                readers.add(reader);
            }
            for (int i = 0; i < 6; i++) {
                int revision = helm.upgrade("busy").inNamespace(ns).chart(WEB).set("message", "m" + i).run().revision();
                returned.set(revision);
                assertEquals(revision, helm.status("busy").inNamespace(ns).run().revision());
                Thread.sleep(30);
            }
            done.set(true);
            for (Thread r : readers) {
                r.join(10_000);
            }
            assertEquals(List.of(), wrong);
            assertTrue(count(registry, "status", "hit") > 0, "some reads were cache hits: " + registry.getMetersAsString());
            assertTrue(count(registry, "status", "miss") > 0, "and the ones during a change went to the API");
            helm.uninstall("busy").inNamespace(ns).run();
        }
    }

    @Test
    void aReleaseWrittenElsewhereArrivesByTheWatchAndItsDeletionToo() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HelmManager helm = builder().meterRegistry(registry).releaseCache(ReleaseCache.namespaces("cache-d")).build()) {
            String ns = "cache-d";
            assertTrue(helm.exists("other").inNamespace(ns).run().isEmpty());
            Helm.install(TestCharts.local("sdk-web").toString()).withName("other").withNamespace(ns)
                    .withKubeConfig(cluster.kubeConfigPath()).call();
            await(() -> helm.exists("other").inNamespace(ns).run().isPresent(), "the release raw Helm installed is seen");
            assertEquals(ReleaseStatus.DEPLOYED, helm.status("other").inNamespace(ns).run().status());
            Helm.upgrade(TestCharts.local("sdk-web").toString()).withName("other").withNamespace(ns)
                    .withKubeConfig(cluster.kubeConfigPath()).set("message", "two").call();
            await(() -> helm.status("other").inNamespace(ns).run().revision() == 2, "raw Helm's upgrade is seen");
            Helm.uninstall("other").withNamespace(ns).withKubeConfig(cluster.kubeConfigPath()).call();
            await(() -> helm.exists("other").inNamespace(ns).run().isEmpty(), "raw Helm's uninstall is seen");
            assertEquals(0, count(registry, "exists", "miss"), "nothing this manager wrote: every read was the cache's");
        }
    }

    @Test
    void otherNamespacesAreReadFromTheApiAndUncounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HelmManager elsewhere = builder().build();
             HelmManager helm = builder().meterRegistry(registry).releaseCache(ReleaseCache.namespaces("cache-e")).build()) {
            elsewhere.install("out").inNamespace("cache-f").chart(WEB).run();
            elsewhere.install("in").inNamespace("cache-e").chart(WEB).run();
            await(() -> helm.exists("in").inNamespace("cache-e").run().isPresent(), "the cached namespace's release is seen");
            cluster.clearRequests();
            assertEquals(1, helm.status("out").inNamespace("cache-f").run().revision());
            assertEquals(1, secretReads().size(), "one LIST, as without a cache: " + secretReads());
            assertEquals(Set.of("out"), helm.list().inNamespace("cache-f").run().stream().map(Release::name).collect(Collectors.toSet()));
            assertEquals(Set.of("in"), helm.list().inNamespace("cache-e").run().stream().map(Release::name).collect(Collectors.toSet()));
            assertTrue(helm.list().allNamespaces().run().stream().anyMatch(r -> r.name().equals("out")),
                    "a namespaced cache does not answer for all namespaces");
            assertEquals(0, count(registry, "status", "hit") + count(registry, "status", "miss"), registry.getMetersAsString());
            elsewhere.uninstall("out").inNamespace("cache-f").run();
            elsewhere.uninstall("in").inNamespace("cache-e").run();
        }
    }

    @Test
    void aListRightAfterTheManagersOwnChangesShowsThemAndIsServedOnceTheWatchHasThem() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String ns = "cache-g";
        try (HelmManager helm = builder().meterRegistry(registry).releaseCache(ReleaseCache.namespaces(ns)).build()) {
            for (int i = 0; i < 3; i++) {
                helm.install("l" + i).inNamespace(ns).chart(WEB).run();
                assertTrue(names(helm.list().inNamespace(ns).run()).contains("l" + i), "the list right after installing l" + i);
            }
            helm.upgrade("l0").inNamespace(ns).chart(WEB).set("message", "two").run();
            assertEquals(2, helm.list().inNamespace(ns).run().stream().filter(r -> r.name().equals("l0")).findFirst().orElseThrow().revision());
            helm.uninstall("l1").inNamespace(ns).run();
            assertEquals(Set.of("l0", "l2"), names(helm.list().inNamespace(ns).run()), "the list right after the uninstall");
            // Only lists read these releases: once the watch has delivered the changes, the cache answers them.
            await(() -> {
                helm.list().inNamespace(ns).run();
                return count(registry, "list", "hit") > 0;
            }, "a list of the namespace is served from the cache though no read of each release came");
            cluster.clearRequests();
            assertEquals(Set.of("l0", "l2"), names(helm.list().inNamespace(ns).run()));
            assertEquals(List.of(), secretReads(), "served from the cache");
            helm.upgrade("l2").inNamespace(ns).chart(WEB).set("message", "two").run();
            assertEquals(2, helm.list().inNamespace(ns).run().stream().filter(r -> r.name().equals("l2")).findFirst().orElseThrow().revision());
            helm.uninstall("l0").inNamespace(ns).run();
            helm.uninstall("l2").inNamespace(ns).run();
            assertEquals(Set.of(), names(helm.list().inNamespace(ns).run()));
        }
    }

    static Set<String> names(List<Release> releases) {
        return releases.stream().map(Release::name).collect(Collectors.toSet());
    }

    @Test
    void aChangeItsCallerGaveUpOnKeepsReadsOfTheReleaseOnTheApiUntilItHasEnded() throws Exception {
        java.util.concurrent.CountDownLatch resolving = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
        // A secret store that answers only when the test says: the install runs on its worker until then.
        dev.helmsdk.api.secrets.SecretResolver slow = new dev.helmsdk.api.secrets.SecretResolver() {
            @Override
            public Set<String> schemes() {
                return Set.of("slow");
            }

            @Override
            public Object resolve(dev.helmsdk.api.secrets.SecretReference reference, dev.helmsdk.api.secrets.SecretContext context) {
                resolving.countDown();
                try {
                    proceed.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "from-the-store";
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String ns = "cache-h";
        try (HelmManager helm = builder().meterRegistry(registry).secretResolver(slow).releaseCache(ReleaseCache.namespaces(ns)).build()) {
            java.util.concurrent.atomic.AtomicReference<Throwable> gaveUp = new java.util.concurrent.atomic.AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    helm.install("late").inNamespace(ns).chart(WEB).set("message", "ref+slow://message").run();
                } catch (Throwable t) {
                    gaveUp.set(t);
                }
            }, "cache-impatient-caller");
            caller.start();
            assertTrue(resolving.await(30, java.util.concurrent.TimeUnit.SECONDS), "the install is under way" + (gaveUp.get() == null ? "" : ": it failed: " + gaveUp.get()));
            caller.interrupt();
            caller.join(10_000);
            assertTrue(gaveUp.get() instanceof dev.helmsdk.api.HelmSdkException, "the caller gave up: " + gaveUp.get());
            for (int i = 0; i < 5; i++) {
                assertTrue(helm.exists("late").inNamespace(ns).run().isEmpty());
                Thread.sleep(20);
            }
            assertEquals(0, count(registry, "exists", "hit"), "the install still runs: its release is read from the API");
            proceed.countDown();
            await(() -> helm.exists("late").inNamespace(ns).run().isPresent(), "the install the caller gave up on completes");
            helm.uninstall("late").inNamespace(ns).run();
        }
    }

    @Test
    void aBuildThatFailsAfterTheCacheStartedStopsItsWatchesAndItsConnection() {
        builder().releaseCache(ReleaseCache.namespaces("cache-a")).build().close();   // what a first manager starts for good
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        // The default namespace is checked once the manager is assembled, after the cache has listed.
        assertThrows(dev.helmsdk.api.InvalidRequestException.class, () -> builder()
                .releaseCache(ReleaseCache.namespaces("cache-a", "cache-b")).defaultNamespace("Not_A_Namespace").build());
        Set<Thread> started = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        started.removeAll(before);
        await(() -> started.stream().noneMatch(Thread::isAlive),
                "every thread the failed build started has ended: " + started.stream().filter(Thread::isAlive).map(Thread::getName).toList());
    }

    @Test
    void closeStopsTheWatches() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        HelmManager helm = builder().releaseCache(ReleaseCache.namespaces("cache-a", "cache-b")).build();
        helm.exists("absent").inNamespace("cache-a").run();
        Set<Thread> started = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        started.removeAll(before);
        assertTrue(started.stream().anyMatch(Thread::isAlive), "the manager runs threads: " + started);
        helm.close();
        await(() -> started.stream().noneMatch(Thread::isAlive),
                "every thread the manager started has ended: " + started.stream().filter(Thread::isAlive).map(Thread::getName).toList());
    }
}
