package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

class HelmManagerTest {

    private final HelmEngine engine = mock(HelmEngine.class);
    private final HelmManager helm = HelmManager.of(engine, "apps", Timeouts.ofDefaults());

    @Test
    void invalidReleaseNamesAreRejectedBeforeTheEngineIsCalled() {
        for (String bad : List.of("", "Upper", "under_score", "-lead", "trail-", "x".repeat(54), "a b")) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> helm.install(bad), bad);
            assertEquals(Operation.INSTALL, e.operation());
        }
        assertThrows(InvalidRequestException.class, () -> helm.status("Bad"));
        assertThrows(InvalidRequestException.class, () -> helm.uninstall("bad_name"));
        verifyNoInteractions(engine);
        helm.install("x".repeat(53));
        helm.install("a.b-c1");
    }

    @Test
    void invalidNamespacesAreRejected() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> helm.status("web").inNamespace("Apps!"));
        assertTrue(e.getMessage().contains("Apps!"), e.getMessage());
        assertEquals("web", e.releaseName().orElseThrow());
        assertThrows(InvalidRequestException.class, () -> HelmManager.of(engine, "", Timeouts.ofDefaults()));
        verifyNoInteractions(engine);
    }

    @Test
    void installWithoutChartIsRejected() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> helm.install("web").run());
        assertTrue(e.getMessage().contains("no chart"), e.getMessage());
        verifyNoInteractions(engine);
    }

    @Test
    void requestsAreImmutableAndCarryDefaultsAndOverrides() {
        InstallRequest base = helm.install("web").chart(ChartRef.directory(Path.of("charts/web")));
        InstallRequest prod = base.inNamespace("prod").set("replicas", 3).waitReady(Duration.ofMinutes(2));
        assertEquals("apps", base.spec().namespace());
        assertFalse(base.spec().readiness().enabled());
        assertTrue(base.spec().values().isEmpty());
        assertEquals("prod", prod.spec().namespace());
        assertTrue(prod.spec().readiness().enabled());
        assertEquals(Duration.ofMinutes(2), prod.spec().timeouts().readiness());
        assertEquals(Duration.ofMinutes(5), prod.spec().timeouts().start());

        prod.run();
        ArgumentCaptor<DeploySpec> spec = ArgumentCaptor.forClass(DeploySpec.class);
        verify(engine).install(spec.capture());
        assertSame(prod.spec(), spec.getValue());
    }

    @Test
    void upgradeDryRunGoesToTheEngineAsAnUpgrade() {
        helm.upgrade("web").chart(ChartRef.oci("oci://registry.local/charts/web", "1.2.3")).installIfAbsent().dryRun(DryRunMode.CLIENT);
        ArgumentCaptor<DeploySpec> spec = ArgumentCaptor.forClass(DeploySpec.class);
        verify(engine).dryRun(spec.capture(), org.mockito.ArgumentMatchers.eq(true), org.mockito.ArgumentMatchers.eq(DryRunMode.CLIENT));
        assertTrue(spec.getValue().upgrade().installIfAbsent());
    }

    @Test
    void kubeVersionIsChecked() {
        assertEquals("v1.31.2", helm.template("web").kubeVersion("v1.31.2").spec().rendering().kubeVersion());
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> helm.template("web").kubeVersion("latest"));
        assertTrue(e.getMessage().contains("latest"), e.getMessage());
    }

    @Test
    void rollbackDefaultsToThePreviousRevision() {
        RollbackRequest r = helm.rollback("web");
        assertEquals(0, r.spec().revision());
        assertEquals(3, r.toRevision(3).spec().revision());
        assertEquals(0, r.toRevision(3).toPrevious().spec().revision());
        assertTrue(r.waitReady(Duration.ofSeconds(30)).spec().readiness().enabled());
        assertThrows(InvalidRequestException.class, () -> r.toRevision(0));
        assertThrows(InvalidRequestException.class, () -> helm.rollback("Bad_Name"));
        verifyNoInteractions(engine);
    }

    @Test
    void revisionsMustBePositive() {
        assertThrows(InvalidRequestException.class, () -> helm.status("web").atRevision(0));
        assertThrows(InvalidRequestException.class, () -> helm.manifest("web").atRevision(-1));
        verifyNoInteractions(engine);
    }

    @Test
    void withStatusAddsToTheStatusesOfEarlierCalls() {
        ListRequest failedOrPending = helm.list().withStatus(ReleaseStatus.FAILED).withStatus(ReleaseStatus.PENDING_UPGRADE,
                ReleaseStatus.FAILED);
        assertEquals(java.util.Set.of(ReleaseStatus.FAILED, ReleaseStatus.PENDING_UPGRADE), failedOrPending.spec().statuses());
        assertTrue(failedOrPending.spec().includes(ReleaseStatus.PENDING_UPGRADE));
        assertFalse(failedOrPending.spec().includes(ReleaseStatus.DEPLOYED), "once a status is given, only those are listed");
        assertEquals(java.util.Set.of(), helm.list().withStatus().spec().statuses(), "no statuses: no filter");
        assertThrows(NullPointerException.class, () -> helm.list().withStatus(ReleaseStatus.FAILED, null));
    }

    @Test
    void theLaterOfInNamespaceAndAllNamespacesWins() {
        assertEquals("apps", helm.list().spec().namespace(), "the manager's default");
        assertTrue(helm.list().inNamespace("prod").allNamespaces().spec().namespaceFilter().isEmpty());
        assertEquals("prod", helm.list().allNamespaces().inNamespace("prod").spec().namespace());
        assertEquals(ReleaseStatus.FAILED, helm.list().withStatus(ReleaseStatus.FAILED).allNamespaces().spec().statuses()
                .iterator().next(), "choosing namespaces keeps the filter");
    }

    @Test
    void everyRequestChecksItsNamespaceAndKeepsItsLimitsTheSameWay() {
        Timeouts other = new Timeouts(Duration.ofSeconds(7), Duration.ofSeconds(8), Duration.ofSeconds(9));
        List<ReleaseRequest<?>> all = List.of(helm.install("web"), helm.upgrade("web"), helm.template("web"),
                helm.needsUpgrade("web"), helm.status("web"), helm.history("web"), helm.values("web"), helm.manifest("web"),
                helm.test("web"), helm.exists("web"), helm.rollback("web"), helm.uninstall("web"), helm.list());
        for (ReleaseRequest<?> r : all) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> r.inNamespace("No_Such"));
            assertTrue(e.getMessage().contains("namespace 'No_Such' is invalid"), e.getMessage());
            assertEquals(r.operation, e.operation());
            assertEquals(r instanceof ListRequest ? java.util.Optional.empty() : java.util.Optional.of("web"), e.releaseName());
            assertEquals("prod", Where.of(r.inNamespace("prod")).namespace(), r.getClass().getSimpleName());
            assertSame(other, Where.of(r.timeouts(other)).timeouts(), r.getClass().getSimpleName());
        }
        verifyNoInteractions(engine);
    }

    /** Where a request works and with which limits, whatever its spec type. */
    private record Where(String namespace, Timeouts timeouts) {
        static Where of(ReleaseRequest<?> r) {
            if (r instanceof ChartRequest<?> c) {
                return new Where(c.spec().namespace(), c.spec().timeouts());
            } else if (r instanceof ReleaseRead<?, ?> q) {
                return new Where(q.query().namespace(), q.query().timeouts());
            } else if (r instanceof RollbackRequest b) {
                return new Where(b.spec().namespace(), b.spec().timeouts());
            } else if (r instanceof UninstallRequest u) {
                return new Where(u.spec().namespace(), u.spec().timeouts());
            }
            return new Where(((ListRequest) r).spec().namespace(), ((ListRequest) r).spec().timeouts());
        }
    }
}
