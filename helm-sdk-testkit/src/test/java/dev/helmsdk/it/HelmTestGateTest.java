package dev.helmsdk.it;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.api.report.Verdict;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.TestReport;
import dev.helmsdk.api.TestReport.Phase;
import dev.helmsdk.core.HealthChecks;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code helm test} as a gate on the real control plane: a chart with three test hooks (weights 0, 1, 2: ok, bad,
 * after). Real here: the API server, Helm creating the hook pods in weight order and waiting for their phase, the
 * scheduler, and Helm's record of each hook's last run. Simulated: the pods' outcome (KWOK stages: a test pod
 * succeeds, one annotated {@code testkit.helmsdk.dev/simulate-failure: exit} fails) and their logs: KWOK runs no
 * container, so the API server has no logs to serve and every result's logs are empty.
 */
@KubernetesControlPlaneTest
@Tag("integration")
class HelmTestGateTest {

    private static final ChartRef GATED = ChartRef.local(TestCharts.local("sdk-gated"));

    private static List<String> names(TestReport r) {
        return r.tests().stream().map(TestReport.Test::name).toList();
    }

    private static List<Phase> phases(TestReport r) {
        return r.tests().stream().map(TestReport.Test::phase).toList();
    }

    @Test
    void passingTestsReportEachHookWithItsTimesAndTheLastRunIsReadWithoutStartingPods(HelmManager helm, KubernetesClient kube) {
        helm.install("gate").inNamespace("gate-ok").createNamespace().chart(GATED).run();
        TestReport r = helm.test("gate").inNamespace("gate-ok").results();
        assertEquals(List.of("gate-test-ok", "gate-test-bad", "gate-test-after"), names(r), "Helm's order: by weight");
        assertEquals(List.of(Phase.SUCCEEDED, Phase.SUCCEEDED, Phase.SUCCEEDED), phases(r));
        assertTrue(r.passed());
        assertEquals(1, r.revision());
        for (TestReport.Test t : r.tests()) {
            assertEquals("Pod", t.kind());
            assertTrue(t.startedAt().isPresent() && t.completedAt().isPresent(), t.toString());
            assertFalse(t.duration().orElseThrow().isNegative(), t.toString());
            assertEquals(Optional.empty(), t.logs(), "KWOK runs no container: there are no logs to show");
        }
        String uid = kube.pods().inNamespace("gate-ok").withName("gate-test-ok").get().getMetadata().getUid();
        TestReport last = helm.test("gate").inNamespace("gate-ok").lastResults();
        assertEquals(r, last, "the record holds what the run reported");
        Pod after = kube.pods().inNamespace("gate-ok").withName("gate-test-ok").get();
        assertEquals(uid, after.getMetadata().getUid(), "reading the last results starts no pod");
    }

    @Test
    void aFailingTestIsAResultHelmStopsThereAndTheOldCallStillThrows(HelmManager helm) {
        helm.install("gate").inNamespace("gate-bad").createNamespace().chart(GATED).set("failBad", true).run();
        TestReport r = helm.test("gate").inNamespace("gate-bad").results();
        assertEquals(List.of(Phase.SUCCEEDED, Phase.FAILED, Phase.NOT_RUN), phases(r), "Helm stops at the first failing test");
        assertFalse(r.passed());
        assertEquals(List.of("gate-test-bad", "gate-test-after"), r.failed().stream().map(TestReport.Test::name).toList());
        assertTrue(r.tests().get(1).completedAt().isPresent());
        assertEquals(Optional.empty(), r.tests().get(2).startedAt());
        assertEquals(r, helm.test("gate").inNamespace("gate-bad").lastResults());
        HelmOperationException e = assertThrows(HelmOperationException.class, () -> helm.test("gate").inNamespace("gate-bad").run());
        assertTrue(e.helmMessage().contains("gate-test-bad"), e.helmMessage());
    }

    @Test
    void aDryRunSaysTheReleasesTestsLastFailedAndRunsNoTestPod(HelmManager helm, KubernetesClient kube) {
        helm.install("gate").inNamespace("gate-dry").createNamespace().chart(GATED).set("failBad", true).run();
        DryRunResult before = helm.upgrade("gate").inNamespace("gate-dry").chart(GATED).dryRun();
        assertTrue(before.findings().stream().noneMatch(f -> f.code().equals("release_tests.last_failed")), "no test ran yet");
        assertFalse(helm.test("gate").inNamespace("gate-dry").results().passed());
        String uid = kube.pods().inNamespace("gate-dry").withName("gate-test-bad").get().getMetadata().getUid();
        DryRunResult r = helm.upgrade("gate").inNamespace("gate-dry").chart(GATED).dryRun();
        Finding f = r.findings().stream().filter(x -> x.code().equals("release_tests.last_failed")).findFirst()
                .orElseThrow(() -> new AssertionError(r.findings().toString()));
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.message().contains("gate-test-bad") && !f.message().contains("gate-test-ok"), f.message());
        assertEquals(Verdict.WARN, r.verdict());
        assertEquals(uid, kube.pods().inNamespace("gate-dry").withName("gate-test-bad").get().getMetadata().getUid(),
                "the dry run ran no test pod");
        helm.upgrade("gate").inNamespace("gate-dry").chart(GATED).set("failBad", false).run();
        TestReport fixed = helm.test("gate").inNamespace("gate-dry").results();
        assertTrue(fixed.passed(), fixed.toString());
        assertTrue(helm.upgrade("gate").inNamespace("gate-dry").chart(GATED).dryRun().findings().stream()
                .noneMatch(x -> x.code().equals("release_tests.last_failed")), "the tests pass again: no warning");
    }

    @Test
    void theHelmTestsHealthCheckFailsTheUpgradeNamingTheTestAndRollsItBack(HelmManager helm) {
        helm.install("gate").inNamespace("gate-rb").createNamespace().chart(GATED).healthCheck(HealthChecks.helmTests()).run();
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> helm.upgrade("gate").inNamespace("gate-rb")
                .chart(GATED).set("failBad", true).healthCheck(HealthChecks.helmTests()).waitReady(Duration.ofMinutes(2))
                .rollbackOnFailure().run());
        HealthCheckFailedException failure = (HealthCheckFailedException) e.failure();
        assertEquals("helm-tests", failure.check());
        assertTrue(failure.getMessage().contains("gate-test-bad FAILED"), failure.getMessage());
        assertTrue(failure.getMessage().contains("gate-test-after NOT_RUN"), failure.getMessage());
        assertFalse(failure.getMessage().contains("s3cret-token"));
        assertTrue(e.rolledBack());
        assertEquals("Rollback to 1", helm.status("gate").inNamespace("gate-rb").run().description());
    }
}
