package dev.helmsdk.testkit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded API and its simulated control plane, driven through the fabric8 client and plain HTTP. */
@Tag("integration")
class EmbeddedKubernetesTest {

  private static final String NS = "default";

  private EmbeddedKubernetes kube;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kube = EmbeddedKubernetes.start();
    client = kube.client();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  private static Deployment deployment(String name, int replicas, Map<String, String> templateAnnotations) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", name).addToLabels("tier", "web").addToAnnotations(templateAnnotations)
        .endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private List<Pod> pods(String appLabel) {
    return client.pods().inNamespace(NS).withLabel("app", appLabel).list().getItems();
  }

  private static DeploymentCondition condition(Deployment d, String type) {
    return d.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void deploymentGetsAReplicaSetAndReadyPodsLikeOnACluster() {
    client.resource(deployment("web", 3, Map.of())).create();

    Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
    assertEquals(3, d.getStatus().getReplicas());
    assertEquals(3, d.getStatus().getReadyReplicas());
    assertEquals(3, d.getStatus().getAvailableReplicas());
    assertEquals(3, d.getStatus().getUpdatedReplicas());
    assertEquals(1L, d.getStatus().getObservedGeneration());
    assertEquals("True", condition(d, "Available").getStatus());
    assertEquals("NewReplicaSetAvailable", condition(d, "Progressing").getReason());
    assertEquals("RollingUpdate", d.getSpec().getStrategy().getType(), "defaulted like the API server does");
    List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(NS).list().getItems();
    assertEquals(1, replicaSets.size());
    ReplicaSet rs = replicaSets.get(0);
    assertEquals(d.getMetadata().getUid(), rs.getMetadata().getOwnerReferences().get(0).getUid());
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertEquals("web-" + hash, rs.getMetadata().getName());
    assertEquals("1", rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    List<Pod> pods = pods("web");
    assertEquals(3, pods.size());
    for (Pod pod : pods) {
      assertTrue(pod.getMetadata().getName().matches("web-" + hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}"),
          pod.getMetadata().getName());
      assertEquals("web", pod.getMetadata().getLabels().get("tier"));
      assertEquals(hash, pod.getMetadata().getLabels().get("pod-template-hash"));
      assertEquals(rs.getMetadata().getUid(), pod.getMetadata().getOwnerReferences().get(0).getUid());
      assertEquals("Running", pod.getStatus().getPhase());
      assertNotNull(pod.getStatus().getPodIP());
      assertTrue(pod.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    }
  }

  @Test
  void deletingADeploymentCollectsItsReplicaSetsAndPods() {
    client.resource(deployment("gone", 2, Map.of())).create();
    assertEquals(2, pods("gone").size());

    client.apps().deployments().inNamespace(NS).withName("gone").delete();

    assertTrue(client.apps().replicaSets().inNamespace(NS).list().getItems().isEmpty());
    assertTrue(pods("gone").isEmpty());
  }

  @Test
  void scalingAndTemplateChangesRollOut() {
    client.resource(deployment("roll", 1, Map.of())).create();

    client.apps().deployments().inNamespace(NS).withName("roll").scale(3);
    assertEquals(3, client.apps().deployments().inNamespace(NS).withName("roll").get().getStatus().getReadyReplicas());

    client.apps().deployments().inNamespace(NS).withName("roll")
        .edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer()
            .withImage("nginx:1.28").endContainer().endSpec().endTemplate().endSpec().build());

    Deployment d = client.apps().deployments().inNamespace(NS).withName("roll").get();
    assertEquals(3, d.getStatus().getUpdatedReplicas());
    assertEquals(3, d.getStatus().getReadyReplicas());
    assertEquals(3L, d.getStatus().getObservedGeneration());
    List<Pod> pods = pods("roll");
    assertEquals(3, pods.size());
    assertTrue(pods.stream().allMatch(p -> "nginx:1.28".equals(p.getSpec().getContainers().get(0).getImage())));
  }

  @Test
  void injectedCrashLoopLooksLikeAKubeletReport() {
    kube.simulateFailure(NS, "crash", WorkloadFailure.CRASH_LOOP);
    client.resource(deployment("crash", 1, Map.of())).create();

    Pod pod = pods("crash").get(0);
    assertEquals("Running", pod.getStatus().getPhase());
    ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
    assertEquals("CrashLoopBackOff", container.getState().getWaiting().getReason());
    assertTrue(container.getState().getWaiting().getMessage().startsWith("back-off 10s restarting failed container=app"),
        container.getState().getWaiting().getMessage());
    assertTrue(container.getRestartCount() > 0);
    assertEquals(1, container.getLastState().getTerminated().getExitCode());
    assertFalse(container.getReady());
    Deployment d = client.apps().deployments().inNamespace(NS).withName("crash").get();
    assertNull(d.getStatus().getReadyReplicas(), "zero counts are omitted, as the real API omits them");
    assertEquals(1, d.getStatus().getUnavailableReplicas());
    assertEquals("False", condition(d, "Available").getStatus());
    assertEquals("True", condition(d, "Progressing").getStatus(), "the progress deadline has not passed");
  }

  @Test
  void failureAnnotationOnThePodTemplateGivesImagePullBackOff() {
    client.resource(deployment("pull", 1,
        Map.of("testkit.helmsdk.dev/simulate-failure", "image-pull-failure"))).create();

    Pod pod = pods("pull").get(0);
    assertEquals("Pending", pod.getStatus().getPhase());
    ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
    assertEquals("ImagePullBackOff", container.getState().getWaiting().getReason());
    assertTrue(container.getState().getWaiting().getMessage().startsWith("Back-off pulling image \"nginx:1.27\""),
        container.getState().getWaiting().getMessage());
    assertEquals(0, container.getRestartCount());
  }

  @Test
  void failureAnnotationOnTheWorkloadMakesItNeverReady() {
    Deployment d = deployment("slow", 1, Map.of());
    d.getMetadata().setAnnotations(Map.of("testkit.helmsdk.dev/simulate-failure", "never-ready"));
    client.resource(d).create();

    Pod pod = pods("slow").get(0);
    assertEquals("Running", pod.getStatus().getPhase());
    ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
    assertNotNull(container.getState().getRunning());
    assertFalse(container.getReady());
    assertTrue(pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus())
            && "ContainersNotReady".equals(c.getReason())));
  }

