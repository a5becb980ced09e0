package dev.helmsdk.testkit;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KubernetesControlPlane}: a real kube-apiserver, controller-manager and scheduler with KWOK. Skipped where no
 * binaries are available (see {@link KubernetesControlPlane#unavailableReason()}), failed instead when {@code CI=true}.
 */
@dev.helmsdk.testkit.junit.KubernetesControlPlaneTest // the annotation shares this class's simple name
class KubernetesControlPlaneTest {

  private static KubernetesControlPlane cp;
  private static KubernetesClient client;

  @BeforeAll
  static void start(KubernetesControlPlane controlPlane, KubernetesClient adminClient) {
    cp = controlPlane;
    client = adminClient;
  }

  private static void assumeFull() {
    Assumptions.assumeFalse(cp.isMinimal(), "needs controllers, scheduler and KWOK (not only envtest's binaries)");
  }

  /** Creates a namespace and waits for its default ServiceAccount, without which pods are rejected. */
  private static String namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    if (!cp.isMinimal()) {
      await("ServiceAccount " + name + "/default", Duration.ofSeconds(30),
          () -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
    }
    return name;
  }

  private static void await(String what, Duration timeout, Supplier<Boolean> condition) {
    Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition::get);
  }

  private static Deployment deployment(String name, int replicas, Map<String, String> extraPodLabels) {
    Map<String, String> labels = new HashMap<>(extraPodLabels);
    labels.put("app", name);
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .addNewContainer().withName("web").withImage("nginx:1.27").endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
  }

  @Test
  void isReadyWithANodeAndTheDefaultServiceAccount() {
    assertNotNull(cp.startupTime());
    assertTrue(cp.startupTime().compareTo(Duration.ZERO) > 0);
    assertEquals("https", cp.url().getScheme());
    assertEquals("1", client.getKubernetesVersion().getMajor());
    assertTrue(Files.isRegularFile(cp.kubeConfigPath()));
    assertEquals(cp.kubeConfigYaml(), readString(cp.kubeConfigPath()));
    assumeFull();
    Node node = client.nodes().withName("kwok-node-0").get();
    assertNotNull(node);
    assertTrue(node.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    assertNotNull(client.serviceAccounts().inNamespace("default").withName("default").get());
    assertEquals(5, cp.processes().size());
    assertTrue(cp.processes().stream().allMatch(ProcessHandle::isAlive));
  }

  @Test
  void deploymentBecomesReadyThroughTheDeploymentControllerAndKwok() {
    assumeFull();
    String ns = namespace("rollout");
    client.apps().deployments().inNamespace(ns).resource(deployment("web", 3, Map.of())).create();

    await("3 ready replicas", Duration.ofSeconds(60), () -> {
      Deployment d = client.apps().deployments().inNamespace(ns).withName("web").get();
      return d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getReadyReplicas());
    });
    List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(ns).withLabel("app", "web").list()
        .getItems();
    assertEquals(1, replicaSets.size());
    assertEquals("Deployment", replicaSets.get(0).getMetadata().getOwnerReferences().get(0).getKind());
    List<Pod> pods = client.pods().inNamespace(ns).withLabel("app", "web").list().getItems();
    assertEquals(3, pods.size());
    for (Pod p : pods) {
      assertEquals("kwok-node-0", p.getSpec().getNodeName(), "scheduled by kube-scheduler");
      assertEquals("Running", p.getStatus().getPhase());
    }
  }

  @Test
  void restrictedKubeconfigIsForbiddenToListPods() throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(cp.restrictedKubeConfigPath()));
    try (KubernetesClient restricted = new KubernetesClientBuilder().withConfig(config).build()) {
      KubernetesClientException e = assertThrows(KubernetesClientException.class,
          () -> restricted.pods().inNamespace("default").list());
      assertEquals(403, e.getCode());
      assertTrue(e.getMessage().contains("User \"restricted\" cannot list resource \"pods\""), e.getMessage());
    }
    assertTrue(cp.requests().stream().anyMatch(r -> r.matches("GET", "/api/v1/namespaces/default/pods")),
        "the forbidden request is in the audit log too");
  }

  @Test
  void resourceQuotaRejectsASecondPod() {
    String ns = namespace("quota");
    ResourceQuota quota = new ResourceQuotaBuilder().withNewMetadata().withName("pods").endMetadata()
        .withNewSpec().addToHard("pods", new Quantity("1")).endSpec().build();
    client.resourceQuotas().inNamespace(ns).resource(quota).create();
    if (!cp.isMinimal()) {
      // Admission refuses pods until the quota controller has computed the quota's status.
      await("quota status", Duration.ofSeconds(30), () -> {
        ResourceQuota q = client.resourceQuotas().inNamespace(ns).withName("pods").get();
        return q.getStatus() != null && q.getStatus().getHard() != null && q.getStatus().getHard().containsKey("pods");
      });
    } else {
      return;
    }
    client.pods().inNamespace(ns).resource(pod("first")).create();

    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> client.pods().inNamespace(ns).resource(pod("second")).create());
    assertEquals(403, e.getCode());
    assertTrue(e.getMessage().contains("exceeded quota"), e.getMessage());
  }

  @Test
  void requestsComeFromTheAuditLogAndCanBeCleared() {
    String ns = namespace("audited");
    cp.clearRequests();
    client.apps().deployments().inNamespace(ns).resource(deployment("audited", 1, Map.of())).create();

    List<RecordedRequest> requests = cp.requests();
    assertTrue(requests.stream().anyMatch(r -> r.matches("POST", "/apis/apps/v1/namespaces/" + ns + "/deployments")),
        requests::toString);
    RecordedRequest post = requests.stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
    assertEquals("", post.contentType());
    assertFalse(post.path().contains("?"));
    // Only the test's client: none of the controllers reacting to the Deployment, nor the testkit's own checks.
    assertEquals(1, requests.size(), requests::toString);

    client.apps().deployments().inNamespace(ns).withName("audited").get();
    client.pods().inNamespace(ns).withLabel("app", "audited").list();
    List<RecordedRequest> more = cp.requests();
    assertEquals(List.of("POST", "GET", "GET"), more.stream().map(RecordedRequest::method).toList(), more::toString);
    assertEquals("labelSelector=app%3Daudited", more.get(2).query());

    cp.clearRequests();
    assertEquals(List.of(), cp.requests());
  }

  @Test
  void failureLabelMakesThePodCrashLoop() {
    assumeFull();
    String ns = namespace("failing");
    client.apps().deployments().inNamespace(ns).resource(deployment("crasher", 1,
        Map.of(WorkloadFailure.MARKER, WorkloadFailure.CRASH_LOOP.markerValue()))).create();

    await("a pod waiting in CrashLoopBackOff", Duration.ofSeconds(30), () -> waitingReason(ns, "crasher")
        .filter("CrashLoopBackOff"::equals).isPresent());
    Pod pod = client.pods().inNamespace(ns).withLabel("app", "crasher").list().getItems().get(0);
    assertEquals("Running", pod.getStatus().getPhase());
    ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
    assertFalse(status.getReady());
    assertEquals(1, status.getLastState().getTerminated().getExitCode());
    Deployment d = client.apps().deployments().inNamespace(ns).withName("crasher").get();
    assertTrue(d.getStatus().getReadyReplicas() == null || d.getStatus().getReadyReplicas() == 0);
  }

  private static Optional<String> waitingReason(String ns, String app) {
    return client.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .filter(c -> c.getState() != null && c.getState().getWaiting() != null)
        .map(c -> c.getState().getWaiting().getReason())
        .findFirst();
  }

  @Test
  void realHelmInstallsWaitsForAndUninstallsTheSdkWebChart() throws Exception {
    assumeFull();
    Path chart = Path.of(KubernetesControlPlaneTest.class.getResource("/charts/sdk-web/Chart.yaml").toURI())
        .getParent();
    Release release = Helm.install(chart.toString()).withName("web").withNamespace("helm").createNamespace()
        .withKubeConfig(cp.kubeConfigPath()).waitReady().withTimeout(60).call();

    assertEquals("deployed", release.getStatus());
    Deployment d = client.apps().deployments().inNamespace("helm").withName("web").get();
    assertEquals(1, d.getStatus().getReadyReplicas());
    assertTrue(cp.requests().stream().anyMatch(r -> r.matches("POST", "/namespaces/helm/deployments")));

    Helm.uninstall("web").withNamespace("helm").withKubeConfig(cp.kubeConfigPath()).call();
    assertTrue(client.secrets().inNamespace("helm").withLabel("owner", "helm").list().getItems().isEmpty());
    await("the Deployment gone", Duration.ofSeconds(30),
        () -> client.apps().deployments().inNamespace("helm").withName("web").get() == null);
  }

  @Test
  void closeStopsEveryProcessAndDeletesTheWorkDirectory() {
    List<ProcessHandle> before = children();
    KubernetesControlPlane second = KubernetesControlPlane.start();
    List<ProcessHandle> processes = second.processes();
    Path work = second.workDirectory();
    assertTrue(processes.stream().allMatch(ProcessHandle::isAlive));
    List<ProcessHandle> started = new ArrayList<>(children());
    started.removeAll(before);
    assertEquals(processes.stream().map(ProcessHandle::pid).sorted().toList(),
        started.stream().map(ProcessHandle::pid).sorted().toList(), "the components are this JVM's children");
    assertTrue(Files.isRegularFile(work.resolve("logs/kube-apiserver.log")));

    second.close();
    second.close(); // idempotent

    assertTrue(processes.stream().noneMatch(ProcessHandle::isAlive));
    List<ProcessHandle> after = new ArrayList<>(children());
    after.removeAll(before);
    assertEquals(List.of(), after, "no child process left");
    assertFalse(Files.exists(work));
    assertThrows(IllegalStateException.class, second::client);
    assertTrue(cp.processes().stream().allMatch(ProcessHandle::isAlive), "the other control plane still runs");
  }

  private static List<ProcessHandle> children() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
