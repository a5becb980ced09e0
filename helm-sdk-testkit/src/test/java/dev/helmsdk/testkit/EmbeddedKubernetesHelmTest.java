package dev.helmsdk.testkit;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Real Helm (helm-java, Helm 3.21 in Go) against {@link EmbeddedKubernetes}. */
@Tag("integration")
class EmbeddedKubernetesHelmTest {

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

  static Path demoChart() {
    try {
      return Path.of(EmbeddedKubernetesHelmTest.class.getResource("/charts/demo/Chart.yaml").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Release installDemo(String name, int timeoutSeconds) {
    return new Helm(demoChart()).install().withName(name).withNamespace(NS)
        .withKubeConfig(kube.kubeConfigPath()).waitReady().withTimeout(timeoutSeconds).call();
  }

  private List<Pod> podsOf(String release) {
    return client.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", release).list().getItems().stream()
        .filter(p -> !p.getMetadata().getOwnerReferences().isEmpty())
        .toList();
  }

  @Test
  void installUpgradeTestAndUninstallTheDemoChart() {
    Release installed = installDemo("shop", 60);

    assertEquals("deployed", installed.getStatus());
    assertEquals("1", installed.getRevision());
    Deployment deployment = client.apps().deployments().inNamespace(NS).withName("shop").get();
    assertEquals(2, deployment.getSpec().getReplicas());
    assertEquals(deployment.getSpec().getReplicas(), deployment.getStatus().getReadyReplicas());
    assertEquals(deployment.getMetadata().getGeneration(), deployment.getStatus().getObservedGeneration());
    List<Pod> pods = podsOf("shop");
    assertEquals(2, pods.size());
    for (Pod pod : pods) {
      assertEquals("Running", pod.getStatus().getPhase());
      assertEquals("ReplicaSet", pod.getMetadata().getOwnerReferences().get(0).getKind());
      assertTrue(pod.getMetadata().getName().startsWith(pod.getMetadata().getOwnerReferences().get(0).getName() + "-"),
          pod.getMetadata().getName());
      assertTrue(pod.getStatus().getContainerStatuses().get(0).getReady());
    }
    assertEquals("hello", client.configMaps().inNamespace(NS).withName("shop-config").get().getData().get("greeting"));
    Service service = client.services().inNamespace(NS).withName("shop").get();
    assertTrue(service.getSpec().getClusterIP().matches("10\\.96\\.\\d+\\.\\d+"), service.getSpec().getClusterIP());

    Release upgraded = new Helm(demoChart()).upgrade().withName("shop").withNamespace(NS)
        .withKubeConfig(kube.kubeConfigPath()).set("greeting", "bonjour").waitReady().withTimeout(60).call();

    assertEquals("2", upgraded.getRevision());
    assertEquals("deployed", upgraded.getStatus());
    ConfigMap config = client.configMaps().inNamespace(NS).withName("shop-config").get();
    assertEquals("bonjour", config.getData().get("greeting"));
    Deployment rolled = client.apps().deployments().inNamespace(NS).withName("shop").get();
    assertEquals(2L, rolled.getMetadata().getGeneration(), "the config checksum annotation changed the template");
    assertEquals(2L, rolled.getStatus().getObservedGeneration());
    assertEquals(2, rolled.getStatus().getReadyReplicas());
    assertEquals(1, rolled.getSpec().getTemplate().getSpec().getContainers().size(),
        "the strategic merge patch must merge containers by name, not append");
    List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(NS).list().getItems();
    assertEquals(2, replicaSets.size(), "old and new ReplicaSet");
    assertEquals(1, replicaSets.stream().filter(rs -> rs.getSpec().getReplicas() == 0).count(),
        "the old ReplicaSet is scaled down");
    List<Pod> newPods = podsOf("shop");
    assertEquals(2, newPods.size());
    assertTrue(newPods.stream().noneMatch(p -> pods.stream()
        .anyMatch(old -> old.getMetadata().getName().equals(p.getMetadata().getName()))), "pods were replaced");

    Release tested = Helm.test("shop").withNamespace(NS).withKubeConfig(kube.kubeConfigPath()).withTimeout(30).call();

    assertEquals("deployed", tested.getStatus());
    Pod testPod = client.pods().inNamespace(NS).withName("shop-test-connection").get();
    assertEquals("Succeeded", testPod.getStatus().getPhase());
    assertEquals("Completed", testPod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason());

    assertNotNull(client.secrets().inNamespace(NS).withName("sh.helm.release.v1.shop.v2").get());
    Helm.uninstall("shop").withNamespace(NS).withKubeConfig(kube.kubeConfigPath()).call();

    assertNull(client.apps().deployments().inNamespace(NS).withName("shop").get());
    assertTrue(client.apps().replicaSets().inNamespace(NS).list().getItems().isEmpty(), "ReplicaSets collected");
    assertTrue(podsOf("shop").isEmpty(), "pods collected");
    assertNull(client.services().inNamespace(NS).withName("shop").get());
    assertNull(client.configMaps().inNamespace(NS).withName("shop-config").get());
    assertNull(client.secrets().inNamespace(NS).withName("sh.helm.release.v1.shop.v1").get());
    assertNull(client.secrets().inNamespace(NS).withName("sh.helm.release.v1.shop.v2").get());
  }

  @Test
  void theRealPodinfoChartInstallsWithWait() {
    Path podinfo = podinfoChart();
    Release release = new Helm(podinfo).install().withName("podinfo").withNamespace("apps").createNamespace()
        .withKubeConfig(kube.kubeConfigPath()).waitReady().withTimeout(60).call();

    assertEquals("deployed", release.getStatus());
    assertEquals("1", release.getRevision());
    Deployment deployment = client.apps().deployments().inNamespace("apps").withName("podinfo").get();
    assertEquals(1, deployment.getStatus().getReadyReplicas());
    Secret record = client.secrets().inNamespace("apps").withName("sh.helm.release.v1.podinfo.v1").get();
    assertEquals("helm.sh/release.v1", record.getType());
    assertEquals("deployed", record.getMetadata().getLabels().get("status"));
  }

  private static Path podinfoChart() {
    // The repository root is two levels above this module; the charts live next to it.
    Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    Path chart = base.resolve("../../shared/charts/podinfo").normalize();
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      String message = "podinfo chart not found at " + chart;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message + "; skipping (set CI=true to make this a failure)");
    }
    return chart;
  }

  @Test
  void chartsWithCustomResourceDefinitionsInstallAndUpgrade() throws URISyntaxException {
    Path chart = Path.of(getClass().getResource("/charts/widgets/Chart.yaml").toURI()).getParent();

    Release installed = new Helm(chart).install().withName("gadget").withNamespace(NS)
        .withKubeConfig(kube.kubeConfigPath()).waitReady().withTimeout(30).call();
    Release upgraded = new Helm(chart).upgrade().withName("gadget").withNamespace(NS)
        .withKubeConfig(kube.kubeConfigPath()).set("size", 5).waitReady().withTimeout(30).call();

    assertEquals("deployed", installed.getStatus());
    assertEquals("2", upgraded.getRevision());
    var crd = client.apiextensions().v1().customResourceDefinitions().withName("widgets.example.com").get();
    assertTrue(crd.getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
    var widget = client.genericKubernetesResources("example.com/v1", "Widget").inNamespace(NS).withName("gadget").get();
    assertEquals(5, ((Number) ((Map<?, ?>) widget.getAdditionalProperties().get("spec")).get("size")).intValue());
  }

  @Test
  void requestLogRecordsTheApiCallsAndCanBeCleared() {
    installDemo("logged", 60);

    List<RecordedRequest> requests = kube.requests();
    RecordedRequest post = requests.stream()
        .filter(r -> r.matches("POST", "/apis/apps/v1/namespaces/default/deployments"))
        .findFirst().orElseThrow(() -> new AssertionError("no POST for the Deployment in " + requests));
    assertEquals("application/json", post.contentType());
    assertTrue(requests.stream().anyMatch(r -> r.matches("POST", "/api/v1/namespaces/default/secrets")
        && r.contentType().startsWith("application/vnd.kubernetes.protobuf")), "Helm stores its record as protobuf");
    assertTrue(requests.stream().anyMatch(r -> r.path().equals("/api/v1/namespaces/default/secrets")
        && r.query().contains("labelSelector=")), "queries are recorded");
    assertTrue(requests.indexOf(post) > 0);
    assertFalse(requests.get(0).time().isAfter(post.time()), "in arrival order");

    kube.clearRequests();

    assertTrue(kube.requests().isEmpty());
    client.configMaps().inNamespace(NS).withName("logged-config").get();
    assertEquals(1, kube.requests().size());
    assertEquals("/api/v1/namespaces/default/configmaps/logged-config", kube.requests().get(0).path());
  }

  @Test
  void aFailingTestHookFailsHelmTest() {
    installDemo("flaky", 60);
    kube.simulateFailure(NS, "flaky-test-connection", WorkloadFailure.CRASH_LOOP);

    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> Helm.test("flaky").withNamespace(NS).withKubeConfig(kube.kubeConfigPath()).withTimeout(30).call());

    assertTrue(error.getMessage().contains("flaky-test-connection"), error.getMessage());
    Pod hook = client.pods().inNamespace(NS).withName("flaky-test-connection").get();
    assertEquals("Failed", hook.getStatus().getPhase());
    assertEquals(1, hook.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode());
  }

  @Test
  void crashLoopingDeploymentFailsHelmWait() {
    kube.simulateFailure(NS, "crashy", WorkloadFailure.CRASH_LOOP);

    long started = System.nanoTime();
    IllegalStateException error = assertThrows(IllegalStateException.class, () -> installDemo("crashy", 3));
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertTrue(elapsedMillis >= 2_500, "Helm gave up after its timeout, not before: " + elapsedMillis + " ms");
    assertTrue(error.getMessage().contains("context deadline exceeded") || error.getMessage().contains("timed out"),
        error.getMessage());
    Deployment deployment = client.apps().deployments().inNamespace(NS).withName("crashy").get();
    Integer ready = deployment.getStatus().getReadyReplicas();
    assertTrue(ready == null || ready == 0, "readyReplicas " + ready);
    assertEquals(2, deployment.getStatus().getUnavailableReplicas());
    assertEquals("False", deployment.getStatus().getConditions().stream()
        .filter(c -> "Available".equals(c.getType())).findFirst().orElseThrow().getStatus());
    List<Pod> pods = podsOf("crashy");
    assertEquals(2, pods.size());
    for (Pod pod : pods) {
      assertEquals("Running", pod.getStatus().getPhase());
      ContainerStatus container = pod.getStatus().getContainerStatuses().get(0);
      assertEquals("CrashLoopBackOff", container.getState().getWaiting().getReason());
      assertFalse(container.getReady());
      assertTrue(container.getRestartCount() > 0);
      assertEquals(1, container.getLastState().getTerminated().getExitCode());
    }
    Secret record = client.secrets().inNamespace(NS).withName("sh.helm.release.v1.crashy.v1").get();
    assertEquals("failed", record.getMetadata().getLabels().get("status"));
  }
}
