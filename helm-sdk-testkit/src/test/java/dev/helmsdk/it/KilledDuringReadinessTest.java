package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: a process killed with SIGKILL while the SDK waits for readiness (after Helm recorded the revision
 * {@code deployed}) does not leave a revision that looks deployed. The revision reads {@code pending-upgrade}, as
 * Helm's own {@code --wait} leaves it (record and label), naming the remediation the request asked for; the next
 * change is refused by Helm as for any pending revision, which the SDK reports as {@link ReleaseStuckException} naming
 * that remediation; with stuck-release recovery the revision is marked failed and the change goes ahead.
 */
@Tag("integration")
class KilledDuringReadinessTest {

    private static final Path CHART = TestCharts.local("sdk-web");
    private static final String NS = "killed-waiting";
    private static final String RELEASE = "shop";

    @Test
    void aRevisionWhoseWaiterWasKilledIsNotLeftLookingDeployed() throws Exception {
        try (TestCluster cluster = EmbeddedKubernetes.start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
            KubernetesClient kube = cluster.client();
            assertEquals(1, helm.install(RELEASE).inNamespace(NS).createNamespace().chart(ChartRef.local(CHART)).run().revision());

            ChildJvm jvm = ChildJvm.start(AwaitingReadinessChild.class, cluster.kubeConfigPath().toString(), NS, RELEASE, CHART.toString());
            Process child = jvm.process();
            List<String> lines = jvm.lines();
            try {
                String secret = "sh.helm.release.v1." + RELEASE + ".v2";
                RealHelmManagerContract.await(Duration.ofSeconds(90), () -> {
                    Secret s = kube.secrets().inNamespace(NS).withName(secret).get();
                    return s != null && s.getMetadata().getAnnotations() != null
                            && s.getMetadata().getAnnotations().containsKey("helm-sdk.dev/awaiting-readiness") || !child.isAlive();
                }, "the child is waiting for revision 2 to become ready (output: " + lines + ")");
                assertTrue(child.isAlive(), "the child was still waiting: " + lines);
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertEquals(137, child.exitValue(), "killed by SIGKILL: " + lines);
            } finally {
                if (child.isAlive()) {
                    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }

            Secret record = kube.secrets().inNamespace(NS).withName("sh.helm.release.v1." + RELEASE + ".v2").get();
            assertEquals("pending-upgrade", record.getMetadata().getLabels().get("status"), "Helm recorded it deployed; the SDK, waiting, pending");
            Release status = helm.status(RELEASE).inNamespace(NS).run();
            System.out.println("status after the kill: " + status.revision() + " " + status.status() + " '" + status.description() + "'");
            assertEquals(2, status.revision());
            assertEquals(ReleaseStatus.PENDING_UPGRADE, status.status(), "what helm --wait would have left: " + status.description());
            assertTrue(status.description().contains("Awaiting readiness") && status.description().contains("on failure: rollback to 1"),
                    status.description());
            assertEquals(ReleaseStatus.PENDING_UPGRADE, helm.history(RELEASE).inNamespace(NS).run().get(1).status());

            // The dead child's Lease would expire within 30 s; deleted here to keep the test short.
            kube.leases().inNamespace(NS).withName("helm-sdk." + RELEASE).delete();

            ReleaseStuckException stuck = assertThrows(ReleaseStuckException.class,
                    () -> helm.upgrade(RELEASE).inNamespace(NS).chart(ChartRef.local(CHART)).set("message", "next").run());
            System.out.println("next change: " + stuck.getMessage());
            assertEquals(2, stuck.revision());
            assertEquals(ReleaseStatus.PENDING_UPGRADE, stuck.status());
            assertTrue(stuck.getMessage().contains("Awaiting readiness") && stuck.getMessage().contains("on failure: rollback to 1"),
                    "names the remediation the killed request asked for: " + stuck.getMessage());
            assertEquals(2, helm.status(RELEASE).inNamespace(NS).run().revision(), "the refused change wrote nothing");

            try (HelmManager recovering = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).recoverStuckReleases(Duration.ZERO).build()) {
                Release next = recovering.upgrade(RELEASE).inNamespace(NS).chart(ChartRef.local(CHART)).set("message", "next").run();
                assertEquals(3, next.revision());
                assertEquals(ReleaseStatus.DEPLOYED, next.status());
            }
            List<Release> history = helm.history(RELEASE).inNamespace(NS).run();
            System.out.println("history: " + history.stream().map(r -> r.revision() + " " + r.status() + " '" + r.description() + "'").toList());
            assertEquals(3, history.size());
            assertTrue(history.get(1).description().startsWith("Marked failed by helm-sdk: left pending-upgrade"), history.get(1).description());
            assertTrue(history.get(1).status() == ReleaseStatus.FAILED || history.get(1).status() == ReleaseStatus.SUPERSEDED,
                    "marked failed, then (in Helm's rules) possibly superseded by revision 3: " + history.get(1).status());
        }
    }
}
