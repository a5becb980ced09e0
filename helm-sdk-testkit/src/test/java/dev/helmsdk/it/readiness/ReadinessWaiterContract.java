package dev.helmsdk.it.readiness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import dev.helmsdk.core.internal.NativeHelm;
import dev.helmsdk.core.internal.StoredRelease;
import dev.helmsdk.core.internal.readiness.ReadinessException;
import dev.helmsdk.core.internal.readiness.ReadinessFailure;
import dev.helmsdk.core.internal.readiness.ReadinessInterruptedException;
import dev.helmsdk.core.internal.readiness.ReadinessSnapshot;
import dev.helmsdk.core.internal.readiness.ReadinessState;
import dev.helmsdk.core.internal.readiness.ReadinessTimeoutException;
import dev.helmsdk.core.internal.readiness.ReadinessWaiter;
import dev.helmsdk.core.internal.readiness.ResourceStatus;
import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.TestCluster;
import dev.helmsdk.testkit.WorkloadFailure;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The readiness waiter against a {@link TestCluster} with charts installed by real Helm (helm-java, without
 * {@code --wait}): each subclass supplies a cluster, and every test here must hold on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
abstract class ReadinessWaiterContract {

    private static final Duration LONG = Duration.ofMinutes(5);
    private static final String FAILURE_LABEL = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");

    TestCluster cluster;
    KubernetesClient kube;
    ReadinessWaiter waiter;

    /** Starts the cluster the tests run against (or skips). */
    abstract TestCluster startCluster();