  @Test
  void failureInjectedLaterAppliesToExistingPods() {
    client.resource(deployment("later", 1, Map.of())).create();
    assertEquals(1, client.apps().deployments().inNamespace(NS).withName("later").get().getStatus().getReadyReplicas());

    kube.simulateFailure(NS, "later", WorkloadFailure.CRASH_LOOP);

    Pod pod = pods("later").get(0);
    assertEquals("CrashLoopBackOff", pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason());
    assertNull(client.apps().deployments().inNamespace(NS).withName("later").get().getStatus().getReadyReplicas());
  }

  private static Job job(String name) {
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("task").withImage("busybox:1.37").endContainer()
        .endSpec().endTemplate().endSpec()
        .build();
  }

  private static JobCondition jobCondition(Job job, String type) {
    return job.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  @Test
  void jobsCompleteAndFailedJobsReportBackoffLimitExceeded() {
    client.resource(job("ok")).create();
    kube.simulateFailure(NS, "broken", WorkloadFailure.CRASH_LOOP);
    client.resource(job("broken")).create();

    Job ok = client.batch().v1().jobs().inNamespace(NS).withName("ok").get();
    assertEquals(1, ok.getStatus().getSucceeded());
    assertEquals("True", jobCondition(ok, "Complete").getStatus());
    assertEquals(6, ok.getSpec().getBackoffLimit(), "defaulted");
    Pod okPod = client.pods().inNamespace(NS).withLabel("job-name", "ok").list().getItems().get(0);
    assertEquals("Succeeded", okPod.getStatus().getPhase());

    Job broken = client.batch().v1().jobs().inNamespace(NS).withName("broken").get();
    JobCondition failed = jobCondition(broken, "Failed");
    assertEquals("True", failed.getStatus());
    assertEquals("BackoffLimitExceeded", failed.getReason());
    assertNull(jobCondition(broken, "Complete"));
    assertEquals(7, broken.getStatus().getFailed());
  }

  @Test
  void statefulSetsDaemonSetsServicesAndClaimsGetTheirStatus() {
    client.resource(new StatefulSetBuilder()
        .withNewMetadata().withName("db").withNamespace(NS).endMetadata()
        .withNewSpec().withReplicas(2).withServiceName("db")
        .withNewSelector().addToMatchLabels("app", "db").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata()
        .withNewSpec().addNewContainer().withName("db").withImage("postgres:17").endContainer().endSpec()
        .endTemplate()
        .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
        .endVolumeClaimTemplate()
        .endSpec().build()).create();
    client.resource(new DaemonSetBuilder()
        .withNewMetadata().withName("agent").withNamespace(NS).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "agent").endMetadata()
        .withNewSpec().addNewContainer().withName("agent").withImage("fluent-bit:3").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    client.resource(new ServiceBuilder().withNewMetadata().withName("lb").withNamespace(NS).endMetadata()
        .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build()).create();
    client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("claim").withNamespace(NS)
        .endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
        .addToRequests("storage", new Quantity("5Gi")).endResources().endSpec().build()).create();

    StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("db").get();
    assertEquals(2, sts.getStatus().getReadyReplicas());
    assertEquals(sts.getStatus().getUpdateRevision(), sts.getStatus().getCurrentRevision());
    assertNotNull(client.pods().inNamespace(NS).withName("db-0").get());
    assertNotNull(client.pods().inNamespace(NS).withName("db-1").get());
    assertEquals("Bound", client.persistentVolumeClaims().inNamespace(NS).withName("data-db-1").get()
        .getStatus().getPhase());
    DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName("agent").get();
    assertEquals(1, ds.getStatus().getNumberReady());
    assertEquals(1, ds.getStatus().getDesiredNumberScheduled());
    var lb = client.services().inNamespace(NS).withName("lb").get();
    assertNotNull(lb.getSpec().getClusterIP());
    assertNotNull(lb.getSpec().getPorts().get(0).getNodePort());
    assertFalse(lb.getStatus().getLoadBalancer().getIngress().isEmpty());
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(NS).withName("claim").get();
    assertEquals("Bound", claim.getStatus().getPhase());
    assertEquals(new Quantity("5Gi"), claim.getStatus().getCapacity().get("storage"));
  }

