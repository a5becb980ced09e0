package dev.helmsdk.it;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseBusyException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.core.HealthChecks;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.TestCluster;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.contract.HelmManagerContract;
import dev.helmsdk.testkit.contract.HelmManagerEnvironment;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public {@link HelmManagerContract} with the real manager (Helm through helm-java) against a
 * {@link TestCluster}, each subclass supplying one (the embedded API, a real control plane), with every
 * capability; plus what only a real cluster shows (the requests sent, Leases, Secrets, controllers,
 * Helm tests and health checks), which must hold on both.
 */
@Tag("integration")
abstract class RealHelmManagerContract extends HelmManagerContract {

    TestCluster cluster;
    KubernetesClient kube;
    /** The manager under test (the environment's). */
    HelmManager helm;

    /** Starts the cluster the tests run against (or skips). */
    abstract TestCluster startCluster();

    /** Lets a subclass run the same tests with a differently configured manager. */
    HelmSdk.Builder configure(HelmSdk.Builder builder) {
        return builder;
    }

    /** Whether the manager has a release cache: then a read sends at most the one LIST, none once the cache caught up. */
    boolean cachedReads() {
        return false;
    }

    private HelmSdk.Builder builder() {
        return configure(HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("default"));
    }

    @Override
    protected HelmManagerEnvironment startEnvironment() {
        cluster = startCluster();
        kube = cluster.client();
        HelmManager manager = builder().build();
        helm = manager;
        return new HelmManagerEnvironment() {
            @Override
            public HelmManager manager() {
                return manager;
            }

            @Override
            public HelmManager managerWithMaxHistory(int maxHistory) {
                return builder().maxHistory(maxHistory).build();
            }

            @Override
            public Set<Capability> capabilities() {
                return EnumSet.allOf(Capability.class);
            }

            @Override
            public Map<String, String> arrangeReadinessFailure(String namespace, String release) {
                return Map.of(CRASH, WorkloadFailure.CRASH_LOOP.markerValue());
            }

            @Override
            public void markPending(String namespace, String release, int revision, ReleaseStatus status) {
                markRecord(kube, namespace, release, revision, status);
                if (cachedReads()) {
                    // A change made elsewhere: a manager with a release cache shows it once its watch has delivered it.
                    await(Duration.ofSeconds(10), () -> helm.history(release).inNamespace(namespace).run().stream()
                            .anyMatch(r -> r.revision() == revision && r.status() == status), "the release cache has the marked record");
                }
            }

            @Override
            public Optional<Map<String, String>> liveConfigMap(String namespace, String name) {
                return Optional.ofNullable(kube.configMaps().inNamespace(namespace).withName(name).get()).map(ConfigMap::getData);
            }

            @Override
            public void close() {
                try {
                    manager.close();
                } finally {
                    cluster.close();
                }
            }
        };
    }