    @BeforeAll
    void start() {
        NativeHelm.prepare();
        cluster = startCluster();
        kube = cluster.client();
        waiter = new ReadinessWaiter(kube);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Path chart(String name) {
        try {
            return Path.of(ReadinessWaiterContract.class.getResource("/charts/" + name + "/Chart.yaml").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Installs with Helm, no wait, and returns the stored manifest. */
    String install(String chart, String release, String namespace, Map<String, Object> values) {
        InstallCommand c = Helm.install(chart(chart).toString()).withName(release).withNamespace(namespace).createNamespace()
                .withKubeConfig(cluster.kubeConfigPath());
        values.forEach(c::set);
        try {
            c.call();
        } finally {
            NativeHelm.restoreSignalHandlers();
        }
        // The manifest Helm stored for revision 1, decoded as the SDK reads release records.
        var secret = kube.secrets().inNamespace(namespace).withName(StoredRelease.secretName(release, 1)).get();
        try {
            return StoredRelease.decodeSecretData(secret.getData().get("release"), new ObjectMapper()).manifest();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Object> failing(WorkloadFailure failure, Object... more) {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("replicaCount", 2);
        if (failure != null) {
            values.put(FAILURE_LABEL, failure.markerValue());
        }
        for (int i = 0; i < more.length; i += 2) {
            values.put((String) more[i], more[i + 1]);
        }
        return values;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void returnsOnceTheDeploymentIsReadyAndReportsProgress() {
        String manifest = install("sdk-web", "web", "ready", failing(null));
        List<ReadinessSnapshot> progress = new CopyOnWriteArrayList<>();
        cluster.clearRequests();
        ReadinessSnapshot done = waiter.await("ready", manifest, Duration.ofMinutes(2), progress::add);

        assertTrue(done.allReady(), done.toString());
        assertEquals(List.of("configmap/web-config", "service/web", "deployment/web"),
                done.resources().stream().map(ResourceStatus::id).toList());
        assertEquals("2/2 ready", done.find("deployment/web").orElseThrow().reason());
        Deployment d = kube.apps().deployments().inNamespace("ready").withName("web").get();
        assertEquals(2, d.getStatus().getReadyReplicas(), "the cluster agrees");
        assertFalse(progress.isEmpty());
        assertTrue(progress.get(progress.size() - 1).find("deployment/web").orElseThrow().ready(),
                "the listener saw deployment/web become ready: " + progress);
        for (int i = 1; i < progress.size(); i++) {
            assertFalse(progress.get(i).resources().equals(progress.get(i - 1).resources()), "called on changes only");
        }
        System.out.printf("[readiness] %s: ready after %s; progress: %s%n", getClass().getSimpleName(), done.elapsed(),
                progress.stream().map(s -> s.find("deployment/web").orElseThrow().toString()).collect(Collectors.joining(" -> ")));

        List<RecordedRequest> requests = cluster.requests();
        assertTrue(requests.stream().noneMatch(r -> r.path().matches(".*/pods/[^/]+$")), "no pod is read one by one: " + requests);
        assertTrue(requests.stream().noneMatch(r -> r.method().equals("GET") && r.path().endsWith("/secrets")),
                "Secrets are never listed: " + requests);
        assertTrue(requests.stream().allMatch(r -> r.method().equals("GET")), "the waiter only reads: " + requests);
    }

    @Test
    void aWaitBegunBeforeTheInstallSeesEachResourceAppearAndBecomeReady() throws Exception {
        var template = Helm.template(chart("sdk-web").toString()).withName("early").withNamespace("early").set("replicaCount", 3);
        String manifest = template.call();
        kube.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("early")
                .endMetadata().build()).create();
        List<ReadinessSnapshot> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<ReadinessSnapshot> wait = CompletableFuture.supplyAsync(
                () -> waiter.await("early", manifest, Duration.ofMinutes(2), progress::add));
        await("the wait's first look at the cluster").atMost(Duration.ofSeconds(30)).until(() -> !progress.isEmpty() || wait.isDone());
        install("sdk-web", "early", "early", Map.of("replicaCount", 3));
        ReadinessSnapshot done = wait.get(2, TimeUnit.MINUTES);
        assertTrue(done.allReady());
        List<String> seen = progress.stream().map(s -> s.find("deployment/early").orElseThrow().toString()).distinct().toList();
        assertEquals("deployment/early: not found", seen.get(0), seen.toString());
        assertEquals("deployment/early: 3/3 ready", seen.get(seen.size() - 1), seen.toString());
        System.out.printf("[readiness] %s: ready %s after the wait began; deployment/early went %s%n", getClass().getSimpleName(),
                done.elapsed(), String.join(" -> ", seen));
    }

    @Test
    void aCrashLoopFailsWithinSecondsNamingResourcePodContainerReasonAndMessage() {
        List<Long> detection = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String release = "crashy" + i;
            long installStart = System.nanoTime();
            String manifest = install("sdk-web", release, "crash", failing(WorkloadFailure.CRASH_LOOP));
            long start = System.nanoTime();
            ReadinessException e = assertThrows(ReadinessException.class, () -> waiter.await("crash", manifest, LONG));
            long ms = millisSince(start);
            detection.add(ms);
            total.add(millisSince(installStart));
            assertTrue(ms < 30_000, "failed after " + ms + " ms despite a 5-minute deadline");
            ReadinessFailure f = e.failures().get(0);
            assertEquals("deployment/" + release, f.resource().id());
            assertEquals("CrashLoopBackOff", f.reason());
            assertEquals("web", f.container());
            assertTrue(f.pod().startsWith(release + "-"), f.pod());
            assertTrue(f.message().startsWith("back-off"), f.message());
            assertTrue(e.getMessage().contains("deployment/" + release + ": pod " + f.pod() + " container web: CrashLoopBackOff: back-off"),
                    e.getMessage());
            assertEquals(ReadinessState.FAILED, e.snapshot().find("deployment/" + release).orElseThrow().state());
            if (i == 1) {
                System.out.printf("[readiness] %s: %s%n", getClass().getSimpleName(), e.getMessage());
            }
        }
        System.out.printf("[readiness] %s: crash loop detected %s ms after the install returned (median %d ms); %s ms after"
                        + " it began (median %d ms)%n", getClass().getSimpleName(), detection, median(detection), total, median(total));
    }

    @Test
    void anImagePullFailureFailsWithinSeconds() {
        String manifest = install("sdk-web", "pully", "pull", failing(WorkloadFailure.IMAGE_PULL_FAILURE));
        long start = System.nanoTime();
        ReadinessException e = assertThrows(ReadinessException.class, () -> waiter.await("pull", manifest, LONG));
        long ms = millisSince(start);
        assertTrue(ms < 30_000, "failed after " + ms + " ms");
        ReadinessFailure f = e.failures().get(0);
        assertEquals("deployment/pully", f.resource().id());
        assertTrue(Set.of("ImagePullBackOff", "ErrImagePull").contains(f.reason()), f.toString());
        assertEquals("web", f.container());
        System.out.printf("[readiness] %s: image pull failure detected after %d ms: %s%n", getClass().getSimpleName(), ms, e.getMessage());
    }

    @Test
    void aWorkloadThatNeverBecomesReadyTimesOutSayingWhatIsAwaited() {
        String manifest = install("sdk-web", "stuck", "stuck", failing(WorkloadFailure.NEVER_READY));
        long start = System.nanoTime();
        ReadinessTimeoutException e = assertThrows(ReadinessTimeoutException.class,
                () -> waiter.await("stuck", manifest, Duration.ofSeconds(3)));
        long ms = millisSince(start);
        assertTrue(ms >= 3_000 && ms < 10_000, "timed out after " + ms + " ms");
        assertEquals(Duration.ofSeconds(3), e.deadline());
        assertEquals(List.of("deployment/stuck"), e.pending().stream().map(ResourceStatus::id).toList());
        ResourceStatus pending = e.pending().get(0);
        assertEquals(ReadinessState.WAITING, pending.state());
        assertEquals("0/2 ready", pending.reason());
        assertTrue(e.getMessage().contains("deployment/stuck: 0/2 ready"), e.getMessage());
        System.out.printf("[readiness] %s: %s%n", getClass().getSimpleName(), e.getMessage());
    }

    @Test
    void aFailedJobIsReportedAsFailed() {
        String manifest = install("sdk-readiness", "jobfail", "jobs", failing(WorkloadFailure.CRASH_LOOP));
        long start = System.nanoTime();
        ReadinessException e = assertThrows(ReadinessException.class, () -> waiter.await("jobs", manifest, LONG));
        long ms = millisSince(start);
        assertTrue(ms < 60_000, "failed after " + ms + " ms");
        ReadinessFailure f = e.failures().get(0);
        assertEquals("job/jobfail-migrate", f.resource().id());
        assertEquals("BackoffLimitExceeded", f.reason());
        assertTrue(e.getMessage().contains("job/jobfail-migrate: BackoffLimitExceeded: "), e.getMessage());
        System.out.printf("[readiness] %s: failed Job detected after %d ms: %s%n", getClass().getSimpleName(), ms, e.getMessage());
    }

    @Test
    void aCompletedJobAStatefulSetAndPlainObjectsAreReady() {
        String manifest = install("sdk-readiness", "kinds", "kinds", Map.of("statefulset.enabled", true));
        ReadinessSnapshot done = waiter.await("kinds", manifest, Duration.ofMinutes(2));
        assertTrue(done.allReady(), done.toString());
        assertEquals(Map.of(
                        "serviceaccount/kinds", "exists",
                        "secret/kinds-credentials", "exists",
                        "configmap/kinds-settings", "exists",
                        "service/kinds-db", "headless",
                        "statefulset/kinds-db", "2/2 ready",
                        "job/kinds-migrate", "Complete"),
                done.resources().stream().collect(Collectors.toMap(ResourceStatus::id, ResourceStatus::reason)));
    }

    @Test
    void customResourcesFollowTheirReadyAndStalledConditions() {
        // The chart's CRD is in crds/, which Helm does not keep in the manifest: the test adds it to see it Established.
        String manifest = install("widgets", "gadget", "widgets", Map.of()) + "\n---\napiVersion: apiextensions.k8s.io/v1\n"
                + "kind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n";
        ReadinessSnapshot exists = waiter.await("widgets", manifest, Duration.ofMinutes(1));
        assertEquals(Map.of("widget/gadget", "exists", "customresourcedefinition/widgets.example.com", "Established"),
                exists.resources().stream().collect(Collectors.toMap(ResourceStatus::id, ResourceStatus::reason)),
                "without conditions a custom resource is ready once it exists");

        setConditions(List.of(
                Map.of("type", "Ready", "status", "False", "reason", "InvalidSpec", "message", "size 3 is not offered"),
                Map.of("type", "Stalled", "status", "True", "reason", "InvalidSpec", "message", "size 3 is not offered")));
        ReadinessException e = assertThrows(ReadinessException.class, () -> waiter.await("widgets", manifest, LONG));
        assertEquals("widget/gadget: InvalidSpec: size 3 is not offered", e.failures().get(0).describe());

        setConditions(List.of(Map.of("type", "Ready", "status", "False", "reason", "Provisioning", "message", "")));
        ReadinessTimeoutException t = assertThrows(ReadinessTimeoutException.class,
                () -> waiter.await("widgets", manifest, Duration.ofSeconds(1)));
        assertEquals("Ready=False: Provisioning", t.pending().get(0).reason());

        setConditions(List.of(Map.of("type", "Ready", "status", "True", "reason", "Provisioned", "message", "")));
        assertEquals("Ready", waiter.await("widgets", manifest, Duration.ofMinutes(1)).find("widget/gadget").orElseThrow().reason());
    }

    private void setConditions(List<Map<String, Object>> conditions) {
        var widgets = kube.genericKubernetesResources("example.com/v1", "Widget").inNamespace("widgets");
        GenericKubernetesResource w = widgets.withName("gadget").get();
        w.setAdditionalProperty("status", Map.of("conditions", conditions));
        widgets.resource(w).updateStatus();
    }

    @Test
    void interruptingTheWaitingThreadEndsTheWait() throws Exception {
        String manifest = install("sdk-web", "hung", "hung", failing(WorkloadFailure.NEVER_READY));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        List<ReadinessSnapshot> seen = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try {
                waiter.await("hung", manifest, LONG, seen::add);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("flag not set", e));
            }
        }, "readiness-interrupt-test");
        t.start();
        await("the wait's first look at the cluster").atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty() || outcome.isDone());
        long start = System.nanoTime();
        t.interrupt();
        Throwable e = outcome.get(10, TimeUnit.SECONDS);
        long ms = millisSince(start);
        assertTrue(e instanceof ReadinessInterruptedException, String.valueOf(e));
        assertTrue(ms < 2_000, "stopped " + ms + " ms after the interrupt");
        t.join(5_000);
        assertFalse(t.isAlive());
    }
}
