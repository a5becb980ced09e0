package dev.helmsdk.it.secrets;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.secrets.EnvSubstResolver;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * References in values, resolved through a real install of podinfo on the embedded API: the
 * objects in the cluster get the secrets (text and typed), while no exception message, log line
 * (slf4j-simple's output at its default level, captured), Release or DryRunResult shows them; a
 * reference that cannot be resolved fails the install before anything reaches the cluster.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class SecretsInValuesTest {

    private static final String SECRET = "CANARY-secret-value-8c1d";
    private static final String NS = "secrets";

    @Test
    void resolvedSecretsReachTheClusterAndNothingElse(EmbeddedKubernetes cluster, @TempDir Path tmp) throws IOException {
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        Path file = tmp.resolve("app.yaml");
        Files.writeString(file, "ui:\n  color: \"#" + "c0ffee\"\nreplicas: 2\n");
        StringBuilder seen = new StringBuilder();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Deployment deployed;
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client())
                // The environment, injected; the file resolver is the one ServiceLoader finds.
                .secretResolver(new EnvSubstResolver(Map.of("UI_MESSAGE", SECRET)::get)).build()) {
            String message = "ref+envsubst://$UI_MESSAGE";
            String color = "ref+file://" + file + "#/ui/color";
            String replicas = "ref+file://" + file + "#/replicas";

            Release installed = helm.install("web").inNamespace(NS).createNamespace().chart(podinfo)
                    .set("ui.message", "says: " + message + "+!").set("ui.color", color).set("replicaCount", replicas).run();
            seen.append(installed).append('\n');
            deployed = cluster.client().apps().deployments().inNamespace(NS).withName("web-podinfo").get();

            DryRunResult plan = helm.upgrade("web").inNamespace(NS).chart(podinfo).set("ui.message", message).dryRun();
            seen.append(plan).append('\n');
            assertTrue(plan.rendered().manifest().contains("value: \"<redacted>\""),
                    "a dry run shows where the resolved value goes, masked: " + plan.rendered().manifest());
            RenderedManifest template = helm.template("web").inNamespace(NS).chart(podinfo).set("ui.message", message).run();
            assertTrue(template.manifest().contains("value: \"<redacted>\""), "template masks it too");
            seen.append(template).append('\n');
            seen.append(helm.upgrade("web").inNamespace(NS).chart(podinfo).set("ui.message", message).run()).append('\n');

            SecretResolutionException missing = assertThrows(SecretResolutionException.class, () -> helm.install("other").inNamespace(NS)
                    .chart(podinfo).set("ui.message", message).set("ui.logo", "ref+envsubst://$NOT_SET").run());
            seen.append(trace(missing));
            assertEquals(SecretResolutionException.Reason.MISSING_KEY, missing.reason());
            assertTrue(missing.getMessage().contains("ref+envsubst://$NOT_SET"), missing.getMessage());
            assertTrue(helm.exists("other").inNamespace(NS).run().isEmpty(), "nothing reached the cluster");
            assertTrue(cluster.client().secrets().inNamespace(NS).withLabel("name", "other").list().getItems().isEmpty());

            SecretResolutionException unknown = assertThrows(SecretResolutionException.class, () -> helm.install("other").inNamespace(NS)
                    .chart(podinfo).set("ui.message", "ref+onepassword://vault/item#/field").run());
            seen.append(trace(unknown));
            assertEquals(SecretResolutionException.Reason.UNKNOWN_SCHEME, unknown.reason());
            assertTrue(unknown.getMessage().contains("azurekeyvault, envsubst, externalsecret, file, k8s, openbao, vault"), unknown.getMessage());
        } finally {
            System.setErr(original);
        }
        Map<String, String> env = PodinfoEnv.of(deployed);
        assertEquals("says: " + SECRET + "!", env.get("PODINFO_UI_MESSAGE"));
        assertEquals("#c0ffee", env.get("PODINFO_UI_COLOR"));
        assertEquals(2, deployed.getSpec().getReplicas(), "a whole-string reference keeps its type");
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("release=other"), "log lines were captured: " + log);
        String all = seen + "\n" + log;
        assertFalse(all.contains(SECRET), "the secret leaked:\n" + all);
    }

    @Test
    void switchedOffReferencesReachHelmAsText(EmbeddedKubernetes cluster) {
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).resolveSecrets(false).build()) {
            RenderedManifest rendered = helm.template("web").inNamespace(NS).chart(ChartRef.local(TestCharts.podinfo()))
                    .set("ui.message", "ref+envsubst://$NOT_SET").run();
            assertTrue(rendered.manifest().contains("ref+envsubst://$NOT_SET"), "left as text, not resolved");
        }
    }

    private static String trace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