    /** Rewrites Helm's stored record of one revision with another status, as a process that died mid-change leaves it. */
    /** Rewrites a revision's record to {@code status}, as a process that died mid-change leaves it. */
    static void markRecord(KubernetesClient kube, String namespace, String release, int revision, ReleaseStatus status) {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String helmStatus = status.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        kube.secrets().inNamespace(namespace).withName("sh.helm.release.v1." + release + ".v" + revision).edit(s -> {
            try {
                var r = dev.helmsdk.core.internal.StoredRelease.decodeSecretData(s.getData().get("release"), mapper);
                s.getData().put("release", r.withStatus(helmStatus, "Preparing " + helmStatus).encodeSecretData(mapper));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            s.getMetadata().getLabels().put("status", helmStatus);
            return s;
        });
    }

    private static final ChartRef WEB = ChartRef.local(TestCharts.local("sdk-web"));
    private static final ChartRef PREVIEW = ChartRef.local(TestCharts.local("sdk-preview"));
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String CRASH = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");

    /**
     * Waits until no Lease is held by a manager of this JVM: a change gives its release's Lease back just after it
     * returns, in the background, and that request must not count as one of the next call's.
     */
    static void awaitLeasesGivenBack(KubernetesClient kube) {
        String mine = ProcessHandle.current().pid() + "@";
        await(Duration.ofSeconds(10), () -> kube.leases().inAnyNamespace().list().getItems().stream()
                .noneMatch(l -> l.getSpec().getHolderIdentity() != null && l.getSpec().getHolderIdentity().startsWith(mine)),
                "this JVM's managers gave their Leases back");
    }

    /** Forgets the requests recorded so far, once the changes before have sent all theirs. */
    private void clearRequestsOnceLeasesAreGivenBack() {
        awaitLeasesGivenBack(kube);
        cluster.clearRequests();
    }

    private List<RecordedRequest> writes() {
        // An access review (the dry run's RBAC check) is a POST that asks and stores nothing, and an apply with
        // dryRun=All (its admission check) is answered and never persisted: neither is a write. Anything else is.
        return cluster.requests().stream().filter(r -> WRITES.contains(r.method()) && !r.path().endsWith("accessreviews")
                && !java.util.Arrays.asList(r.query().split("&")).contains("dryRun=All")).toList();
    }

    private String message(String ns, String release) {
        ConfigMap cm = kube.configMaps().inNamespace(ns).withName(release + "-config").get();
        return cm == null ? null : cm.getData().get("message");
    }

    /** The requests of one call, which must be exactly one read of the release's records. */
    private void assertOneReadOfTheRecords(String what) {
        List<RecordedRequest> sent = cluster.requests();
        if (cachedReads() && sent.isEmpty()) {
            return;   // answered by the release cache
        }
        assertEquals(1, sent.size(), what + " reads once: " + sent);
        assertEquals("GET", sent.get(0).method(), what + ": " + sent);
        assertTrue(sent.get(0).path().endsWith("/secrets") && sent.get(0).query().contains("labelSelector"),
                what + " lists the release's records: " + sent);
        clearRequestsOnceLeasesAreGivenBack();
    }

    @Test
    void waitReadyReturnsOnceTheDeploymentIsReadyAndUninstallRemovesEverything() {
        Release r1 = helm.install("shop").inNamespace("shop").createNamespace().chart(WEB)
                .set("replicaCount", 2).set("message", "v1").waitReady(Duration.ofMinutes(1)).run();
        assertEquals(helm.status("shop").inNamespace("shop").run(), r1, "after a wait, the result is the record as stored");
        Deployment d = kube.apps().deployments().inNamespace("shop").withName("shop").get();
        assertNotNull(d, "the Deployment exists in the cluster");
        assertEquals(2, d.getSpec().getReplicas());
        assertEquals(2, d.getStatus().getReadyReplicas(), "waitReady returned after the Deployment was ready");
        helm.uninstall("shop").inNamespace("shop").run();
        assertNull(kube.apps().deployments().inNamespace("shop").withName("shop").get(), "resources are removed");
        assertNull(kube.configMaps().inNamespace("shop").withName("shop-config").get());
        assertTrue(kube.secrets().inNamespace("shop").withLabel("owner", "helm").list().getItems().isEmpty(),
                "release records are removed");

        helm.install("kept").inNamespace("keep").createNamespace().chart(WEB).run();
        helm.uninstall("kept").inNamespace("keep").keepHistory().run();
        assertNull(kube.apps().deployments().inNamespace("keep").withName("kept").get());
        assertEquals(1, kube.secrets().inNamespace("keep").withLabel("owner", "helm").list().getItems().size(),
                "keepHistory keeps the record");
    }

    @Test
    void dryRunsSendNoWrite() {
        clearRequestsOnceLeasesAreGivenBack();
        helm.install("preview").inNamespace("dry").chart(WEB).dryRun(DryRunMode.CLIENT);
        assertTrue(cluster.requests().isEmpty(), "a client dry run does not contact the cluster: " + cluster.requests());
        helm.install("preview").inNamespace("dry").chart(WEB).dryRun(DryRunMode.SERVER);
        assertFalse(cluster.requests().isEmpty(), "a server dry run consults the cluster");
        assertEquals(List.of(), writes(), "a server dry run sends no write");

        helm.install("live").inNamespace("dry").createNamespace().chart(WEB).run();
        clearRequestsOnceLeasesAreGivenBack();
        assertTrue(helm.upgrade("live").inNamespace("dry").chart(WEB).set("message", "next").dryRun().upgrade());
        assertEquals(List.of(), writes(), "an upgrade dry run sends no write");
        assertEquals("hello", message("dry", "live"));
    }

    @Test
    void badInputIsRejectedBeforeAnyApiRequest(@TempDir Path tmp) throws Exception {
        Path broken = Files.writeString(tmp.resolve("values-prod.yaml"), "image:\n  tag: [1.0\nreplicas: 2\n");
        clearRequestsOnceLeasesAreGivenBack();
        assertThrows(InvalidRequestException.class, () -> helm.install("web").chart(WEB).values(broken).run());
        assertThrows(InvalidRequestException.class, () -> helm.install("web").chart(ChartRef.directory(tmp.resolve("no-such-chart"))).run());
        assertThrows(InvalidRequestException.class, () -> helm.upgrade("web").chart(ChartRef.archive(tmp.resolve("x.tgz"))).run());
        assertThrows(InvalidRequestException.class, () -> helm.install("web").chart(WEB).values(tmp.resolve("missing.yaml")).dryRun());
        assertEquals(List.of(), cluster.requests(), "nothing reached the API server");
    }

    @Test
    void existsAndNeedsUpgradeReadOnceAndWriteNothing() {
        clearRequestsOnceLeasesAreGivenBack();
        assertEquals(Optional.empty(), helm.exists("nothing").inNamespace("exists").run());
        assertOneReadOfTheRecords("exists of a missing release");
        helm.install("cmp").inNamespace("cmp").createNamespace().chart(PREVIEW).set("message", "v1").run();
        clearRequestsOnceLeasesAreGivenBack();
        assertTrue(helm.exists("cmp").inNamespace("cmp").run().isPresent());
        assertOneReadOfTheRecords("exists");
        UpgradeCheck same = helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v1").run();
        assertFalse(same.needed(), same.toString());
        assertOneReadOfTheRecords("needsUpgrade");
        helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v2").run();
        helm.needsUpgrade("absent").inNamespace("cmp").chart(PREVIEW).run();
        assertEquals(List.of(), writes(), "needsUpgrade writes nothing");
        assertTrue(cluster.requests().stream().noneMatch(r -> r.path().contains("/leases")), "needsUpgrade takes no Lease");

        assertThrows(ReadinessFailedException.class, () -> helm.upgrade("cmp").inNamespace("cmp").chart(WEB)
                .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(2)).run());
        clearRequestsOnceLeasesAreGivenBack();
        helm.needsUpgrade("cmp").inNamespace("cmp").chart(WEB).run();
        assertOneReadOfTheRecords("needsUpgrade of a failed release");
    }