  @Test
  void bareTestPodsRunToCompletion() {
    client.resource(new PodBuilder().withNewMetadata().withName("probe").withNamespace(NS).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox:1.37")
        .endContainer().endSpec().build()).create();
    client.resource(new PodBuilder().withNewMetadata().withName("server").withNamespace(NS).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx:1.27").endContainer().endSpec().build())
        .create();

    Pod probe = client.pods().inNamespace(NS).withName("probe").get();
    assertEquals("Succeeded", probe.getStatus().getPhase());
    assertEquals(0, probe.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());
    Pod server = client.pods().inNamespace(NS).withName("server").get();
    assertEquals("Running", server.getStatus().getPhase());
    assertEquals("embedded-node", server.getSpec().getNodeName());
  }

  @Test
  void strategicMergePatchMergesListsByKey() {
    client.resource(deployment("patched", 1, Map.of())).create();

    client.apps().deployments().inNamespace(NS).withName("patched").patch(
        PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"envoy:1\"},"
            + "{\"name\":\"app\",\"env\":[{\"name\":\"MODE\",\"value\":\"x\"}]}]}}}}");

    Deployment d = client.apps().deployments().inNamespace(NS).withName("patched").get();
    var containers = d.getSpec().getTemplate().getSpec().getContainers();
    assertEquals(List.of("app", "sidecar"), containers.stream().map(c -> c.getName()).toList());
    assertEquals("nginx:1.27", containers.get(0).getImage(), "untouched fields stay");
    assertEquals("x", containers.get(0).getEnv().get(0).getValue());
    assertEquals(1, d.getStatus().getReadyReplicas(), "status survives a patch of the main resource");
  }

  @Test
  void watchesStreamChanges() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (Watch ignored = client.configMaps().inNamespace(NS).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ConfigMap resource) {
        events.add(action + " " + resource.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
        // nothing to release
      }
    })) {
      client.resource(new ConfigMapBuilder().withNewMetadata().withName("watched").withNamespace(NS).endMetadata()
          .addToData("k", "v").build()).create();
      client.configMaps().inNamespace(NS).withName("watched").delete();

      assertEquals("ADDED watched", events.poll(5, TimeUnit.SECONDS));
      assertEquals("DELETED watched", events.poll(5, TimeUnit.SECONDS));
    }
  }

  @Test
  void aClientBuiltFromTheKubeconfigWatchesToo() throws Exception {
    // A default fabric8 client tries a WebSocket watch first and falls back to HTTP.
    try (KubernetesClient fromKubeconfig = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kube.kubeConfigYaml())).build()) {
      assertEquals(kube.url().toString(), fromKubeconfig.getMasterUrl().toString().replaceAll("/$", ""));
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      try (Watch ignored = fromKubeconfig.pods().inNamespace(NS).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, Pod resource) {
          events.add(action + " " + resource.getMetadata().getName() + " " + resource.getStatus().getPhase());
        }

        @Override
        public void onClose(WatcherException cause) {
          // nothing to release
        }
      })) {
        client.resource(new PodBuilder().withNewMetadata().withName("seen").withNamespace(NS).endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("nginx:1.27").endContainer().endSpec().build())
            .create();

        assertEquals("ADDED seen Pending", events.poll(5, TimeUnit.SECONDS));
        String next;
        do {
          next = events.poll(5, TimeUnit.SECONDS);
        } while (next != null && !next.endsWith("Running"));
        assertEquals("MODIFIED seen Running", next, "the kubelet's status update is streamed");
      }
    }
  }

  @Test
  void apiBehavesLikeARealServerForErrorsAndLists() throws Exception {
    KubernetesClientException missingNamespace = assertThrows(KubernetesClientException.class,
        () -> client.resource(new ConfigMapBuilder().withNewMetadata().withName("x").withNamespace("nowhere")
            .endMetadata().build()).create());
    assertEquals(404, missingNamespace.getCode());
    client.resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build()).create();
    client.resource(new SecretBuilder().withNewMetadata().withName("creds").withNamespace("team").endMetadata()
        .addToStringData("password", "s3cret").build()).create();
    KubernetesClientException duplicate = assertThrows(KubernetesClientException.class,
        () -> client.resource(new SecretBuilder().withNewMetadata().withName("creds").withNamespace("team")
            .endMetadata().build()).create());
    assertEquals(409, duplicate.getCode());
    assertEquals("AlreadyExists", duplicate.getStatus().getReason());
    assertEquals("s3cret", new String(Base64.getDecoder().decode(
        client.secrets().inNamespace("team").withName("creds").get().getData().get("password")),
        StandardCharsets.UTF_8), "stringData is folded into data");

    HttpResponse<String> list = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(kube.url() + "/api/v1/namespaces/team/secrets")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, list.statusCode());
    assertEquals("application/json", list.headers().firstValue("Content-Type").orElse(""));
    assertTrue(list.body().contains("\"kind\":\"SecretList\""), list.body());

    client.namespaces().withName("team").delete();
    assertNull(client.secrets().inNamespace("team").withName("creds").get(), "namespace contents are deleted");
  }

  @Test
  void aSettledClusterIsQuietAndStuckRolloutsHitTheirProgressDeadline() throws Exception {
    client.resource(deployment("fine", 2, Map.of())).create();
    client.resource(job("done")).create();
    long settled = listResourceVersion();

    Thread.sleep(700); // a window in which nothing may happen: a settled cluster writes nothing

    assertEquals(settled, listResourceVersion(), "a settled cluster does not keep rewriting objects");
    Deployment stuck = deployment("stuck", 1, Map.of("testkit.helmsdk.dev/simulate-failure", "crash-loop"));
    stuck.getSpec().setProgressDeadlineSeconds(2);
    client.resource(stuck).create();
    assertEquals("True", condition(client.apps().deployments().inNamespace(NS).withName("stuck").get(),
        "Progressing").getStatus(), "still within the deadline");
    DeploymentCondition progressing = await("deployment/stuck past its progress deadline").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> condition(client.apps().deployments().inNamespace(NS).withName("stuck").get(), "Progressing"),
            c -> !"True".equals(c.getStatus()));
    assertEquals("False", progressing.getStatus());
    assertEquals("ProgressDeadlineExceeded", progressing.getReason());
    assertEquals("ReplicaSet \"" + client.apps().replicaSets().inNamespace(NS).withLabel("app", "stuck").list()
        .getItems().get(0).getMetadata().getName() + "\" has timed out progressing.", progressing.getMessage());
    assertEquals("NewReplicaSetAvailable",
        condition(client.apps().deployments().inNamespace(NS).withName("fine").get(), "Progressing").getReason());
  }

  /** The store-wide resourceVersion, read through a list of pods, which waits for the controller to settle. */
  private long listResourceVersion() {
    return Long.parseLong(client.pods().inNamespace(NS).list().getMetadata().getResourceVersion());
  }

  @Test
  void instancesAreIndependentAndCloseCleansUp(@TempDir Path dir) throws Exception {
    Path workDirectory = dir.resolve("work");
    EmbeddedKubernetes other = EmbeddedKubernetes.builder().workDirectory(workDirectory).start();
    try {
      assertNotEquals(kube.url(), other.url());
      assertEquals(workDirectory.resolve("kubeconfig.yaml"), other.kubeConfigPath());
      assertEquals(other.kubeConfigYaml(), Files.readString(other.kubeConfigPath()));
      assertTrue(other.kubeConfigYaml().contains("server: " + other.url()));
      assertTrue(other.kubeConfigYaml().contains("current-context: embedded"));
      client.resource(new ConfigMapBuilder().withNewMetadata().withName("only-here").withNamespace(NS).endMetadata()
          .build()).create();
      assertNull(other.client().configMaps().inNamespace(NS).withName("only-here").get());
      kube.simulateFailure(NS, "web", WorkloadFailure.CRASH_LOOP);
      other.client().resource(deployment("web", 1, Map.of())).create();
      assertEquals(1, other.client().apps().deployments().inNamespace(NS).withName("web").get()
          .getStatus().getReadyReplicas(), "a failure injected in one instance does not leak into another");
    } finally {
      other.close();
    }
    other.close();
    assertTrue(Files.exists(other.kubeConfigPath()), "a caller-provided work directory is left in place");
    assertThrows(IllegalStateException.class, other::client);

    Path ownTemp = kube.kubeConfigPath().getParent();
    kube.close();
    kube.close();
    assertFalse(Files.exists(ownTemp), "the instance's own temporary directory is deleted");
  }
}
