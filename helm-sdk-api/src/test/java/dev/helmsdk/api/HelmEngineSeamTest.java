package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.LintSpec;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.api.spi.Readiness;
import dev.helmsdk.api.spi.ReleaseQuery;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HelmEngine} as the seam for engines other than helm-sdk-core's (the testkit's fakes, a
 * test's own): through {@link HelmManager#of}, an engine of a few lines gets the fluent API, its
 * validation and its defaults, and its exceptions reach the caller unchanged.
 */
class HelmEngineSeamTest {

    /** An engine that records what it is asked and answers with a release named as asked. */
    static final class RecordingEngine implements HelmEngine {
        record Call(String method, Object spec) {
        }

        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        HelmSdkException failWith;
        int closed;

        private <T> T record(String method, Object spec, T answer) {
            calls.add(new Call(method, spec));
            if (failWith != null) {
                throw failWith;
            }
            return answer;
        }

        private static Release release(String name, String namespace) {
            return new Release(name, namespace, 1, ReleaseStatus.DEPLOYED, "web", "1.0.0", "", null, "", "");
        }

        @Override public Release install(DeploySpec spec) { return record("install", spec, release(spec.releaseName(), spec.namespace())); }
        @Override public Release upgrade(DeploySpec spec) { return record("upgrade", spec, release(spec.releaseName(), spec.namespace())); }
        @Override public DryRunResult dryRun(DeploySpec spec, boolean upgrade, DryRunMode mode) {
            return record("dryRun", spec, new DryRunResult(spec.releaseName(), spec.namespace(), mode, upgrade, "web", "1.0.0",
                    new RenderedManifest("", List.of()), ""));
        }
        @Override public Release rollback(RollbackSpec spec) { return record("rollback", spec, release(spec.releaseName(), spec.namespace())); }
        @Override public Release uninstall(UninstallSpec spec) { return record("uninstall", spec, release(spec.releaseName(), spec.namespace())); }
        @Override public Release test(ReleaseQuery q) { return record("test", q, release(q.releaseName(), q.namespace())); }
        @Override public Release status(ReleaseQuery q) { return record("status", q, release(q.releaseName(), q.namespace())); }
        @Override public Optional<Release> exists(ReleaseQuery q) { return record("exists", q, Optional.empty()); }
        @Override public UpgradeCheck needsUpgrade(DeploySpec spec) {
            return record("needsUpgrade", spec, new UpgradeCheck(Set.of(UpgradeCheck.Difference.NOT_INSTALLED), null, List.of()));
        }
        @Override public List<Release> history(ReleaseQuery q) { return record("history", q, List.of()); }
        @Override public List<Release> list(ListSpec spec) { return record("list", spec, List.of()); }
        @Override public Map<String, Object> values(ReleaseQuery q, boolean all) { return record("values", q, Map.of()); }
        @Override public String manifest(ReleaseQuery q) { return record("manifest", q, ""); }
        @Override public RenderedManifest template(DeploySpec spec) { return record("template", spec, new RenderedManifest("", List.of())); }
        @Override public LintReport lint(LintSpec spec) { return record("lint", spec, new LintReport(false, List.of())); }
        @Override public void close() { closed++; }

        Call only() {
            assertEquals(1, calls.size(), () -> "calls: " + calls);
            return calls.remove(0);
        }
    }

    private static final Timeouts LIMITS = new Timeouts(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(3));
    private static final ChartRef CHART = ChartRef.directory(Path.of("charts/web"));

    private final RecordingEngine engine = new RecordingEngine();
    private final HelmManager helm = HelmManager.of(engine, "apps", LIMITS);

    @Test
    void everyOperationReachesTheEngineWithTheManagersNamespaceAndLimits() {
        Map<String, Executable> operations = new java.util.LinkedHashMap<>();
        operations.put("install", () -> helm.install("web").chart(CHART).run());
        operations.put("upgrade", () -> helm.upgrade("web").chart(CHART).run());
        operations.put("dryRun", () -> helm.install("web").chart(CHART).dryRun());
        operations.put("template", () -> helm.template("web").chart(CHART).run());
        operations.put("needsUpgrade", () -> helm.needsUpgrade("web").chart(CHART).run());
        operations.put("rollback", () -> helm.rollback("web").run());
        operations.put("uninstall", () -> helm.uninstall("web").run());
        operations.put("test", () -> helm.test("web").run());
        operations.put("status", () -> helm.status("web").run());
        operations.put("exists", () -> helm.exists("web").run());
        operations.put("history", () -> helm.history("web").run());
        operations.put("values", () -> helm.values("web").run());
        operations.put("manifest", () -> helm.manifest("web").run());
        operations.put("list", () -> helm.list().run());
        for (Map.Entry<String, Executable> op : operations.entrySet()) {
            assertDoesNotThrow(op.getValue());
            RecordingEngine.Call call = engine.only();
            assertEquals(op.getKey(), call.method());
            Object spec = call.spec();
            if (spec instanceof DeploySpec s) {
                assertEquals("web", s.releaseName());
                assertEquals("apps", s.namespace(), op.getKey());
                assertSame(LIMITS, s.timeouts(), op.getKey());
                assertEquals(CHART, s.chart());
            } else if (spec instanceof ReleaseQuery) {
                assertEquals(new ReleaseQuery("web", "apps", 0, LIMITS), spec, op.getKey());
            } else if (spec instanceof RollbackSpec) {
                assertEquals(RollbackSpec.of("web", "apps", LIMITS), spec);
            } else if (spec instanceof UninstallSpec) {
                assertEquals(new UninstallSpec("web", "apps", false, LIMITS), spec);
            } else {
                assertEquals(new ListSpec("apps", Set.of(), LIMITS), spec);
            }
        }
        helm.lint(CHART).run();
        assertEquals(new LintSpec(CHART, false, LIMITS), engine.only().spec());
    }