    @Test
    void maxHistoryPrunesWithTheListItReadsBackAndLeavesThatManySecrets() {
        try (HelmManager short3 = builder().maxHistory(3).build()) {
            short3.install("hist").inNamespace("history").createNamespace().chart(WEB).run();
            for (int i = 2; i <= 4; i++) {
                short3.upgrade("hist").inNamespace("history").chart(WEB).set("message", "v" + i).run();
            }
            clearRequestsOnceLeasesAreGivenBack();
            Release fifth = short3.upgrade("hist").inNamespace("history").chart(WEB).set("message", "v5").run();
            assertTrue(cluster.requests().stream().noneMatch(r -> r.method().equals("GET") && r.path().endsWith("/secrets/sh.helm.release.v1.hist.v5")),
                    "the LIST that prunes also read back revision 5, with no GET of its own: " + cluster.requests());
            assertEquals(fifth, short3.status("hist").inNamespace("history").run(), "the upgrade returned revision 5 as stored");
            assertEquals(3, kube.secrets().inNamespace("history").withLabel("name", "hist").list().getItems().size());
        }
    }

    @Test
    void concurrentChangesGiveTheLeaseBack() throws Exception {
        helm.install("busy").inNamespace("locks").createNamespace().chart(WEB).run();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> helm.upgrade("busy").inNamespace("locks").chart(WEB).set("message", "a").run());
            var b = pool.submit(() -> helm.upgrade("busy").inNamespace("locks").chart(WEB).set("message", "b").run());
            assertEquals(Set.of(2, 3), Set.of(a.get().revision(), b.get().revision()));
        } finally {
            pool.shutdownNow();
        }
        await(Duration.ofSeconds(10), () -> kube.leases().inNamespace("locks").list().getItems().isEmpty(),
                "the Lease is gone after the changes (given back just after each returns)");
    }

    @Test
    void aStuckPendingReleaseIsRecoveredOnlyWhenAsked() {
        helm.install("stuck").inNamespace("stuck").createNamespace().chart(WEB).run();
        helm.upgrade("stuck").inNamespace("stuck").chart(WEB).set("message", "two").run();
        markRecord(kube, "stuck", "stuck", 2, ReleaseStatus.PENDING_UPGRADE);
        ReleaseStuckException stuck = assertThrows(ReleaseStuckException.class,
                () -> helm.upgrade("stuck").inNamespace("stuck").chart(WEB).set("message", "three").run());
        assertTrue(stuck.getMessage().contains("recoverStuckReleases"), stuck.getMessage());

        try (HelmManager recovering = builder().recoverStuckReleases(Duration.ZERO).build()) {
            Release r3 = recovering.upgrade("stuck").inNamespace("stuck").chart(WEB).set("message", "three").run();
            assertEquals(3, r3.revision());
            assertEquals(ReleaseStatus.DEPLOYED, r3.status());
        }
        Release r2 = helm.status("stuck").inNamespace("stuck").atRevision(2).run();
        assertEquals(ReleaseStatus.SUPERSEDED, r2.status(), "marked failed, then superseded by revision 3 as Helm does");
        assertTrue(r2.description().startsWith("Marked failed by helm-sdk"), r2.description());
        assertEquals("three", message("stuck", "stuck"));
    }

    private static final ChartRef TESTED = ChartRef.local(TestCharts.local("sdk-tested"));
    private static final String FAIL_TEST = "testPodLabels." + WorkloadFailure.MARKER.replace(".", "\\.");

    @Test
    void podinfoRendersLintsAndInstalls() {
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        assertFalse(helm.lint(podinfo).run().failed());
        RenderedManifest rendered = helm.template("podinfo").chart(podinfo).run();
        assertTrue(rendered.find("Deployment", "podinfo").isPresent(), rendered.resources().toString());
        assertTrue(rendered.find("Service", "podinfo").isPresent());
        HelmOperationException old = assertThrows(HelmOperationException.class,
                () -> helm.template("podinfo").chart(podinfo).kubeVersion("1.19.0").run());
        assertTrue(old.helmMessage().contains("kubeVersion"), old.helmMessage());
        assertTrue(helm.install("podinfo").chart(podinfo).dryRun(DryRunMode.CLIENT).rendered().find("Deployment", "podinfo").isPresent());

        Release r = helm.install("podinfo").inNamespace("podinfo").createNamespace().chart(podinfo)
                .set("replicaCount", 2).waitReady(Duration.ofMinutes(2)).run();
        assertEquals(ReleaseStatus.DEPLOYED, r.status());
        assertEquals("podinfo", r.chartName());
        assertEquals("6.14.1", r.chartVersion());
        Deployment d = kube.apps().deployments().inNamespace("podinfo").withName("podinfo").get();
        assertEquals(2, d.getStatus().getReadyReplicas());
        assertEquals(2, helm.upgrade("podinfo").inNamespace("podinfo").chart(podinfo).reuseValues()
                .set("ui.message", "upgraded").run().revision());
        assertEquals(Map.of("replicaCount", 2, "ui", Map.of("message", "upgraded")), helm.values("podinfo").inNamespace("podinfo").run());
        helm.uninstall("podinfo").inNamespace("podinfo").run();
        assertNull(kube.apps().deployments().inNamespace("podinfo").withName("podinfo").get());
    }

    @Test
    void upgradesMergeWithChangesMadeInTheCluster() {
        helm.install("merge").inNamespace("merge").createNamespace().chart(WEB).waitReady(Duration.ofMinutes(1)).run();
        // Someone annotates the Deployment out of band: Helm's three-way strategic merge must keep it.
        kube.apps().deployments().inNamespace("merge").withName("merge").edit(d -> {
            d.getMetadata().getAnnotations().put("ops.example.com/owner", "team-a");
            return d;
        });
        helm.upgrade("merge").inNamespace("merge").chart(WEB).set("image.tag", "1.28").waitReady(Duration.ofMinutes(1)).run();
        Deployment d = kube.apps().deployments().inNamespace("merge").withName("merge").get();
        assertEquals("nginx:1.28", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(1, d.getSpec().getTemplate().getSpec().getContainers().size(), "the container list was merged, not appended to");
        assertEquals("team-a", d.getMetadata().getAnnotations().get("ops.example.com/owner"));
        assertEquals(2, helm.status("merge").inNamespace("merge").run().revision());
    }

    @Test
    void uninstallGarbageCollectsWhatTheDeploymentOwned() {
        helm.install("owned").inNamespace("gc").createNamespace().chart(WEB).set("replicaCount", 2)
                .waitReady(Duration.ofMinutes(1)).run();
        Map<String, String> selector = Map.of("app.kubernetes.io/instance", "owned");
        assertEquals(2, kube.pods().inNamespace("gc").withLabels(selector).list().getItems().size());
        assertFalse(kube.apps().replicaSets().inNamespace("gc").withLabels(selector).list().getItems().isEmpty(),
                "the deployment controller created a ReplicaSet");
        helm.uninstall("owned").inNamespace("gc").run();
        await(Duration.ofSeconds(60), () -> kube.pods().inNamespace("gc").withLabels(selector).list().getItems().isEmpty()
                && kube.apps().replicaSets().inNamespace("gc").withLabels(selector).list().getItems().isEmpty(),
                "pods and ReplicaSets owned by the uninstalled Deployment are garbage-collected");
    }

    @Test
    void aCrashLoopingPodIsVisibleToReadinessChecks() {
        helm.install("crashy").inNamespace("crash").createNamespace().chart(WEB)
                .set("podLabels." + WorkloadFailure.MARKER.replace(".", "\\."), WorkloadFailure.CRASH_LOOP.markerValue()).run();
        await(Duration.ofSeconds(60), () -> kube.pods().inNamespace("crash").withLabel("app.kubernetes.io/instance", "crashy")
                .list().getItems().stream().flatMap(pod -> pod.getStatus().getContainerStatuses().stream())
                .anyMatch(cs -> cs.getState().getWaiting() != null && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason())),
                "a pod of the release shows CrashLoopBackOff");
        Deployment d = kube.apps().deployments().inNamespace("crash").withName("crashy").get();
        assertTrue(d.getStatus().getReadyReplicas() == null || d.getStatus().getReadyReplicas() == 0);
    }

    @Test
    void rollbackOfAChartWithSubchartsReproducesTheStoredManifest() {
        ChartRef umbrella = ChartRef.local(TestCharts.local("sdk-umbrella"));
        helm.install("umb").inNamespace("umbrella").createNamespace().chart(umbrella).set("sub.greeting", "one").run();
        helm.upgrade("umb").inNamespace("umbrella").chart(umbrella).set("sub.greeting", "two").set("own", "changed").run();
        assertEquals("two", kube.configMaps().inNamespace("umbrella").withName("umb-sub").get().getData().get("greeting"));

        Release back = helm.rollback("umb").inNamespace("umbrella").toRevision(1).run();
        assertEquals("Rollback to 1", back.description());
        assertEquals("one", kube.configMaps().inNamespace("umbrella").withName("umb-sub").get().getData().get("greeting"),
                "the subchart's object is revision 1's, though Helm did not store the subchart");
        assertEquals("parent", kube.configMaps().inNamespace("umbrella").withName("umb-own").get().getData().get("own"));
        assertEquals(helm.values("umb").inNamespace("umbrella").atRevision(1).run(), helm.values("umb").inNamespace("umbrella").run());
    }

    @Test
    void aReleaseHeldByAnotherProcessIsBusyUntilItsLeaseExpires() {
        helm.install("held").inNamespace("lease").createNamespace().chart(WEB).run();
        awaitLeasesGivenBack(kube);
        // Another process holds the release: a live Lease with another holder.
        kube.leases().inNamespace("lease").resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata().withName("helm-sdk.held").endMetadata().withNewSpec().withHolderIdentity("other-process")
                .withLeaseDurationSeconds(30).withRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)).endSpec().build()).create();
        ReleaseBusyException busy = assertThrows(ReleaseBusyException.class, () -> helm.upgrade("held").inNamespace("lease").chart(WEB)
                .timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(2))).run());
        assertEquals("other-process", busy.holder());
        assertTrue(busy.retryable());
        assertEquals(1, helm.history("held").inNamespace("lease").run().size(), "nothing changed");
        // The holder died long ago: its Lease expired and is taken over.
        kube.leases().inNamespace("lease").withName("helm-sdk.held").edit(l -> {
            l.getSpec().setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(5));
            return l;
        });
        assertEquals(2, helm.upgrade("held").inNamespace("lease").chart(WEB).run().revision());
    }

    @Test
    void waitingFailsFastOnACrashLoopAndRecordsTheRevisionFailed() {
        long start = System.nanoTime();
        ReadinessFailedException e = assertThrows(ReadinessFailedException.class, () -> helm.install("ff").inNamespace("failfast")
                .createNamespace().chart(WEB).set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue())
                .waitReady(Duration.ofMinutes(5)).run());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 30_000, "failed after " + tookMs + " ms, not after the 5 minute limit");
        assertTrue(e.getMessage().contains("deployment/ff") && e.getMessage().contains("CrashLoopBackOff"), e.getMessage());
        assertFalse(e.failures().isEmpty());
        Release r = helm.status("ff").inNamespace("failfast").run();
        assertEquals(ReleaseStatus.FAILED, r.status());
        assertTrue(r.description().startsWith("Readiness failed"), r.description());
    }

    @Test
    void helmTestsPassAndAFailingTestIsTyped() {
        helm.install("tested").inNamespace("helmtest").createNamespace().chart(TESTED).waitReady(Duration.ofMinutes(1)).run();
        assertEquals(1, helm.test("tested").inNamespace("helmtest").run().revision());
        helm.upgrade("tested").inNamespace("helmtest").chart(TESTED).set(FAIL_TEST, WorkloadFailure.CRASH_LOOP.markerValue()).run();
        HelmOperationException e = assertThrows(HelmOperationException.class, () -> helm.test("tested").inNamespace("helmtest")
                .timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(60))).run());
        assertEquals(Operation.TEST, e.operation());
        assertTrue(e.helmMessage().contains("tested-test"), e.helmMessage());
    }

    @Test
    void aFailingHelmTestHealthCheckRollsTheUpgradeBack() {
        helm.install("checked").inNamespace("healthrb").createNamespace().chart(TESTED).set("message", "good")
                .healthCheck(HealthChecks.helmTests()).run();
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> helm.upgrade("checked").inNamespace("healthrb")
                .chart(TESTED).set("message", "bad").set(FAIL_TEST, WorkloadFailure.CRASH_LOOP.markerValue())
                .healthCheck(HealthChecks.helmTests()).waitReady(Duration.ofMinutes(2)).rollbackOnFailure().run());
        assertTrue(e.failure() instanceof HealthCheckFailedException, e.failure().toString());
        assertEquals("helm-tests", ((HealthCheckFailedException) e.failure()).check());
        assertTrue(e.rolledBack(), e.getMessage());
        Release now = helm.status("checked").inNamespace("healthrb").run();
        assertEquals("Rollback to 1", now.description());
        assertEquals("good", message("healthrb", "checked"));
        assertTrue(helm.status("checked").inNamespace("healthrb").atRevision(2).run().description().startsWith("Health check helm-tests failed"));
    }

    @Test
    void anHttpHealthCheckMustSeeA2xxWithinTheReadinessLimit() throws Exception {
        java.util.concurrent.atomic.AtomicInteger status = new java.util.concurrent.atomic.AtomicInteger(503);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", ex -> {
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
        try {
            java.net.URI url = java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/healthz");
            HealthCheckFailedException e = assertThrows(HealthCheckFailedException.class, () -> helm.install("probed")
                    .inNamespace("http-check").createNamespace().chart(WEB).healthCheck(HealthChecks.http(url))
                    .waitReady(Duration.ofSeconds(3)).run());
            assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
            assertEquals(ReleaseStatus.FAILED, helm.status("probed").inNamespace("http-check").run().status());
            status.set(200);
            assertEquals(ReleaseStatus.DEPLOYED, helm.upgrade("probed").inNamespace("http-check").chart(WEB)
                    .healthCheck(HealthChecks.http(url)).waitReady(Duration.ofSeconds(10)).run().status());
        } finally {
            server.stop(0);
        }
    }

    static void await(Duration limit, BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(limit).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }
}
