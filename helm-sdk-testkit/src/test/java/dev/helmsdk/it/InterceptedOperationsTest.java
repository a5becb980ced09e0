package dev.helmsdk.it;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An interceptor given on the builder sees every kind of operation the real manager (and a chart lifecycle) runs,
 * before and after, the automatic rollback's rollback and uninstall included (as steps of the change
 * they undo), and can veto a change before anything reaches the cluster.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class InterceptedOperationsTest {

    private static final ChartRef TESTED = ChartRef.local(TestCharts.local("sdk-tested"));
    private static final String CRASH = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");

    @Test
    void everyOperationKindIsSeenBeforeAndAfterWithRemediationStepsUnderTheirChange(EmbeddedKubernetes cluster,
                                                                                    @org.junit.jupiter.api.io.TempDir Path tmp) {
        RecordingInterceptor recorder = new RecordingInterceptor();
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).interceptor(recorder).build()) {
            exerciseEveryOperation(helm);
        }
        exerciseTheChartLifecycle(recorder, tmp);
        assertEverythingSeen(recorder);
    }

    /** A chart lifecycle's operations, with the same interceptor given on its builder: seen as a manager's are. */
    private static void exerciseTheChartLifecycle(RecordingInterceptor recorder, Path tmp) {
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(TestCharts.local("sdk-tested")).start();
             ChartLifecycle charts = HelmSdk.chartLifecycle().interceptor(recorder)
                     .chartSources(ChartSources.builder().plainHttp(repo.hostAndPort()).build()).build()) {
            ChartLifecycle.Pulled pulled = charts.pullUntarred(ChartRef.repository(repo.url().toString(), "sdk-tested", null), tmp);
            charts.dependencyUpdate(pulled.path());
            charts.dependencyBuild(pulled.path());
            ChartLifecycle.Packaged packaged = charts.packageChart(pulled.path(), tmp.resolve("out"));
            // Failures are seen too, before and after: a registry that is not there, an archive with no .prov beside it.
            assertThrows(dev.helmsdk.api.ChartSourceException.class, () -> charts.push(packaged.archive(), "oci://127.0.0.1:9/charts"));
            assertThrows(dev.helmsdk.api.ChartVerificationException.class, () -> charts.verify(packaged.archive(), packaged.archive()));
        }
    }

    private static void exerciseEveryOperation(HelmManager helm) {
        String ns = "seen";
        helm.install("app").inNamespace(ns).createNamespace().chart(TESTED).waitReady(Duration.ofMinutes(1)).run();
        helm.upgrade("app").inNamespace(ns).chart(TESTED).set("message", "two").run();
        helm.upgrade("app").inNamespace(ns).chart(TESTED).dryRun();
        helm.template("app").chart(TESTED).run();
        helm.lint(TESTED).run();
        helm.test("app").inNamespace(ns).run();
        helm.status("app").inNamespace(ns).run();
        helm.history("app").inNamespace(ns).run();
        helm.list().inNamespace(ns).run();
        helm.values("app").inNamespace(ns).run();
        helm.manifest("app").inNamespace(ns).run();
        helm.exists("app").inNamespace(ns).run();
        helm.needsUpgrade("app").inNamespace(ns).chart(TESTED).run();
        helm.rollback("app").inNamespace(ns).toRevision(1).run();
        helm.drift("app").inNamespace(ns).run();
        helm.drift("app").inNamespace(ns).correct();
        AutoRollbackException undone = assertThrows(AutoRollbackException.class, () -> helm.upgrade("app").inNamespace(ns)
                .chart(TESTED).set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(1))
                .rollbackOnFailure().run());
        assertTrue(undone.rolledBack(), undone.getMessage());
        assertThrows(AutoRollbackException.class, () -> helm.install("first").inNamespace(ns).chart(TESTED)
                .set(CRASH, WorkloadFailure.IMAGE_PULL_FAILURE.markerValue()).waitReady(Duration.ofMinutes(1)).rollbackOnFailure().run());
        try (dev.helmsdk.core.SecretWatcher watcher = dev.helmsdk.core.SecretWatcher.builder(helm).release("app", ns).build()) {
            assertTrue(watcher.checkNow().isEmpty(), "a watcher's first pass is its baseline");
        }
        helm.uninstall("app").inNamespace(ns).run();
    }

    private static void assertEverythingSeen(RecordingInterceptor recorder) {
        String ns = "seen";
        Set<Operation> seen = recorder.before.stream().map(OperationEvent::operation).collect(Collectors.toCollection(() -> EnumSet.noneOf(Operation.class)));
        // Every operation a manager or a chart lifecycle runs; a health check is not an operation of its own, and
        // CONFIGURE names errors of building one.
        Set<Operation> expected = EnumSet.complementOf(EnumSet.of(Operation.HEALTH_CHECK, Operation.CONFIGURE));
        assertEquals(expected, seen, "every kind of operation a caller can run on a manager or a chart lifecycle");
        assertEquals(recorder.before.size(), recorder.after.size(), "each operation seen before was seen after");

        // The failed upgrade: seen failed, with its rollback as a step under it.
        OperationEvent failedUpgrade = recorder.of(Operation.UPGRADE).stream()
                .filter(e -> !recorder.after.get(e.id()).succeeded()).findFirst().orElseThrow();
        assertTrue(recorder.after.get(failedUpgrade.id()).failure().orElseThrow() instanceof AutoRollbackException);
        OperationEvent remediation = recorder.of(Operation.ROLLBACK).stream().filter(OperationEvent::remediation).findFirst().orElseThrow();
        assertEquals(failedUpgrade.id(), remediation.parentId().orElseThrow());
        assertTrue(recorder.after.get(remediation.id()).succeeded());
        assertEquals("app", remediation.releaseName());
        assertEquals(ns, remediation.namespace());
        assertEquals(1, recorder.of(Operation.ROLLBACK).stream().filter(e -> !e.remediation()).count(), "the caller's own rollback");

        // The failed first install: its uninstall is a step under it.
        OperationEvent failedInstall = recorder.of(Operation.INSTALL).stream().filter(e -> e.releaseName().equals("first")).findFirst().orElseThrow();
        OperationEvent uninstallStep = recorder.of(Operation.UNINSTALL).stream().filter(OperationEvent::remediation).findFirst().orElseThrow();
        assertEquals(failedInstall.id(), uninstallStep.parentId().orElseThrow());
        assertFalse(recorder.of(Operation.UNINSTALL).stream().filter(e -> !e.remediation()).toList().isEmpty(), "the caller's uninstall");
    }

    @Test
    void aVetoStopsAChangeBeforeTheClusterHearsOfIt(EmbeddedKubernetes cluster) {
        OperationInterceptor policy = new OperationInterceptor() {
            @Override
            public void before(OperationEvent e) {
                if (e.operation() == Operation.INSTALL && e.namespace().equals("forbidden")) {
                    throw new InvalidRequestException(e.operation(), e.releaseName(), "namespace 'forbidden' is closed for installs");
                }
            }
        };
        try (HelmManager guarded = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).interceptor(policy).build()) {
            int before = cluster.requests().size();
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> guarded.install("app").inNamespace("forbidden").createNamespace().chart(TESTED).run());
            assertTrue(e.getMessage().contains("closed for installs"), e.getMessage());
            assertEquals(before, cluster.requests().size(), "nothing was sent to the cluster");
        }
    }
}
