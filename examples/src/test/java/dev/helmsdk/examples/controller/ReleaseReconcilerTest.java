package dev.helmsdk.examples.controller;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.examples.controller.ReleaseReconciler.Action;
import dev.helmsdk.examples.controller.ReleaseReconciler.Desired;
import dev.helmsdk.examples.controller.ReleaseReconciler.Outcome;
import dev.helmsdk.testkit.fake.FakeHelmManager;
import dev.helmsdk.testkit.junit.FakeHelmManagerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example controller's unit tests, as a user writes them: a fresh {@code FakeHelmManager} per
 * test (no cluster, no native library, milliseconds), faults on demand, assertions on what ran.
 */
@FakeHelmManagerTest
class ReleaseReconcilerTest {

    @TempDir
    static Path tmp;
    static ChartRef chart;

    FakeHelmManager helm;

    @BeforeAll
    static void chart() throws Exception {
        Path dir = tmp.resolve("web");
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: \"1.0\"\n");
        Files.writeString(dir.resolve("values.yaml"), "replicaCount: 1\nimage:\n  tag: \"1.0\"\n");
        Files.writeString(dir.resolve("templates/configmap.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  tag: {{ .Values.image.tag | quote }}\n");
        chart = ChartRef.local(dir);
    }

    private Desired desired(Map<String, Object> values) {
        return new Desired("web", "apps", chart, values);
    }

    @Test
    void aFirstReconcileInstallsAndTheNextChangesNothing() {
        ReleaseReconciler reconciler = new ReleaseReconciler(helm);
        Outcome first = reconciler.reconcile(desired(Map.of("replicaCount", 2)));
        assertEquals(Action.INSTALLED, first.action());
        assertEquals(1, first.release().orElseThrow().revision());
        Outcome again = reconciler.reconcile(desired(Map.of("replicaCount", 2)));
        assertEquals(Action.UNCHANGED, again.action(), "already as desired");
        helm.assertThat().ran(Operation.NEEDS_UPGRADE, "web").then(Operation.INSTALL, "web").withValue("replicaCount", 2)
                .then(Operation.NEEDS_UPGRADE, "web");
        assertEquals(1, helm.history("web").inNamespace("apps").run().size(), "no second revision");
    }

    @Test
    void changedValuesUpgrade() {
        ReleaseReconciler reconciler = new ReleaseReconciler(helm);
        reconciler.reconcile(desired(Map.of("replicaCount", 2)));
        Outcome upgraded = reconciler.reconcile(desired(Map.of("replicaCount", 3)));
        assertEquals(Action.UPGRADED, upgraded.action());
        assertEquals(Map.of("replicaCount", 3), helm.values("web").inNamespace("apps").run());
    }

    @Test
    void anUpgradeThatFailsReadinessIsRolledBackAndReported() {
        ReleaseReconciler reconciler = new ReleaseReconciler(helm);
        reconciler.reconcile(desired(Map.of("image", Map.of("tag", "1.0"))));
        helm.onNext(Operation.UPGRADE, "web").failsReadiness("deployment/web: back-off restarting failed container (CrashLoopBackOff)");
        Outcome outcome = reconciler.reconcile(desired(Map.of("image", Map.of("tag", "1.1-broken"))));
        assertEquals(Action.ROLLED_BACK, outcome.action());
        assertTrue(outcome.failure().orElseThrow().getMessage().contains("CrashLoopBackOff"), outcome.failure().toString());
        List<ReleaseStatus> history = helm.history("web").inNamespace("apps").run().stream().map(r -> r.status()).toList();
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.FAILED, ReleaseStatus.DEPLOYED), history);
        assertEquals(Map.of("image", Map.of("tag", "1.0")), helm.values("web").inNamespace("apps").run(), "the good values run again");
        helm.assertThat().ran(Operation.UPGRADE, "web").then(Operation.ROLLBACK, "web").automatic();
    }

    @Test
    void aTimeoutIsRetriedLaterAndAMissingChartIsAnAlert() {
        ReleaseReconciler reconciler = new ReleaseReconciler(helm);
        helm.onNext(Operation.INSTALL, "web").timesOut();
        assertEquals(Action.RETRY_LATER, reconciler.reconcile(desired(Map.of())).action(), "a timeout may pass");
        assertTrue(helm.exists("web").inNamespace("apps").run().isEmpty(), "the timed-out first install was undone");
        helm.onNext(Operation.INSTALL, "web").chartNotFound();
        assertEquals(Action.FAILED, reconciler.reconcile(desired(Map.of())).action(), "a missing chart will not");
        assertEquals(Action.INSTALLED, reconciler.reconcile(desired(Map.of())).action(), "and once the faults are gone it installs");
    }
}
