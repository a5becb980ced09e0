package dev.helmsdk.examples.controller;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.examples.controller.ReleaseReconciler.Action;
import dev.helmsdk.examples.controller.ReleaseReconciler.Desired;
import dev.helmsdk.examples.controller.ReleaseReconciler.Outcome;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import dev.helmsdk.testkit.spi.FakeSecretResolver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The example controller with the real manager on the embedded API and a secret store played by
 * the testkit's {@code FakeSecretResolver}: while the store is down, a reconcile that needs it is
 * retried later and the deployed release stays as it was; once it is back, the change lands.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class ReleaseReconcilerStoreDownTest {

    @Test
    void aStoreThatIsDownIsRetriedLaterAndChangesNothing(EmbeddedKubernetes cluster, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("web");
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        Files.writeString(dir.resolve("values.yaml"), "replicaCount: 1\npassword: \"\"\n");
        Files.writeString(dir.resolve("templates/secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\n"
                + "stringData:\n  password: {{ .Values.password | quote }}\n  replicas: {{ .Values.replicaCount | quote }}\n");
        ChartRef chart = ChartRef.local(dir);
        FakeSecretResolver vault = FakeSecretResolver.of("vault").withSecret("secret/web", Map.of("password", "pw-from-vault"));
        String password = "ref+vault://secret/web#/password";
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).secretResolver(vault).build()) {
            ReleaseReconciler reconciler = new ReleaseReconciler(helm);
            assertEquals(Action.INSTALLED, reconciler.reconcile(new Desired("web", "apps", chart, Map.of("password", password))).action());

            assertEquals(Action.UNCHANGED, reconciler.reconcile(new Desired("web", "apps", chart, Map.of("password", password))).action(),
                    "the same reference, resolving to the same secret: nothing to change, no new revision");

            // The store goes down: even the check needs it (a rotated secret would be a change), so: retry later.
            vault.failing("ref+vault://secret/web", SecretResolutionException.Reason.UNREACHABLE);
            Outcome down = reconciler.reconcile(new Desired("web", "apps", chart, Map.of("password", password, "replicaCount", 2)));
            assertEquals(Action.RETRY_LATER, down.action());
            assertInstanceOf(SecretResolutionException.class, down.failure().orElseThrow());
            assertEquals(1, helm.status("web").inNamespace("apps").run().revision(), "the deployed release is as it was");

            vault.healed("ref+vault://secret/web");
            assertEquals(Action.UPGRADED, reconciler.reconcile(new Desired("web", "apps", chart, Map.of("password", password, "replicaCount", 2)))
                    .action());
            assertEquals("2", data(cluster, "replicas"));

            // Rotated in the store: the same desired state is now a change, and the upgrade deploys the new secret.
            vault.withSecret("secret/web", Map.of("password", "rotated-pw"));
            assertEquals(Action.UPGRADED, reconciler.reconcile(new Desired("web", "apps", chart, Map.of("password", password, "replicaCount", 2)))
                    .action());
            assertEquals("rotated-pw", data(cluster, "password"));
            assertEquals(3, helm.status("web").inNamespace("apps").run().revision());
        }
    }

    private static String data(EmbeddedKubernetes cluster, String key) {
        return new String(java.util.Base64.getDecoder().decode(cluster.client().secrets().inNamespace("apps").withName("web").get()
                .getData().get(key)), java.nio.charset.StandardCharsets.UTF_8);
    }
}
