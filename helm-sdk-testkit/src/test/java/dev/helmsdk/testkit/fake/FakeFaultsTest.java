package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.ReadinessProgress;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.api.Timeouts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.helmsdk.testkit.fake.FakeCharts.WEB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Injected faults: each strikes where the real failure would, and leaves the history Helm would leave. */
class FakeFaultsTest {

    private final FakeHelmManager fake = FakeHelmManager.create();

    private static HealthCheck check(String name, java.util.function.Function<HealthCheck.Context, HealthCheck.Result> body) {
        return new HealthCheck() {
            @Override
            public Result check(Context context) {
                return body.apply(context);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    private List<ReleaseStatus> statuses(String name) {
        return fake.history(name).run().stream().map(Release::status).toList();
    }

    @Test
    void aFailingTestIsAResultInTheReportAndFailsTheHelmTestsHealthCheck() {
        fake.install("web").chart(WEB).run();
        fake.onNext(Operation.TEST, "web").fails("pod web-test failed");
        dev.helmsdk.api.TestReport r = fake.test("web").results();
        assertFalse(r.passed());
        assertEquals(List.of("web-test"), r.failed().stream().map(dev.helmsdk.api.TestReport.Test::name).toList());
        assertEquals(java.util.Optional.of("pod web-test failed"), r.tests().get(0).logs());
        assertEquals(r, fake.test("web").lastResults(), "the last run is kept");
        assertTrue(fake.test("web").results().passed(), "the fault struck once");
        fake.onNext(Operation.TEST, "web").fails("pod web-test failed");
        dev.helmsdk.api.HealthCheckFailedException e = assertThrows(dev.helmsdk.api.HealthCheckFailedException.class,
                () -> fake.upgrade("web").chart(WEB).healthCheck(dev.helmsdk.core.HealthChecks.helmTests()).run());
        assertTrue(e.getMessage().contains("web-test FAILED"), e.getMessage());
    }

    @Test
    void aFailingUpgradeRecordsItsRevisionFailedAndKeepsTheDeployedOne() {
        fake.install("web").chart(WEB).run();
        fake.onNext(Operation.UPGRADE, "web").fails("rendered manifests contain a resource that already exists");
        HelmOperationException e = assertThrows(HelmOperationException.class, () -> fake.upgrade("web").chart(WEB).set("message", "x").run());
        assertEquals("rendered manifests contain a resource that already exists", e.helmMessage());
        assertTrue(e.getMessage().startsWith("upgrade of release 'web' in namespace 'default' failed: "), e.getMessage());
        assertEquals(List.of(ReleaseStatus.DEPLOYED, ReleaseStatus.FAILED), statuses("web"));
        assertTrue(fake.status("web").run().description().startsWith("Upgrade \"web\" failed: "));
        assertEquals(3, fake.upgrade("web").chart(WEB).run().revision(), "a fault given once strikes once");
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.FAILED, ReleaseStatus.DEPLOYED), statuses("web"));
    }

    @Test
    void aFaultForOneReleaseLeavesOthersAloneAndAnEveryFaultRepeats() {
        fake.onEvery(Operation.INSTALL, "bad").fails("boom");
        assertEquals(ReleaseStatus.DEPLOYED, fake.install("good").chart(WEB).run().status());
        assertThrows(HelmOperationException.class, () -> fake.install("bad").chart(WEB).run());
        assertTrue(fake.status("bad").run().description().startsWith("Release \"bad\" failed: boom"));
        fake.uninstall("bad").run();
        assertThrows(HelmOperationException.class, () -> fake.install("bad").chart(WEB).run(), "every: again");
        fake.clearFaults().uninstall("bad").run();
        assertEquals(ReleaseStatus.DEPLOYED, fake.install("bad").chart(WEB).run().status());
        IllegalArgumentException misuse = assertThrows(IllegalArgumentException.class, () -> fake.onNext(Operation.STATUS).fails("x"));
        assertTrue(misuse.getMessage().contains("not to status"), misuse.getMessage());
        fake.onNext(Operation.TEST).fails("any release");
        assertThrows(HelmOperationException.class, () -> fake.test("good").run());
        assertEquals(1, fake.test("good").run().revision(), "once");
    }

    @Test
    void readinessFailureWithRollbackOnFailureEndsOnTheLastGoodRevision() {
        fake.install("auto").chart(WEB).set("message", "good").waitReady().run();
        fake.onNext(Operation.UPGRADE, "auto").failsReadiness("deployment/auto: CrashLoopBackOff");
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> fake.upgrade("auto").chart(WEB)
                .set("message", "bad").waitReady(Duration.ofMinutes(5)).rollbackOnFailure().run());
        assertTrue(e.rolledBack(), e.getMessage());
        assertEquals(1, e.restoredRevision().orElseThrow());
        ReadinessFailedException cause = (ReadinessFailedException) e.failure();
        assertEquals(List.of("deployment/auto: CrashLoopBackOff"), cause.failures());
        assertTrue(e.getMessage().contains("CrashLoopBackOff") && e.getMessage().contains("rolled back to revision 1 (now revision 3)"),
                e.getMessage());
        List<Release> history = fake.history("auto").run();
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.FAILED, ReleaseStatus.DEPLOYED),
                history.stream().map(Release::status).toList());
        assertTrue(history.get(1).description().startsWith("Readiness failed: "), history.get(1).description());
        assertEquals("Rollback to 1", history.get(2).description());
        assertEquals(Map.of("message", "good"), fake.values("auto").run());
    }

    @Test
    void aFailedFirstInstallWithRollbackOnFailureIsUninstalled() {
        fake.onNext(Operation.INSTALL, "first").timesOut();
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> fake.install("first").chart(WEB)
                .waitReady().rollbackOnFailure().run());
        assertTrue(e.rolledBack());
        assertTrue(e.restoredRevision().isEmpty());
        assertTrue(e.failure() instanceof OperationTimeoutException, e.failure().toString());
        assertTrue(e.getMessage().endsWith("; the failed first install was uninstalled"), e.getMessage());
        assertThrows(ReleaseNotFoundException.class, () -> fake.status("first").run());
    }

    @Test
    void aTimeOutWhileWaitingRecordsTheRevisionFailed() {
        fake.onNext(Operation.INSTALL, "slow").timesOut();
        OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
                () -> fake.install("slow").chart(WEB).waitReady(Duration.ofSeconds(30)).run());
        assertEquals(Duration.ofSeconds(30), e.timeout());
        assertEquals(ReleaseStatus.FAILED, fake.status("slow").run().status());
        assertTrue(fake.status("slow").run().description().startsWith("Readiness timed out"));
    }

    @Test
    void readinessFaultsWaitForACallThatWaits() {
        fake.onNext(Operation.INSTALL, "w").failsReadiness("never ready");
        assertEquals(ReleaseStatus.DEPLOYED, fake.install("w").chart(WEB).run().status(), "no wait: no readiness to fail");
        fake.onNext(Operation.UPGRADE, "w").failsReadiness("never ready");
        assertThrows(ReadinessFailedException.class, () -> fake.upgrade("w").chart(WEB).waitReady().run());
        assertEquals(List.of(ReleaseStatus.DEPLOYED, ReleaseStatus.FAILED), statuses("w"), "earlier revisions as they were, as --wait leaves them");
    }

    @Test
    void aReleaseLeftPendingIsStuckUntilRecovered() {
        fake.install("stuck").chart(WEB).run();
        fake.onNext(Operation.UPGRADE, "stuck").leavesPending();
        assertThrows(OperationTimeoutException.class, () -> fake.upgrade("stuck").chart(WEB).set("message", "two").rollbackOnFailure().run(),
                "a killed process undoes nothing, rollbackOnFailure or not");
        assertEquals(List.of(ReleaseStatus.DEPLOYED, ReleaseStatus.PENDING_UPGRADE), statuses("stuck"));
        ReleaseStuckException e = assertThrows(ReleaseStuckException.class, () -> fake.upgrade("stuck").chart(WEB).run());
        assertEquals(ReleaseStatus.PENDING_UPGRADE, e.status());
        assertEquals(2, e.revision());
        assertTrue(e.getMessage().contains("recoverStuckReleases"), e.getMessage());
        assertThrows(ReleaseStuckException.class, () -> fake.rollback("stuck").run());

        FakeHelmManager recovering = FakeHelmManager.builder().recoverStuckReleases().build();
        recovering.install("stuck").chart(WEB).run();
        recovering.onNext(Operation.UPGRADE, "stuck").leavesPending();
        assertThrows(OperationTimeoutException.class, () -> recovering.upgrade("stuck").chart(WEB).run());
        assertEquals(3, recovering.upgrade("stuck").chart(WEB).set("message", "three").run().revision());
        Release r2 = recovering.status("stuck").atRevision(2).run();
        assertEquals(ReleaseStatus.FAILED, r2.status());
        assertTrue(r2.description().startsWith("Marked failed by helm-sdk"), r2.description());
    }

    @Test
    void aMissingChartFailsBeforeAnythingChanges() {
        fake.install("web").chart(WEB).run();
        fake.onNext(Operation.UPGRADE, "web").chartNotFound();
        assertThrows(ChartNotFoundException.class, () -> fake.upgrade("web").chart(WEB).rollbackOnFailure().run());
        assertEquals(List.of(ReleaseStatus.DEPLOYED), statuses("web"));
        ChartNotFoundException remote = assertThrows(ChartNotFoundException.class, () -> fake.install("remote")
                .chart(dev.helmsdk.api.ChartRef.oci("oci://registry.example.com/charts/web", "1.0.0")).run());
        assertTrue(remote.getMessage().contains("register"), remote.getMessage());
    }

    @Test
    void aSlowedCallTakesLongerAndPastItsLimitTimesOut() {
        fake.install("web").chart(WEB).run();
        fake.onNext(Operation.STATUS, "web").slowedBy(Duration.ofMillis(200));
        long start = System.nanoTime();
        fake.status("web").run();
        assertTrue(System.nanoTime() - start >= 200_000_000L, "slowed by 200 ms");
        fake.onNext(Operation.UPGRADE, "web").slowedBy(Duration.ofSeconds(30));
        OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> fake.upgrade("web").chart(WEB)
                .timeouts(Timeouts.ofDefaults().withStart(Duration.ofMillis(100))).run());
        assertEquals(Duration.ofMillis(100), e.timeout());
        assertEquals(1, fake.status("web").run().revision(), "a call that timed out before starting changed nothing");
    }

    @Test
    void healthChecksRunAfterTheWaitAndAFailingOneRollsBack() {
        List<ReadinessProgress> seen = new CopyOnWriteArrayList<>();
        fake.install("checked").chart(WEB).onProgress(seen::add).healthCheck(check("ok", ctx -> HealthCheck.Result.pass())).run();
        assertFalse(seen.isEmpty(), "progress is reported while waiting");
        HealthCheck bad = check("smoke", ctx -> HealthCheck.Result.fail("HTTP 503 from " + ctx.release().name()));
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> fake.upgrade("checked").chart(WEB)
                .set("message", "bad").healthCheck(bad).rollbackOnFailure().run());
        HealthCheckFailedException cause = (HealthCheckFailedException) e.failure();
        assertEquals("smoke", cause.check());
        assertTrue(fake.status("checked").atRevision(2).run().description().startsWith("Health check smoke failed: HTTP 503 from checked"));
        assertEquals("Rollback to 1", fake.status("checked").run().description());
    }

    @Test
    void aFailingAutomaticRollbackIsReported() {
        fake.install("web").chart(WEB).run();
        fake.onNext(Operation.UPGRADE, "web").fails("apply failed").onNext(Operation.ROLLBACK, "web").fails("rollback failed too");
        AutoRollbackException e = assertThrows(AutoRollbackException.class, () -> fake.upgrade("web").chart(WEB).rollbackOnFailure().run());
        assertFalse(e.rolledBack());
        assertTrue(e.rollbackFailure().orElseThrow() instanceof HelmOperationException);
        assertTrue(e.getMessage().contains("undoing it failed too"), e.getMessage());
    }

    @Test
    void aFailingTestIsTyped() {
        fake.install("tested").chart(WEB).run();
        assertEquals(1, fake.test("tested").run().revision());
        fake.onNext(Operation.TEST, "tested").fails("pod tested-test failed");
        HelmOperationException e = assertThrows(HelmOperationException.class, () -> fake.test("tested").run());
        assertEquals(Operation.TEST, e.operation());
        assertTrue(e.helmMessage().contains("tested-test"));
    }
}
