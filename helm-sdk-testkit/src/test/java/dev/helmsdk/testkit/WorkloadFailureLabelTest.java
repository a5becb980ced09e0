package dev.helmsdk.testkit;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The failure label {@link WorkloadFailure#MARKER} gives the same pod status on both test clusters, so one chart can
 * be tested on either.
 */
@Tag("integration")
class WorkloadFailureLabelTest {

  private static final Duration POLL = Duration.ofMillis(100);
  private static EmbeddedKubernetes embedded;
  private static KubernetesControlPlane real;

  @BeforeAll
  static void start() {
    embedded = EmbeddedKubernetes.start();
    if (KubernetesControlPlane.unavailableReason().isEmpty()) {
      real = KubernetesControlPlane.start();
    }
  }

  @AfterAll
  static void stop() {
    if (embedded != null) {
      embedded.close();
    }
    if (real != null) {
      real.close();
    }
  }

  static Stream<Arguments> clustersAndFailures() {
    return Stream.of("embedded", "control-plane").flatMap(c -> Stream.of(WorkloadFailure.values())
        .map(f -> Arguments.of(c, f)));
  }

  private static TestCluster cluster(String name) {
    if (name.equals("embedded")) {
      return embedded;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(real != null && !real.isMinimal(),
        () -> "no full control plane: " + KubernetesControlPlane.unavailableReason().orElse("minimal mode"));
    return real;
  }

  @Test
  void markerValues() {
    assertEquals("testkit.helmsdk.dev/simulate-failure", WorkloadFailure.MARKER);
    assertEquals("crash-loop", WorkloadFailure.CRASH_LOOP.markerValue());
    assertEquals("image-pull-failure", WorkloadFailure.IMAGE_PULL_FAILURE.markerValue());
    assertEquals("never-ready", WorkloadFailure.NEVER_READY.markerValue());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("clustersAndFailures")
  void podTemplateLabelFailsTheDeploymentsPods(String clusterName, WorkloadFailure failure) {
    TestCluster cluster = cluster(clusterName);
    KubernetesClient client = cluster.client();
    String ns = namespace(cluster, "deploy-" + failure.markerValue());
    client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName("app").endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewSelector().addToMatchLabels("app", "app").endSelector()
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", "app").addToLabels(WorkloadFailure.MARKER, failure.markerValue())
        .endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("registry.invalid/app:1").endContainer().endSpec()
        .endTemplate()
        .endSpec().build()).create();

    Pod pod = awaitPod(client, ns, "app", "app", expected(failure), Duration.ofSeconds(20));
    assertEquals("False", readyCondition(pod), pod.getStatus().toString());
    Integer ready = client.apps().deployments().inNamespace(ns).withName("app").get().getStatus().getReadyReplicas();
    assertEquals(0, ready == null ? 0 : ready);
  }

  /**
   * The README's recipe on a real chart: podinfo renders {@code podAnnotations} on its pods but no pod labels of the
   * user's, so the marker goes in as a pod annotation, and the pods fail alike on both clusters.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("clustersAndFailures")
  void podinfoWithTheMarkerAsPodAnnotationFails(String clusterName, WorkloadFailure failure) {
    TestCluster cluster = cluster(clusterName);
    Path podinfo = dev.helmsdk.it.TestCharts.podinfo();
    String ns = namespace(cluster, "podinfo-" + failure.markerValue());
    try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
      helm.install("web").inNamespace(ns).chart(ChartRef.local(podinfo))
          .set("podAnnotations.testkit\\.helmsdk\\.dev/simulate-failure", failure.markerValue())
          .run();
    }
    KubernetesClient client = cluster.client();
    Pod pod = awaitPod(client, ns, "app.kubernetes.io/name", "web-podinfo", expected(failure), Duration.ofSeconds(20));
    assertEquals(failure.markerValue(), pod.getMetadata().getAnnotations().get(WorkloadFailure.MARKER));
    assertEquals(null, pod.getMetadata().getLabels().get(WorkloadFailure.MARKER), "podinfo set no marker label");
    assertEquals("False", readyCondition(pod), pod.getStatus().toString());
  }

  /** The pod's label wins over its annotation, on both clusters. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("clusters")
  void theLabelWinsOverTheAnnotation(String clusterName) {
    TestCluster cluster = cluster(clusterName);
    KubernetesClient client = cluster.client();
    String ns = namespace(cluster, "label-wins");
    client.pods().inNamespace(ns).resource(new PodBuilder()
        .withNewMetadata().withName("both").addToLabels("app", "both")
        .addToLabels(WorkloadFailure.MARKER, WorkloadFailure.IMAGE_PULL_FAILURE.markerValue())
        .addToAnnotations(WorkloadFailure.MARKER, WorkloadFailure.CRASH_LOOP.markerValue()).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("registry.invalid/app:1").endContainer().endSpec()
        .build()).create();
    awaitPod(client, ns, "app", "both", expected(WorkloadFailure.IMAGE_PULL_FAILURE), Duration.ofSeconds(20));
  }

  static Stream<String> clusters() {
    return Stream.of("embedded", "control-plane");
  }

  private static Predicate<Pod> expected(WorkloadFailure failure) {
    return switch (failure) {
      case CRASH_LOOP -> p -> "Running".equals(p.getStatus().getPhase())
          && "CrashLoopBackOff".equals(waitingReason(p)) && !container(p).getReady()
          && container(p).getLastState().getTerminated() != null
          && container(p).getLastState().getTerminated().getExitCode() == 1;
      case IMAGE_PULL_FAILURE -> p -> "Pending".equals(p.getStatus().getPhase())
          && "ImagePullBackOff".equals(waitingReason(p));
      case NEVER_READY -> p -> "Running".equals(p.getStatus().getPhase())
          && container(p).getState().getRunning() != null && !container(p).getReady();
    };
  }

  static Stream<Arguments> clustersAndRunToCompletionFailures() {
    return Stream.of("embedded", "control-plane").flatMap(c -> Stream.of(WorkloadFailure.CRASH_LOOP,
        WorkloadFailure.NEVER_READY).map(f -> Arguments.of(c, f)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("clustersAndRunToCompletionFailures")
  void jobWithRestartPolicyNeverFails(String clusterName, WorkloadFailure failure) {
    TestCluster cluster = cluster(clusterName);
    KubernetesClient client = cluster.client();
    String ns = namespace(cluster, "job-" + failure.markerValue());
    client.batch().v1().jobs().inNamespace(ns).resource(new JobBuilder()
        .withNewMetadata().withName("migrate").endMetadata()
        .withNewSpec().withBackoffLimit(0)
        .withNewTemplate()
        .withNewMetadata().addToLabels("app", "migrate").addToLabels(WorkloadFailure.MARKER, failure.markerValue())
        .endMetadata()
        .withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("migrate").withImage("busybox").endContainer().endSpec()
        .endTemplate()
        .endSpec().build()).create();

    Pod pod = awaitPod(client, ns, "app", "migrate", p -> "Failed".equals(p.getStatus().getPhase()),
        Duration.ofSeconds(20));
    assertEquals(1, container(pod).getState().getTerminated().getExitCode());
    await("Job " + ns + "/migrate Failed").atMost(Duration.ofSeconds(20)).pollInterval(POLL)
        .until(() -> client.batch().v1().jobs().inNamespace(ns).withName("migrate").get().getStatus(),
            status -> status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  /** Creates a namespace; on the real cluster waits for its default ServiceAccount, without which pods fail. */
  private static String namespace(TestCluster cluster, String name) {
    KubernetesClient client = cluster.client();
    String ns = name.toLowerCase(Locale.ROOT);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    if (cluster instanceof KubernetesControlPlane) {
      await("ServiceAccount " + ns + "/default").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
          .until(() -> client.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    }
    return ns;
  }

  private static Pod awaitPod(KubernetesClient client, String ns, String label, String app, Predicate<Pod> condition,
      Duration timeout) {
    Predicate<Pod> reached = p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty() && condition.test(p);
    List<Pod> pods = await("a pod of " + ns + "/" + app + " in the expected state").atMost(timeout).pollInterval(POLL)
        .until(() -> client.pods().inNamespace(ns).withLabel(label, app).list().getItems(),
            found -> found.stream().anyMatch(reached));
    return pods.stream().filter(reached).findFirst().orElseThrow();
  }

  private static ContainerStatus container(Pod p) {
    return p.getStatus().getContainerStatuses().get(0);
  }

  private static String waitingReason(Pod p) {
    ContainerStatus c = container(p);
    return c.getState() == null || c.getState().getWaiting() == null ? null : c.getState().getWaiting().getReason();
  }

  private static String readyCondition(Pod p) {
    return p.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getStatus()).findFirst().orElse(null);
  }
}