    @Test
    void aDeploySpecArrivesWithTheDefaultsOfEachGroup() {
        helm.install("web").chart(CHART).run();
        DeploySpec s = (DeploySpec) engine.only().spec();
        assertEquals(Readiness.ofDefaults(), s.readiness());
        assertFalse(s.readiness().enabled(), "no wait unless asked");
        assertEquals(DeploySpec.Upgrade.ofDefaults(), s.upgrade());
        assertEquals(DeploySpec.Rendering.ofDefaults(), s.rendering());
        assertEquals("", s.rendering().kubeVersion(), "empty: the engine's default");
        assertEquals("", s.description(), "empty: Helm's description");
        assertTrue(s.values().isEmpty());
        assertFalse(s.createNamespace() || s.rollbackOnFailure());
    }

    @Test
    void whatARequestAsksForArrivesInItsGroup() {
        Consumer<ReadinessProgress> listener = p -> { };
        HealthCheck check = ctx -> HealthCheck.Result.pass();
        Timeouts other = Timeouts.ofDefaults();
        helm.upgrade("web").inNamespace("prod").timeouts(other).chart(CHART).set("replicas", 3)
                .waitReady(Duration.ofSeconds(90)).onProgress(listener).healthCheck(check)
                .installIfAbsent().reuseValues().force().skipCrds().kubeVersion("1.31.0")
                .createNamespace().rollbackOnFailure().description("by CI").run();
        DeploySpec s = (DeploySpec) engine.only().spec();
        assertEquals("prod", s.namespace());
        assertEquals(other.withReadiness(Duration.ofSeconds(90)), s.timeouts(), "the readiness limit is folded into the timeouts");
        assertEquals(new Readiness(true, listener, List.of(check)), s.readiness());
        assertEquals(new DeploySpec.Upgrade(true, true, false, true), s.upgrade());
        assertEquals(new DeploySpec.Rendering(true, "1.31.0"), s.rendering());
        assertTrue(s.createNamespace() && s.rollbackOnFailure());
        assertEquals("by CI", s.description());

        helm.rollback("web").toRevision(2).onProgress(listener).healthCheck(check).cleanupOnFail().description("back").run();
        RollbackSpec r = (RollbackSpec) engine.only().spec();
        assertEquals(2, r.revision());
        assertEquals(new Readiness(true, listener, List.of(check)), r.readiness(), "a health check implies waiting, as on an upgrade");
        assertTrue(r.cleanupOnFail());
        assertFalse(r.force());
        assertEquals("back", r.description());
    }

    @Test
    void badRequestsAreRefusedWithTheSameExceptionsBeforeTheEngineIsCalled() {
        List<Executable> bad = List.of(
                () -> helm.install("Bad_Name"),
                () -> helm.rollback("-web"),
                () -> helm.status("web").inNamespace("Apps"),
                () -> helm.list().inNamespace(""),
                () -> helm.install("web").run(),                       // no chart
                () -> helm.upgrade("web").dryRun(),
                () -> helm.template("web").run(),
                () -> helm.needsUpgrade("web").run(),
                () -> helm.template("web").kubeVersion("latest"),
                () -> helm.rollback("web").toRevision(0),
                () -> helm.manifest("web").atRevision(-1));
        for (Executable e : bad) {
            assertThrows(InvalidRequestException.class, e);
        }
        assertEquals(List.of(), engine.calls, "nothing reached the engine");
    }

    @Test
    void theEnginesExceptionsReachTheCallerUnchangedAndCloseClosesIt() {
        ReleaseNotFoundException missing = new ReleaseNotFoundException(Operation.STATUS, "web", "no release 'web'");
        engine.failWith = missing;
        assertSame(missing, assertThrows(ReleaseNotFoundException.class, () -> helm.status("web").run()));
        helm.close();
        assertEquals(1, engine.closed);
    }

    private static void assertDoesNotThrow(Executable e) {
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(e);
    }
}
