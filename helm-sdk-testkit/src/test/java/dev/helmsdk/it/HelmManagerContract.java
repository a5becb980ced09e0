package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseAlreadyExistsException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseBusyException;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.HealthChecks;
import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.TestCluster;
import dev.helmsdk.testkit.WorkloadFailure;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * The SDK with the real Helm (helm-java) against a {@link TestCluster}: each subclass supplies one
 * (the embedded API, a real control plane), and every test here must hold on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
abstract class HelmManagerContract {

    TestCluster cluster;
    HelmManager helm;
    KubernetesClient kube;

    /** Starts the cluster the tests run against (or skips). */
    abstract TestCluster startCluster();

    /** Lets a subclass run the same tests with a differently configured manager. */
    HelmSdk.Builder configure(HelmSdk.Builder builder) {
        return builder;
    }

    @BeforeAll
    void start() {
        cluster = startCluster();
        kube = cluster.client();
        helm = configure(HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("default")).build();
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

    private static final ChartRef WEB = ChartRef.local(TestCharts.local("sdk-web"));
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

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

    private static List<RecordedRequest> writes(TestCluster cluster) {
        return cluster.requests().stream().filter(r -> WRITES.contains(r.method())).toList();
    }

    private static String message(KubernetesClient kube, String ns, String release) {
        ConfigMap cm = kube.configMaps().inNamespace(ns).withName(release + "-config").get();
        return cm == null ? null : cm.getData().get("message");
    }

    @Test
    void installUpgradeHistoryUninstall() {
        Instant before = Instant.now().minusSeconds(1);
        Release r1 = helm.install("shop").inNamespace("shop").createNamespace().chart(WEB)
                .set("replicaCount", 2).set("message", "v1").waitReady(Duration.ofMinutes(1)).run();
        assertEquals(1, r1.revision());
        assertEquals(ReleaseStatus.DEPLOYED, r1.status());
        assertEquals("shop", r1.namespace());
        assertEquals("sdk-web", r1.chartName());
        assertEquals("0.3.0", r1.chartVersion());
        assertEquals("2.1", r1.appVersion());
        assertEquals("Install complete", r1.description());
        assertEquals("shop says v1", r1.notes());
        assertTrue(r1.lastDeployed().isAfter(before), r1.lastDeployed().toString());
        assertEquals(helm.status("shop").inNamespace("shop").run(), r1, "after a wait, the result is the record as stored");
        Deployment d = kube.apps().deployments().inNamespace("shop").withName("shop").get();
        assertNotNull(d, "the Deployment exists in the cluster");
        assertEquals(2, d.getSpec().getReplicas());
        assertEquals(2, d.getStatus().getReadyReplicas(), "waitReady returned after the Deployment was ready");
        assertEquals("v1", message(kube, "shop", "shop"));

        Release r2 = helm.upgrade("shop").inNamespace("shop").chart(WEB).set("replicaCount", 2).set("message", "v2").run();
        assertEquals(2, r2.revision());
        assertEquals(ReleaseStatus.DEPLOYED, r2.status());
        assertEquals("Upgrade complete", r2.description());
        assertEquals("v2", message(kube, "shop", "shop"));

        List<Release> history = helm.history("shop").inNamespace("shop").run();
        assertEquals(List.of(1, 2), history.stream().map(Release::revision).toList());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED), history.stream().map(Release::status).toList());
        assertEquals(r2, helm.status("shop").inNamespace("shop").run());
        assertEquals(ReleaseStatus.SUPERSEDED, helm.status("shop").inNamespace("shop").atRevision(1).run().status());

        assertEquals(Map.of("replicaCount", 2, "message", "v2"), helm.values("shop").inNamespace("shop").run());
        assertEquals(Map.of("replicaCount", 2, "message", "v1"), helm.values("shop").inNamespace("shop").atRevision(1).run());
        Map<String, Object> all = helm.values("shop").inNamespace("shop").allValues().run();
        assertEquals("v2", all.get("message"));
        assertEquals(Map.of("keep", "default"), all.get("extra"), "chart defaults are merged in");
        assertTrue(helm.manifest("shop").inNamespace("shop").atRevision(1).run().contains("message: \"v1\""));
        assertTrue(helm.manifest("shop").inNamespace("shop").run().contains("message: \"v2\""));

