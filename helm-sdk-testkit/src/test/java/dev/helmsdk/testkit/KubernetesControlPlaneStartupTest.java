package dev.helmsdk.testkit;

import dev.helmsdk.testkit.internal.controlplane.ControlPlaneBinaries;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link KubernetesControlPlane} finds binaries, reports what is missing, fails, and runs envtest's layout. */
@Tag("integration")
class KubernetesControlPlaneStartupTest {

  /** The directory with the k8s-testenv build, when there is one. */
  private static Path binDir;

  @BeforeAll
  static void findBinaries() {
    binDir = ControlPlaneBinaries.resolve(null).found().map(ControlPlaneBinaries.Binaries::directory).orElse(null);
  }

  private static void assumeBinaries() {
    Assumptions.assumeTrue(binDir != null, () -> "no binaries: " + KubernetesControlPlane.unavailableReason()
        .orElse("?"));
  }

  private static boolean onCi() {
    String ci = System.getenv("CI");
    return "true".equalsIgnoreCase(ci) || "1".equals(ci);
  }

  private static List<ProcessHandle> children() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
  }

  @Test
  void aDirectoryWithoutTheBinariesIsReportedAndSkipsOrFailsOnCi(@TempDir Path empty) {
    KubernetesControlPlane.Builder builder = KubernetesControlPlane.builder().binaryDirectory(empty);

    IllegalStateException e = assertThrows(IllegalStateException.class, builder::start);
    assertTrue(e.getMessage().contains("which has no executable kube-apiserver or etcd"), e.getMessage());
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    if (onCi()) {
      IllegalStateException ci = assertThrows(IllegalStateException.class, builder::startOrSkip);
      assertTrue(ci.getMessage().contains("makes this a failure instead of a skip"), ci.getMessage());
    } else {
      TestAbortedException skip = assertThrows(TestAbortedException.class, builder::startOrSkip);
      assertTrue(skip.getMessage().contains("no executable kube-apiserver"), skip.getMessage());
    }
  }

  @Test
  void theDefaultSearchFindsTheRepositoryBuildHere() {
    assumeBinaries();
    assertEquals(java.util.Optional.empty(), KubernetesControlPlane.unavailableReason());
  }

  @Test
  void aComponentThatExitsFailsTheStartWithTheTailOfItsLog(@TempDir Path bin) throws IOException {
    assumeBinaries();
    Files.createSymbolicLink(bin.resolve("etcd"), binDir.resolve("etcd").toRealPath());
    Path apiserver = bin.resolve("kube-apiserver");
    Files.writeString(apiserver, "#!/bin/sh\necho 'E1122 starting: something is badly wrong' >&2\nexit 3\n");
    Files.setPosixFilePermissions(apiserver, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<ProcessHandle> before = children();

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KubernetesControlPlane.builder().binaryDirectory(bin).start());

    assertTrue(e.getMessage().contains("kube-apiserver exited with status 3"), e.getMessage());
    assertTrue(e.getMessage().contains("something is badly wrong"), e.getMessage());
    assertEquals(before, children(), "etcd, already started, was stopped");
  }

  @Test
  void aStartTimeoutStopsWhatWasStartedAndReportsTheLog(@TempDir Path work) {
    assumeBinaries();
    List<ProcessHandle> before = children();

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> KubernetesControlPlane.builder()
        .binaryDirectory(binDir).workDirectory(work).startTimeout(Duration.ofMillis(300)).start());

    assertTrue(e.getMessage().contains("timed out after"), e.getMessage());
    assertTrue(e.getMessage().contains("waiting for kube-apiserver /readyz"), e.getMessage());
    assertTrue(e.getMessage().contains("last lines of kube-apiserver.log"), e.getMessage());
    assertEquals(before, children());
    assertTrue(Files.isRegularFile(work.resolve("logs/kube-apiserver.log")), "a given work dir is kept");
  }

  @Test
  void envtestLayoutRunsOnlyEtcdAndTheApiServer(@TempDir Path bin, @TempDir Path work) throws IOException {
    assumeBinaries();
    Path testenv = binDir.resolve("kube-apiserver").toRealPath();
    Files.createSymbolicLink(bin.resolve("kube-apiserver"), testenv);
    Files.createSymbolicLink(bin.resolve("etcd"), testenv);

    try (KubernetesControlPlane cp = KubernetesControlPlane.builder().binaryDirectory(bin).workDirectory(work)
        .start()) {
      assertTrue(cp.isMinimal());
      assertEquals(2, cp.processes().size());
      KubernetesClient client = cp.client();
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("plain").endMetadata().build())
          .create();
      // No ServiceAccount admission (no controller creates default SAs), so a pod is accepted...
      client.pods().inNamespace("plain").resource(new PodBuilder().withNewMetadata().withName("p").endMetadata()
          .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build())
          .create();
      // ...and stays unscheduled: there is no scheduler and no node.
      Pod pod = client.pods().inNamespace("plain").withName("p").get();
      assertNull(pod.getSpec().getNodeName());
      assertEquals("Pending", pod.getStatus().getPhase());
      assertTrue(client.nodes().list().getItems().isEmpty());
      assertTrue(cp.requests().stream().anyMatch(r -> r.matches("POST", "/namespaces/plain/pods")));
    }
    assertTrue(Files.isDirectory(work.resolve("logs")), "a given work dir is kept");
    assertFalse(Files.exists(work.resolve("logs/kwok.log")));
  }
}
