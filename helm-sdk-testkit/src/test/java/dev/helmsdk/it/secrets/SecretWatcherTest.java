package dev.helmsdk.it.secrets;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.SecretChange;
import dev.helmsdk.core.SecretWatcher;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.secrets.EnvSubstResolver;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The secret watcher against the embedded API with podinfo: a rotated secret is reported by
 * checksum (never by value) and, opted in, redeployed; a store that fails leaves the deployed
 * release as it was and the change is reported once the store answers again.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class SecretWatcherTest {

    private static final String NS = "watched";
    private static final String REF = "ref+envsubst://$UI_MESSAGE";

    @Test
    void reportsRotationByChecksumAndRedeploysWhenAsked(EmbeddedKubernetes cluster) {
        Map<String, String> env = new ConcurrentHashMap<>(Map.of("UI_MESSAGE", "before-rotation-1", "OTHER", "stays-the-same"));
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).secretResolver(new EnvSubstResolver(env::get)).build()) {
            helm.install("web").inNamespace(NS).createNamespace().chart(ChartRef.local(TestCharts.podinfo()))
                    .set("ui.message", REF).set("ui.color", "ref+envsubst://$OTHER").run();
            List<HelmSdkException> errors = new CopyOnWriteArrayList<>();
            try (SecretWatcher watcher = SecretWatcher.builder(helm).release("web", NS).onError(errors::add)
                    .redeployOnChange(true).build()) {
                assertTrue(watcher.checkNow().isEmpty(), "the first pass takes the baseline");
                assertTrue(watcher.checkNow().isEmpty(), "nothing changed");

                // The store fails: reported as an error, nothing deployed changes.
                env.remove("UI_MESSAGE");
                assertTrue(watcher.checkNow().isEmpty());
                assertEquals(1, errors.size());
                assertInstanceOf(SecretResolutionException.class, errors.get(0));
                assertEquals(1, helm.status("web").inNamespace(NS).run().revision(), "no redeploy while the store fails");

                env.put("UI_MESSAGE", "after-rotation-2");
                List<SecretChange> changes = watcher.checkNow();
                assertEquals(1, changes.size());
                SecretChange change = changes.get(0);
                assertEquals(List.of(REF), change.references(), "only the reference whose value changed");
                assertNotEquals(change.checksumBefore(), change.checksumAfter());
                assertEquals(2, change.redeployed().orElseThrow().revision());
                assertFalse(change.toString().contains("rotation"), "no value in what is reported: " + change);
                assertEquals("after-rotation-2", PodinfoEnv.get(cluster.client(), NS, "web", "PODINFO_UI_MESSAGE"), "redeployed with the current value");
                assertEquals(Map.of("ui", Map.of("message", REF, "color", "ref+envsubst://$OTHER")),
                        helm.values("web").inNamespace(NS).run(), "the redeploy records the references again");
                assertTrue(watcher.checkNow().isEmpty(), "the redeployed values are the new baseline");
            }
        }
    }

    @Test
    void aManagerThatResolvesNoSecretsCannotBeWatched(EmbeddedKubernetes cluster) {
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).resolveSecrets(false).build()) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> SecretWatcher.builder(helm).release("web", NS).build());
            assertTrue(e.getMessage().contains("resolveSecrets(false)"), e.getMessage());
        }
    }

}
