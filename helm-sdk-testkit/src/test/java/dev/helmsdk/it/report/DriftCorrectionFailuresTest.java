package dev.helmsdk.it.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.RecordedRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A drift correction the API server refuses as a whole (401: we are not who we say) fails with the SDK's typed
 * {@link KubernetesApiException}, status and reason kept, as every other cluster call does: not as an unexpected
 * failure wrapping fabric8's exception.
 */
@Tag("integration")
class DriftCorrectionFailuresTest {

    @TempDir
    Path dir;

    /** A real apply (server-side, not a dry run) of a chart's object: what only a correction sends. */
    private static boolean realApply(RecordedRequest r) {
        return r.method().equals("PATCH") && r.contentType().startsWith("application/apply-patch")
                && !r.query().contains("dryRun") && !r.path().contains("/leases/");
    }

    @Test
    void aCorrectionRefusedWith401IsAKubernetesApiExceptionOfTheCorrection() throws Exception {
        AtomicReference<EmbeddedKubernetes> self = new AtomicReference<>();
        AtomicBoolean refuseApplies = new AtomicBoolean();
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.builder().workDirectory(dir.resolve("cluster"))
                .fakeBearerTokenCheck(token -> {
                    // Every token passes but a correction's, while refused. The request is recorded before its token is checked, on the thread that checks it.
                    List<RecordedRequest> seen = self.get() == null ? List.of() : self.get().requests();
                    return !(refuseApplies.get() && !seen.isEmpty() && realApply(seen.get(seen.size() - 1)));
                }).start()) {
            self.set(cluster);
            try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).workDirectory(dir.resolve("work")).build()) {
                helm.install("refused").chart(ChartRef.local(TestCharts.local("sdk-report"))).run();
                cluster.client().configMaps().inNamespace("default").withName("refused-config")
                        .edit(c -> { c.getData().put("message", "changed by hand"); return c; });
                assertTrue(helm.drift("refused").run().hasDrift(), "the edit is drift");

                refuseApplies.set(true);
                KubernetesApiException e = assertThrows(KubernetesApiException.class, () -> helm.drift("refused").correct());
                assertEquals(401, e.statusCode().orElseThrow(), e.getMessage());
                assertEquals(Operation.DRIFT_CORRECTION, e.operation());
                assertFalse(e.retryable(), "a 401 is not retried");
                assertTrue(e.getMessage().contains("answered 401"), e.getMessage());
                assertTrue(cluster.requests().stream().anyMatch(DriftCorrectionFailuresTest::realApply), "the correction was refused, not skipped");

                refuseApplies.set(false);
                assertTrue(helm.drift("refused").run().hasDrift(), "nothing was corrected");
                assertEquals(1, helm.drift("refused").correct().corrected().size());
            }
        }
    }
}
