package dev.helmsdk.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.core.internal.StoredRelease;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history each kind of failure and rollback leaves, compared with what Helm itself records in
 * the same situation. helm-java has no rollback to run side by side, so the expected shapes come
 * from Helm's rules ({@code pkg/action/rollback.go} and {@code upgrade.go} of Helm 3.21):
 * <ul>
 *   <li>a failed {@code --wait} records the revision it started from unchanged and the new one failed;</li>
 *   <li>a rollback supersedes every deployed revision; a failed or pending latest revision keeps its status;</li>
 *   <li>a rollback is allowed from a pending revision;</li>
 *   <li>a rollback whose wait fails leaves the earlier revisions as they were.</li>
 * </ul>
 * Each check reads the stored records themselves: the status in Helm's JSON and in the Secret's label.
 */
@EmbeddedKubernetesTest   // one embedded API per class, and a manager with the defaults (cluster locks on)
@Tag("integration")
class RollbackHistoryTest {

    private static final ChartRef WEB = ChartRef.local(TestCharts.local("sdk-web"));
    private static final String CRASH = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aFailedWaitKeepsTheRevisionItStartedFromDeployed(HelmManager helm, KubernetesClient kube) {
        helm.install("wait").inNamespace("h-wait").createNamespace().chart(WEB).run();
        assertThrows(ReadinessFailedException.class, () -> helm.upgrade("wait").inNamespace("h-wait").chart(WEB)
                .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(2)).run());
        // helm upgrade --wait: "recordRelease(originalRelease)" unchanged, the new revision failed.
        assertEquals(List.of(ReleaseStatus.DEPLOYED, ReleaseStatus.FAILED), stored(kube, "h-wait", "wait"));
        assertTrue(helm.list().inNamespace("h-wait").withStatus(ReleaseStatus.FAILED).run().stream()
                .anyMatch(r -> r.name().equals("wait")), "list(FAILED) finds the release whose latest revision failed");
    }

    @Test
    void rollbackOnFailureKeepsTheFailedRevisionFailed(HelmManager helm, KubernetesClient kube) {
        helm.install("auto").inNamespace("h-auto").createNamespace().chart(WEB).run();
        helm.upgrade("auto").inNamespace("h-auto").chart(WEB).set("message", "two").run();
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> helm.upgrade("auto").inNamespace("h-auto")
                .chart(WEB).set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(2))
                .rollbackOnFailure().run());
        assertEquals(2, e.restoredRevision().orElse(-1), e.getMessage());
        // helm upgrade --atomic: 3 failed, then "Rollback to 2" supersedes 2 and leaves 3 failed.
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.FAILED, ReleaseStatus.DEPLOYED),
                stored(kube, "h-auto", "auto"));
        assertEquals("Rollback to 2", helm.status("auto").inNamespace("h-auto").run().description());
        assertTrue(helm.status("auto").inNamespace("h-auto").atRevision(3).run().description().startsWith("Readiness failed"));
    }

    @Test
    void aRollbackAppliesOverWhatTheFailedRevisionLeftInTheCluster(HelmManager helm, KubernetesClient kube) {
        helm.install("live").inNamespace("h-live").createNamespace().chart(WEB).run();
        assertThrows(ReadinessFailedException.class, () -> helm.upgrade("live").inNamespace("h-live").chart(WEB)
                .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(2)).run());
        helm.rollback("live").inNamespace("h-live").waitReady(Duration.ofMinutes(2)).run();
        // As Helm's rollback: the change is computed from the failed revision's manifest, so what it added is removed.
        assertTrue(kube.apps().deployments().inNamespace("h-live").withName("live").get().getSpec().getTemplate()
                .getMetadata().getLabels().keySet().stream().noneMatch(WorkloadFailure.MARKER::equals));
    }

    @Test
    void aManualRollbackFromAFailedRevisionKeepsItFailed(HelmManager helm, KubernetesClient kube) {
        helm.install("manual").inNamespace("h-manual").createNamespace().chart(WEB).run();
        assertThrows(ReadinessFailedException.class, () -> helm.upgrade("manual").inNamespace("h-manual").chart(WEB)
                .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(2)).run());
        Release back = helm.rollback("manual").inNamespace("h-manual").run();
        assertEquals(3, back.revision());
        assertEquals("Rollback to 1", back.description());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.FAILED, ReleaseStatus.DEPLOYED), stored(kube, "h-manual", "manual"));
    }

    @Test
    void aRollbackWithNoDeployedRevisionKeepsTheFailedOneFailed(HelmManager helm, KubernetesClient kube) {
        helm.install("none").inNamespace("h-none").createNamespace().chart(WEB).run();
        helm.upgrade("none").inNamespace("h-none").chart(WEB).set("message", "two").run();
        setStatus(kube, "h-none", "none", 2, ReleaseStatus.FAILED);   // e.g. marked failed by another tool
        // Helm's upgrade would supersede the failed revision (it starts from it when none is deployed);
        // Helm's rollback supersedes only deployed ones.
        helm.rollback("none").inNamespace("h-none").toRevision(1).run();
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.FAILED, ReleaseStatus.DEPLOYED), stored(kube, "h-none", "none"));
    }

    @Test
    void aRollbackFromAPendingRevisionGoesAheadAndLeavesItPending(HelmManager helm, KubernetesClient kube) {
        helm.install("pend").inNamespace("h-pend").createNamespace().chart(WEB).set("message", "one").run();
        helm.upgrade("pend").inNamespace("h-pend").chart(WEB).set("message", "two").run();
        setStatus(kube, "h-pend", "pend", 2, ReleaseStatus.PENDING_UPGRADE);   // a process died in the middle of revision 2
        // Helm's rollback does not refuse a pending release (it is the usual way out); the default
        // manager (no stuck-release recovery) goes ahead too.
        Release back = helm.rollback("pend").inNamespace("h-pend").toRevision(1).run();
        assertEquals(ReleaseStatus.DEPLOYED, back.status());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.PENDING_UPGRADE, ReleaseStatus.DEPLOYED), stored(kube, "h-pend", "pend"));
        assertEquals("one", kube.configMaps().inNamespace("h-pend").withName("pend-config").get().getData().get("message"));
        assertEquals(4, helm.upgrade("pend").inNamespace("h-pend").chart(WEB).run().revision(), "the release is usable again");
    }

    @Test
    void aRollbackSupersedesEveryDeployedRevision(HelmManager helm, KubernetesClient kube) {
        helm.install("many").inNamespace("h-many").createNamespace().chart(WEB).run();
        helm.upgrade("many").inNamespace("h-many").chart(WEB).set("message", "two").run();
        setStatus(kube, "h-many", "many", 1, ReleaseStatus.DEPLOYED);   // two deployed records (Helm issue #2941)
        helm.rollback("many").inNamespace("h-many").toRevision(1).run();
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED), stored(kube, "h-many", "many"));
    }

    @Test
    void aRollbackWhoseWaitFailsLeavesTheEarlierRevisionsAsTheyWere(HelmManager helm, KubernetesClient kube) {
        helm.install("rbwait").inNamespace("h-rbwait").createNamespace().chart(WEB)
                .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).run();   // revision 1 crash-loops (not waited for)
        helm.upgrade("rbwait").inNamespace("h-rbwait").chart(WEB).set("message", "good").waitReady(Duration.ofMinutes(2)).run();
        assertThrows(ReadinessFailedException.class, () -> helm.rollback("rbwait").inNamespace("h-rbwait").toRevision(1)
                .waitReady(Duration.ofMinutes(2)).run());
        // helm rollback --wait: the current revision is recorded unchanged, the rollback revision failed.
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED, ReleaseStatus.FAILED), stored(kube, "h-rbwait", "rbwait"));
    }

    @Test
    void aRollbackWaitsWithProgressRunsHealthChecksAndTakesADescription(HelmManager helm, KubernetesClient kube) {
        helm.install("checked").inNamespace("h-checked").createNamespace().chart(WEB).set("message", "one").run();
        helm.upgrade("checked").inNamespace("h-checked").chart(WEB).set("message", "two").run();
        dev.helmsdk.api.HealthCheck refuses = new dev.helmsdk.api.HealthCheck() {
            @Override
            public Result check(Context context) {
                return Result.fail("revision " + context.release().revision() + " is not good enough");
            }

            @Override
            public String name() {
                return "picky";
            }
        };
        dev.helmsdk.api.HealthCheckFailedException e = assertThrows(dev.helmsdk.api.HealthCheckFailedException.class,
                () -> helm.rollback("checked").inNamespace("h-checked").toRevision(1).healthCheck(refuses).run());
        assertTrue(e.getMessage().contains("revision 3 is not good enough"), e.getMessage());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED, ReleaseStatus.FAILED), stored(kube, "h-checked", "checked"),
                "the checked rollback failed; the revision it started from stays deployed");

        List<dev.helmsdk.api.ReadinessProgress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        Release back = helm.rollback("checked").inNamespace("h-checked").toRevision(1).onProgress(progress::add)
                .healthCheck(c -> dev.helmsdk.api.HealthCheck.Result.pass())
                .description("back to one after the incident").run();
        assertEquals("back to one after the incident", back.description());
        assertEquals(ReleaseStatus.DEPLOYED, back.status());
        assertTrue(!progress.isEmpty() && progress.get(progress.size() - 1).readyCount() == progress.get(progress.size() - 1).resources().size(),
                "progress was reported until everything was ready: " + progress);
    }

    /** Statuses of every stored revision, oldest first, after checking Helm's JSON and the label agree. */
    private static List<ReleaseStatus> stored(KubernetesClient kube, String ns, String name) {
        return kube.secrets().inNamespace(ns).withLabels(Map.of("owner", "helm", "name", name)).list().getItems().stream()
                .sorted(Comparator.comparingInt(s -> Integer.parseInt(s.getMetadata().getLabels().get("version"))))
                .map(s -> {
                    ReleaseStatus inJson = decode(s).status();
                    assertEquals(inJson.helmName(), s.getMetadata().getLabels().get("status"),
                            s.getMetadata().getName() + ": the label says what the record says");
                    return inJson;
                }).toList();
    }

    private static StoredRelease decode(Secret s) {
        try {
            return StoredRelease.decodeSecretData(s.getData().get("release"), MAPPER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setStatus(KubernetesClient kube, String ns, String name, int revision, ReleaseStatus status) {
        kube.secrets().inNamespace(ns).withName(StoredRelease.secretName(name, revision)).edit(s -> {
            try {
                s.getData().put("release", decode(s).withStatus(status.helmName(), null).encodeSecretData(MAPPER));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            s.getMetadata().getLabels().put("status", status.helmName());
            return s;
        });
    }
}

