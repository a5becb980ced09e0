package dev.helmsdk.it.secrets;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.secrets.SecretAccess;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.secrets.EnvSubstResolver;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release records the references, not what they resolved to, so {@code values()} and Helm's
 * own record show references, and every change that takes values from the record (an upgrade with
 * {@code reuseValues()}, a rollback) resolves them again, deploying the secret's current value.
 * Helm's own error text is masked. Against the embedded API, with podinfo and the defaults.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class SecretsRecordedAsReferencesTest {

    private static final String NS = "recorded";
    private static final String REF = "ref+envsubst://$UI_MESSAGE";

    @Test
    void theRecordHoldsReferencesAndReuseAndRollbackResolveThemAgain(EmbeddedKubernetes cluster) throws IOException {
        Map<String, String> env = new ConcurrentHashMap<>(Map.of("UI_MESSAGE", "first-secret-value-11"));
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        List<String> audit = new CopyOnWriteArrayList<>();
        OperationInterceptor auditor = new OperationInterceptor() {
            @Override
            public void secretAccessed(OperationEvent event, SecretAccess access) {
                audit.add(event.operation().tag() + " " + event.releaseName() + " " + access.reference() + " " + access.outcome());
            }
        };
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).interceptor(auditor)
                .secretResolver(new EnvSubstResolver(env::get)).build()) {
            helm.install("web").inNamespace(NS).createNamespace().chart(podinfo).set("ui.message", REF).run();
            assertEquals("first-secret-value-11", PodinfoEnv.get(cluster.client(), NS, "web", "PODINFO_UI_MESSAGE"));
            assertEquals(Map.of("ui", Map.of("message", REF)), helm.values("web").inNamespace(NS).run(), "values() shows the reference");
            String record = record(cluster, 1);
            assertTrue(record.contains(REF), "Helm's record of the values holds the reference");
            assertFalse(configOf(record).contains("first-secret-value-11"), "and not the secret: " + configOf(record));

            // Rotated in the store: an upgrade keeping the recorded values resolves them again.
            env.put("UI_MESSAGE", "second-secret-value-22");
            helm.upgrade("web").inNamespace(NS).chart(podinfo).reuseValues().set("replicaCount", 2).run();
            assertEquals("second-secret-value-22", PodinfoEnv.get(cluster.client(), NS, "web", "PODINFO_UI_MESSAGE"), "the reused reference was resolved, not deployed as text");
            assertEquals(Map.of("ui", Map.of("message", REF), "replicaCount", 2), helm.values("web").inNamespace(NS).run());

            // Rotated again: a rollback to revision 1 resolves revision 1's references now.
            env.put("UI_MESSAGE", "third-secret-value-33");
            Release back = helm.rollback("web").inNamespace(NS).toRevision(1).run();
            assertEquals(3, back.revision());
            assertEquals("third-secret-value-33", PodinfoEnv.get(cluster.client(), NS, "web", "PODINFO_UI_MESSAGE"));
            assertEquals(Map.of("ui", Map.of("message", REF)), helm.values("web").inNamespace(NS).run());
            assertEquals(List.of("install web " + REF + " RESOLVED", "upgrade web " + REF + " RESOLVED", "rollback web " + REF + " RESOLVED"),
                    audit, "every access is in the audit trail, with its operation and release");
            for (int revision = 1; revision <= 3; revision++) {
                String config = configOf(record(cluster, revision));
                assertFalse(config.contains("secret-value"), "revision " + revision + " records no secret: " + config);
            }

            // The same references again: nothing to upgrade, since the record and the request agree.
            UpgradeCheck same = helm.needsUpgrade("web").inNamespace(NS).chart(podinfo).set("ui.message", REF).run();
            assertFalse(same.needed(), "the references compare equal to the recorded ones, and render as deployed: " + same.differences());
            env.put("UI_MESSAGE", "fourth-secret-value-44");
            assertEquals(java.util.Set.of(UpgradeCheck.Difference.MANIFEST), helm.needsUpgrade("web").inNamespace(NS).chart(podinfo)
                    .set("ui.message", REF).run().differences(), "a rotated secret is a change to the manifest, not to the values");
        }
    }

    @Test
    void helmsOwnErrorTextIsMasked(EmbeddedKubernetes cluster, @TempDir Path tmp) throws IOException {
        Path chart = tmp.resolve("failing");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: failing\nversion: 0.1.0\n");
        Files.writeString(chart.resolve("templates/cm.yaml"), "{{ fail (printf \"password %s is too weak\" .Values.password) }}\n");
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client())
                .secretResolver(new EnvSubstResolver(Map.of("PW", "hunter2-but-longer")::get)).build()) {
            HelmOperationException e = assertThrows(HelmOperationException.class, () -> helm.install("weak").inNamespace(NS)
                    .createNamespace().chart(ChartRef.local(chart)).set("password", "ref+envsubst://$PW").run());
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            assertTrue(e.getMessage().contains("password <redacted> is too weak"), e.getMessage());
            assertTrue(e.helmMessage().contains("password <redacted> is too weak"), e.helmMessage());
            assertFalse(trace.toString().contains("hunter2"), trace.toString());
        }
    }


    /** Helm's record of a revision, decoded as Helm's Secret driver stores it (base64 of gzip of JSON). */
    private static String record(EmbeddedKubernetes cluster, int revision) throws IOException {
        Secret s = cluster.client().secrets().inNamespace(NS).withName("sh.helm.release.v1.web.v" + revision).get();
        byte[] helm = Base64.getDecoder().decode(Base64.getDecoder().decode(s.getData().get("release")));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(helm))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String configOf(String record) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(record).path("config").toString();
    }
}