        List<Release> listed = helm.list().inNamespace("shop").run();
        assertEquals(List.of("shop"), listed.stream().map(Release::name).toList());
        assertEquals(2, listed.get(0).revision());

        Release removed = helm.uninstall("shop").inNamespace("shop").run();
        assertEquals(2, removed.revision());
        assertNull(kube.apps().deployments().inNamespace("shop").withName("shop").get(), "resources are removed");
        assertNull(kube.configMaps().inNamespace("shop").withName("shop-config").get());
        assertTrue(kube.secrets().inNamespace("shop").withLabel("owner", "helm").list().getItems().isEmpty(),
                "release records are removed");
        assertThrows(ReleaseNotFoundException.class, () -> helm.status("shop").inNamespace("shop").run());
        assertTrue(helm.list().inNamespace("shop").run().isEmpty());
    }

    @Test
    void uninstallWithKeepHistoryKeepsTheRecords() {
        helm.install("kept").inNamespace("keep").createNamespace().chart(WEB).run();
        helm.uninstall("kept").inNamespace("keep").keepHistory().run();
        assertNull(kube.apps().deployments().inNamespace("keep").withName("kept").get());
        assertEquals(1, kube.secrets().inNamespace("keep").withLabel("owner", "helm").list().getItems().size());
        Release status = helm.status("kept").inNamespace("keep").run();
        assertEquals(ReleaseStatus.UNINSTALLED, status.status());
        assertTrue(helm.list().inNamespace("keep").run().isEmpty(), "uninstalled releases are hidden by default");
        assertEquals(List.of("kept"), helm.list().inNamespace("keep").withStatus(ReleaseStatus.UNINSTALLED).run()
                .stream().map(Release::name).toList());
    }

    @Test
    void dryRunsChangeNothing() {
        clearRequestsOnceLeasesAreGivenBack();
        DryRunResult client = helm.install("preview").inNamespace("dry").chart(WEB).set("message", "planned")
                .dryRun(DryRunMode.CLIENT);
        assertTrue(cluster.requests().isEmpty(), "a client dry run does not contact the cluster: " + cluster.requests());
        assertEquals("preview says planned", client.notes());
        ConfigMap planned = kube.getKubernetesSerialization().unmarshal(
                client.rendered().find("ConfigMap", "preview-config").orElseThrow().yaml(), ConfigMap.class);
        assertEquals("planned", planned.getData().get("message"));

        DryRunResult server = helm.install("preview").inNamespace("dry").chart(WEB).dryRun(DryRunMode.SERVER);
        assertEquals(DryRunMode.SERVER, server.mode());
        assertEquals("sdk-web", server.chartName());
        assertEquals("0.3.0", server.chartVersion(), "the dry run says which chart version it would deploy");
        assertTrue(server.rendered().find("Deployment", "preview").isPresent());
        assertFalse(cluster.requests().isEmpty(), "a server dry run consults the cluster");
        assertEquals(List.of(), writes(cluster), "a server dry run sends no write");

        helm.install("live").inNamespace("dry").createNamespace().chart(WEB).run();
        clearRequestsOnceLeasesAreGivenBack();
        DryRunResult upgrade = helm.upgrade("live").inNamespace("dry").chart(WEB).set("message", "next").dryRun();
        assertTrue(upgrade.upgrade());
        assertEquals(List.of(), writes(cluster), "an upgrade dry run sends no write");
        assertEquals("hello", message(kube, "dry", "live"));
        assertEquals(1, helm.status("live").inNamespace("dry").run().revision());
        assertThrows(ReleaseNotFoundException.class,
                () -> helm.upgrade("absent").inNamespace("dry").chart(WEB).dryRun(DryRunMode.SERVER));
    }

    @Test
    void aValuesFileWithAMergeKeyAndAnEmojiDeploysWhatItMeans(@TempDir Path tmp) throws Exception {
        Path values = tmp.resolve("values.yaml");
        Files.writeString(values, """
                defaults: &defaults
                  message: "shipped \uD83D\uDE80 on"
                  replicaCount: 2
                <<: *defaults
                """);
        Release r = helm.install("yamlish").inNamespace("yamlish").createNamespace().chart(WEB).values(values).run();
        assertEquals(ReleaseStatus.DEPLOYED, r.status());
        assertEquals("shipped \uD83D\uDE80 on", message(kube, "yamlish", "yamlish"), "the merge key and the emoji reached the cluster");
        Deployment d = kube.apps().deployments().inNamespace("yamlish").withName("yamlish").get();
        assertEquals(2, d.getSpec().getReplicas());
    }

    @Test
    void badInputIsRejectedBeforeAnyApiRequest(@TempDir Path tmp) throws Exception {
        Path broken = Files.writeString(tmp.resolve("values-prod.yaml"), "image:\n  tag: [1.0\nreplicas: 2\n");
        clearRequestsOnceLeasesAreGivenBack();
        assertThrows(InvalidRequestException.class, () -> helm.install("Bad_Name"));
        InvalidRequestException values = assertThrows(InvalidRequestException.class,
                () -> helm.install("web").chart(WEB).values(broken).run());
        assertTrue(values.getMessage().contains("values-prod.yaml") && values.getMessage().contains("line"), values.getMessage());
        InvalidRequestException chart = assertThrows(InvalidRequestException.class,
                () -> helm.install("web").chart(ChartRef.directory(tmp.resolve("no-such-chart"))).run());
        assertTrue(chart.getMessage().contains("no-such-chart"), chart.getMessage());
        assertThrows(InvalidRequestException.class, () -> helm.upgrade("web").chart(ChartRef.archive(tmp.resolve("x.tgz"))).run());
        assertThrows(InvalidRequestException.class, () -> helm.install("web").chart(WEB).values(tmp.resolve("missing.yaml")).dryRun());
        assertEquals(List.of(), cluster.requests(), "nothing reached the API server");
    }

    @Test
    void readsOfAMissingReleaseRaiseNotFound() {
        ReleaseNotFoundException e = assertThrows(ReleaseNotFoundException.class, () -> helm.status("ghost").run());
        assertTrue(e.getMessage().contains("ghost") && e.getMessage().contains("default"), e.getMessage());
        assertFalse(e.retryable());
        assertThrows(ReleaseNotFoundException.class, () -> helm.history("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.values("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.uninstall("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.upgrade("ghost").chart(WEB).run());
    }

    @Test
    void installTwiceIsATypedConflictAndUpgradeCanInstall() {
        helm.install("twice").inNamespace("conflict").createNamespace().chart(WEB).set("replicaCount", 1).run();
        ReleaseAlreadyExistsException e = assertThrows(ReleaseAlreadyExistsException.class,
                () -> helm.install("twice").inNamespace("conflict").chart(WEB).set("replicaCount", 2).run());
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("'twice'")
                && e.getMessage().contains("'conflict'"), e.getMessage());
        assertTrue(e.helmMessage().contains("cannot re-use a name that is still in use"), e.helmMessage());
        assertEquals(Operation.INSTALL, e.operation());
        assertFalse(e.retryable());
        assertEquals(1, helm.history("twice").inNamespace("conflict").run().size(), "the failed install changed nothing");
        assertEquals(Map.of("replicaCount", 1), helm.values("twice").inNamespace("conflict").run(),
                "the failed install left the release's values as they were");

        Release fresh = helm.upgrade("upserted").inNamespace("conflict").chart(WEB).installIfAbsent().run();
        assertEquals(1, fresh.revision());
        assertEquals(ReleaseStatus.DEPLOYED, fresh.status());
    }

    @Test
    void templateAndLint() {
        RenderedManifest rendered = helm.template("tpl").inNamespace("x").chart(WEB).set("replicaCount", 4).run();
        assertEquals(Set.of("ConfigMap/tpl-config", "Service/tpl", "Deployment/tpl"),
                Set.copyOf(rendered.resources().stream().map(r -> r.id()).toList()));
        assertEquals("sdk-web/templates/deployment.yaml", rendered.find("Deployment", "tpl").orElseThrow().source());
        assertTrue(rendered.find("Deployment", "tpl").orElseThrow().yaml().contains("replicas: 4"));

        LintReport good = helm.lint(WEB).run();
        assertFalse(good.failed(), good.messages().toString());
        LintReport bad = helm.lint(ChartRef.local(TestCharts.local("sdk-broken"))).run();
        assertTrue(bad.failed());
        assertFalse(bad.errors().isEmpty(), bad.messages().toString());
        assertThrows(HelmOperationException.class, () -> helm.template("tpl").chart(ChartRef.local(TestCharts.local("sdk-broken"))).run());
    }

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
    void listCoversOneOrAllNamespacesAndFiltersByStatus() {
        helm.install("alpha").inNamespace("list-b").createNamespace().chart(WEB).run();
        helm.install("beta").inNamespace("list-a").createNamespace().chart(WEB).run();
        helm.upgrade("beta").inNamespace("list-a").chart(WEB).set("message", "two").run();
        assertEquals(List.of("alpha"), helm.list().inNamespace("list-b").run().stream().map(Release::name).toList());
        List<Release> all = helm.list().allNamespaces().run().stream()
                .filter(r -> r.namespace().startsWith("list-")).toList();
        assertEquals(List.of("list-a/beta", "list-b/alpha"), all.stream().map(r -> r.namespace() + "/" + r.name()).toList(),
                "sorted by namespace, then name");
        assertEquals(2, all.get(0).revision(), "the latest revision of each release");
        assertTrue(helm.list().allNamespaces().withStatus(ReleaseStatus.FAILED).run().stream()
                .noneMatch(r -> r.namespace().startsWith("list-")));
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
    void rollbackRestoresAnEarlierRevisionAsANewOne() {
        helm.install("rb").inNamespace("rollback").createNamespace().chart(WEB).set("message", "one").set("replicaCount", 1).run();
        helm.upgrade("rb").inNamespace("rollback").chart(WEB).set("message", "two").set("replicaCount", 2).run();
        helm.upgrade("rb").inNamespace("rollback").chart(WEB).set("message", "three").set("replicaCount", 3).run();

        Release back = helm.rollback("rb").inNamespace("rollback").toRevision(1).waitReady(Duration.ofMinutes(1)).run();
        assertEquals(4, back.revision());
        assertEquals(ReleaseStatus.DEPLOYED, back.status());
        assertEquals("Rollback to 1", back.description());
        assertEquals("one", message(kube, "rollback", "rb"), "the cluster objects are revision 1's again");
        assertEquals(1, kube.apps().deployments().inNamespace("rollback").withName("rb").get().getSpec().getReplicas());
        assertEquals(helm.values("rb").inNamespace("rollback").atRevision(1).run(), helm.values("rb").inNamespace("rollback").run());
        assertEquals(helm.manifest("rb").inNamespace("rollback").atRevision(1).run(), helm.manifest("rb").inNamespace("rollback").run());
        List<Release> history = helm.history("rb").inNamespace("rollback").run();
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED),
                history.stream().map(Release::status).toList());

        Release previous = helm.rollback("rb").inNamespace("rollback").run();
        assertEquals(5, previous.revision());
        assertEquals("Rollback to 3", previous.description(), "the default is the revision before the latest");
        assertEquals("three", message(kube, "rollback", "rb"));
    }

    @Test
    void rollbackRejectsWhatCannotBeRolledBackAndChangesNothing() {
        assertThrows(ReleaseNotFoundException.class, () -> helm.rollback("nobody").inNamespace("rollback-bad").run());
        helm.install("single").inNamespace("rollback-bad").createNamespace().chart(WEB).run();
        InvalidRequestException single = assertThrows(InvalidRequestException.class,
                () -> helm.rollback("single").inNamespace("rollback-bad").run());
        assertTrue(single.getMessage().contains("single revision"), single.getMessage());
        helm.upgrade("single").inNamespace("rollback-bad").chart(WEB).set("message", "two").run();
        ReleaseNotFoundException missing = assertThrows(ReleaseNotFoundException.class,
                () -> helm.rollback("single").inNamespace("rollback-bad").toRevision(7).run());
        assertTrue(missing.getMessage().contains("no revision 7") && missing.getMessage().contains("[1, 2]"), missing.getMessage());
        assertEquals(2, helm.history("single").inNamespace("rollback-bad").run().size(), "nothing changed");
        assertEquals("two", message(kube, "rollback-bad", "single"));
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
    void maxHistoryPrunesOldRevisionsButNeverTheDeployedOne() {
        try (HelmManager short3 = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).maxHistory(3).build()) {
            short3.install("hist").inNamespace("history").createNamespace().chart(WEB).run();
            for (int i = 2; i <= 4; i++) {
                short3.upgrade("hist").inNamespace("history").chart(WEB).set("message", "v" + i).run();
            }
            clearRequestsOnceLeasesAreGivenBack();
            Release fifth = short3.upgrade("hist").inNamespace("history").chart(WEB).set("message", "v5").run();
            assertTrue(cluster.requests().stream().noneMatch(r -> r.method().equals("GET") && r.path().endsWith("/secrets/sh.helm.release.v1.hist.v5")),
                    "the LIST that prunes also read back revision 5, with no GET of its own: " + cluster.requests());
            assertEquals(fifth, short3.status("hist").inNamespace("history").run(), "the upgrade returned revision 5 as stored");
            assertEquals(List.of(3, 4, 5), short3.history("hist").inNamespace("history").run().stream().map(Release::revision).toList());
            assertEquals(3, kube.secrets().inNamespace("history").withLabel("name", "hist").list().getItems().size());
            Release back = short3.rollback("hist").inNamespace("history").toRevision(3).run();
            assertEquals(6, back.revision());
            assertEquals(List.of(4, 5, 6), short3.history("hist").inNamespace("history").run().stream().map(Release::revision).toList());
        }
    }

    @Test
    void concurrentChangesToOneReleaseNeverInterleave() throws Exception {
        helm.install("busy").inNamespace("locks").createNamespace().chart(WEB).run();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Release>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String msg = "parallel-" + i;
                results.add(pool.submit(() -> helm.upgrade("busy").inNamespace("locks").chart(WEB).set("message", msg).run()));
            }
            List<Integer> revisions = new java.util.ArrayList<>();
            for (var f : results) {
                revisions.add(f.get().revision());
            }
            java.util.Collections.sort(revisions);
            assertEquals(List.of(2, 3, 4, 5), revisions, "every upgrade ran, one after another, none refused by Helm");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(ReleaseStatus.DEPLOYED, helm.status("busy").inNamespace("locks").run().status());
        await(Duration.ofSeconds(10), () -> kube.leases().inNamespace("locks").list().getItems().isEmpty(),
                "the Lease is gone after the changes (given back just after each returns)");
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
    void aStuckPendingReleaseIsReportedAndRecoveredOnlyWhenAsked() throws Exception {
        helm.install("stuck").inNamespace("stuck").createNamespace().chart(WEB).run();
        helm.upgrade("stuck").inNamespace("stuck").chart(WEB).set("message", "two").run();
        // A process died in the middle of upgrading to revision 2: Helm's record says pending-upgrade.
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        kube.secrets().inNamespace("stuck").withName("sh.helm.release.v1.stuck.v2").edit(s -> {
            try {
                var r = dev.helmsdk.core.internal.StoredRelease.decodeSecretData(s.getData().get("release"), mapper);
                s.getData().put("release", r.withStatus("pending-upgrade", "Preparing upgrade").encodeSecretData(mapper));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            s.getMetadata().getLabels().put("status", "pending-upgrade");
            return s;
        });
        ReleaseStuckException stuck = assertThrows(ReleaseStuckException.class,
                () -> helm.upgrade("stuck").inNamespace("stuck").chart(WEB).set("message", "three").run());
        assertEquals(ReleaseStatus.PENDING_UPGRADE, stuck.status());
        assertEquals(2, stuck.revision());
        assertTrue(stuck.getMessage().contains("recoverStuckReleases"), stuck.getMessage());

        try (HelmManager recovering = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath())
                .recoverStuckReleases(Duration.ZERO).build()) {
            Release r3 = recovering.upgrade("stuck").inNamespace("stuck").chart(WEB).set("message", "three").run();
            assertEquals(3, r3.revision());
            assertEquals(ReleaseStatus.DEPLOYED, r3.status());
        }
        Release r2 = helm.status("stuck").inNamespace("stuck").atRevision(2).run();
        assertEquals(ReleaseStatus.SUPERSEDED, r2.status(), "marked failed, then superseded by revision 3 as Helm does");
        assertTrue(r2.description().startsWith("Marked failed by helm-sdk"), r2.description());
        assertEquals("three", message(kube, "stuck", "stuck"));
    }

    private static final String CRASH = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");

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
    void aFailedUpgradeWithRollbackOnFailureEndsOnTheLastGoodRevision() {
        helm.install("auto").inNamespace("autorb").createNamespace().chart(WEB).set("message", "good").waitReady(Duration.ofMinutes(1)).run();
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> helm.upgrade("auto").inNamespace("autorb").chart(WEB)
                .set("message", "bad").set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue())
                .waitReady(Duration.ofMinutes(5)).rollbackOnFailure().run());
        assertTrue(e.rolledBack(), e.getMessage());
        assertEquals(1, e.restoredRevision().orElseThrow());
        assertTrue(e.failure() instanceof ReadinessFailedException, e.failure().toString());
        assertTrue(e.getMessage().contains("CrashLoopBackOff") && e.getMessage().contains("rolled back to revision 1"), e.getMessage());
        Release now = helm.status("auto").inNamespace("autorb").run();
        assertEquals(3, now.revision());
        assertEquals(ReleaseStatus.DEPLOYED, now.status());
        assertEquals("Rollback to 1", now.description());
        assertEquals("good", message(kube, "autorb", "auto"));
        assertEquals(helm.values("auto").inNamespace("autorb").atRevision(1).run(), helm.values("auto").inNamespace("autorb").run());
    }

    @Test
    void aFailedFirstInstallWithRollbackOnFailureIsUninstalled() {
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> helm.install("first").inNamespace("autorb-first")
                .createNamespace().chart(WEB).set(CRASH, WorkloadFailure.IMAGE_PULL_FAILURE.markerValue())
                .waitReady(Duration.ofMinutes(5)).rollbackOnFailure().run());
        assertTrue(e.rolledBack());
        assertTrue(e.restoredRevision().isEmpty());
        assertThrows(ReleaseNotFoundException.class, () -> helm.status("first").inNamespace("autorb-first").run());
        assertNull(kube.apps().deployments().inNamespace("autorb-first").withName("first").get());
    }

    @Test
    void progressIsReportedWhileWaiting() {
        List<dev.helmsdk.api.ReadinessProgress> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        helm.install("watched").inNamespace("progress").createNamespace().chart(WEB).set("replicaCount", 2)
                .onProgress(seen::add).waitReady(Duration.ofMinutes(1)).run();
        assertFalse(seen.isEmpty());
        dev.helmsdk.api.ReadinessProgress last = seen.get(seen.size() - 1);
        assertEquals(last.resources().size(), last.readyCount(), last.toString());
        assertTrue(last.resources().stream().anyMatch(r -> r.id().equals("deployment/watched")), last.toString());
    }

    private static final ChartRef TESTED = ChartRef.local(TestCharts.local("sdk-tested"));
    private static final String FAIL_TEST = "testPodLabels." + WorkloadFailure.MARKER.replace(".", "\\.");

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
        assertEquals("good", message(kube, "healthrb", "checked"));
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

    private static final ChartRef PREVIEW = ChartRef.local(TestCharts.local("sdk-preview"));
    private static final ChartRef PREVIEW_2 = ChartRef.local(TestCharts.local("sdk-preview-2"));   // 0.2.0, one more default

    /** The requests of one call, which must be exactly one read of the release's records. */
    private void assertOneReadOfTheRecords(String what) {
        List<RecordedRequest> sent = cluster.requests();
        assertEquals(1, sent.size(), what + " reads once: " + sent);
        assertEquals("GET", sent.get(0).method(), what + ": " + sent);
        assertTrue(sent.get(0).path().endsWith("/secrets") && sent.get(0).query().contains("labelSelector"),
                what + " lists the release's records: " + sent);
        clearRequestsOnceLeasesAreGivenBack();
    }

    @Test
    void existsAnswersForEveryStateWithoutAnException() {
        clearRequestsOnceLeasesAreGivenBack();
        assertEquals(Optional.empty(), helm.exists("nothing").inNamespace("exists").run(), "a missing release is empty");
        assertOneReadOfTheRecords("exists of a missing release");

        helm.install("up").inNamespace("exists").createNamespace().chart(WEB).run();
        helm.upgrade("up").inNamespace("exists").chart(WEB).set("message", "two").run();
        clearRequestsOnceLeasesAreGivenBack();
        Release up = helm.exists("up").inNamespace("exists").run().orElseThrow();
        assertOneReadOfTheRecords("exists");
        assertEquals(ReleaseStatus.DEPLOYED, up.status());
        assertEquals(2, up.revision(), "the latest revision");
        assertEquals(helm.status("up").inNamespace("exists").run(), up);

        assertThrows(ReadinessFailedException.class, () -> helm.install("down").inNamespace("exists").chart(WEB)
                .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(2)).run());
        assertEquals(ReleaseStatus.FAILED, helm.exists("down").inNamespace("exists").run().orElseThrow().status());

        helm.install("gone").inNamespace("exists").chart(WEB).run();
        helm.uninstall("gone").inNamespace("exists").keepHistory().run();
        assertEquals(ReleaseStatus.UNINSTALLED, helm.exists("gone").inNamespace("exists").run().orElseThrow().status(),
                "uninstalled with its history kept: the name is still in use");
        helm.uninstall("up").inNamespace("exists").run();
        assertEquals(Optional.empty(), helm.exists("up").inNamespace("exists").run(), "uninstalled: absent");
    }

    @Test
    void needsUpgradeSaysWhatWouldChangeWithOneReadAndNoWrite() {
        helm.install("cmp").inNamespace("cmp").createNamespace().chart(PREVIEW).set("message", "v1").run();
        helm.install("web").inNamespace("cmp").chart(WEB).set("message", "v1").run();
        clearRequestsOnceLeasesAreGivenBack();

        UpgradeCheck same = helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v1").run();
        assertOneReadOfTheRecords("needsUpgrade");
        assertFalse(same.needed(), "right after the install nothing differs: " + same);
        assertEquals(Set.of(), same.differences());
        assertEquals(List.of(), same.caveats(), "this chart uses nothing a local rendering cannot reproduce");
        assertEquals(1, same.current().revision());

        assertEquals(Set.of(Difference.VALUES, Difference.MANIFEST),
                helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v2").run().differences());
        assertEquals(Set.of(Difference.CHART_VERSION, Difference.MANIFEST),
                helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW_2).set("message", "v1").run().differences(),
                "0.2.0 has another default, which the chart renders");
        assertEquals(Set.of(Difference.VALUES),
                helm.needsUpgrade("web").inNamespace("cmp").chart(WEB).set("message", "v1").set("extra.unused", "x").run().differences(),
                "a value no template reads changes the values only");
        assertEquals(Set.of(), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).run().differences(),
                "given no values, Helm's upgrade copies the release's");
        assertEquals(Set.of(Difference.VALUES, Difference.MANIFEST),
                helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).resetValues().run().differences(),
                "resetValues drops the release's values");
        assertEquals(Set.of(), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).reuseValues().set("message", "v1").run()
                .differences());
        UpgradeCheck absent = helm.needsUpgrade("absent").inNamespace("cmp").chart(PREVIEW).run();
        assertEquals(Set.of(Difference.NOT_INSTALLED), absent.differences());
        assertTrue(absent.needed() && absent.currentRevision().isEmpty());
        assertEquals(List.of(), writes(cluster), "needsUpgrade writes nothing");
        assertTrue(cluster.requests().stream().noneMatch(r -> r.path().contains("/leases")), "needsUpgrade takes no Lease");
        assertEquals(1, helm.status("cmp").inNamespace("cmp").run().revision());

        // What an upgrade deploys is what the check compared: after it, nothing differs against revision 2.
        helm.upgrade("cmp").inNamespace("cmp").chart(PREVIEW_2).set("message", "v2").run();
        UpgradeCheck after = helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW_2).set("message", "v2").run();
        assertEquals(Set.of(), after.differences(), after.toString());
        assertEquals(2, after.current().revision());
    }

    @Test
    void needsUpgradeOfAFailedReleaseSaysItIsNotDeployed() {
        helm.install("cmp-fail").inNamespace("cmp-fail").createNamespace().chart(WEB).run();
        assertThrows(ReadinessFailedException.class, () -> helm.upgrade("cmp-fail").inNamespace("cmp-fail").chart(WEB)
                .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(2)).run());
        clearRequestsOnceLeasesAreGivenBack();
        UpgradeCheck check = helm.needsUpgrade("cmp-fail").inNamespace("cmp-fail").chart(WEB).run();
        assertOneReadOfTheRecords("needsUpgrade of a failed release");
        assertEquals(Set.of(Difference.NOT_DEPLOYED), check.differences(),
                "compared with revision 1, the last deployed one, as Helm's upgrade starts from it: " + check);
        assertEquals(1, check.current().revision());
    }
}
