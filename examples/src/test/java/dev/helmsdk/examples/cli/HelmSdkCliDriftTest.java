package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code drift} against a real API server: its JSON and JUnit XML parsed, its exit codes, and a correction. */
@Tag("integration")
@KubernetesControlPlaneTest
class HelmSdkCliDriftTest {

    @Test
    void driftIsReportedAsJsonWithItsExitCodeAndCorrected(KubernetesControlPlane cluster, HelmManager helm, KubernetesClient kube,
                                                         @TempDir Path tmp) throws Exception {
        helm.install("shop").chart(ChartRef.local(chart(tmp))).run();
        String kubeconfig = cluster.kubeConfigPath().toString();
        CliOutput calm = CliOutput.run("drift", "shop", "--kubeconfig", kubeconfig, "-n", "default", "--detailed-exitcode");
        assertEquals(0, calm.exitCode(), calm.toString());
        assertTrue(calm.out().contains("No drift."), calm.out());

        kube.configMaps().inNamespace("default").withName("shop-config").edit(c -> { c.getData().put("greeting", "by hand"); return c; });
        CliOutput json = CliOutput.run("drift", "shop", "--kubeconfig", kubeconfig, "-n", "default", "--output", "json", "--detailed-exitcode");
        assertEquals(2, json.exitCode(), json.toString());
        JsonNode report = json.driftJson();
        assertEquals("shop", report.get("release").asText());
        assertEquals(1, report.get("revision").asInt());
        assertEquals("changed", report.at("/drifted/0/type").asText());
        assertEquals("/data/greeting", report.at("/drifted/0/fields/0/path").asText());
        assertEquals("\"by hand\"", report.at("/drifted/0/fields/0/before").asText());
        assertEquals("\"hello\"", report.at("/drifted/0/fields/0/after").asText());

        CliOutput ignored = CliOutput.run("drift", "shop", "--kubeconfig", kubeconfig, "-n", "default", "--detailed-exitcode",
                "--ignore", "ConfigMap/shop-config:/data/greeting");
        assertEquals(0, ignored.exitCode(), ignored.toString());

        CliOutput junit = CliOutput.run("drift", "shop", "--kubeconfig", kubeconfig, "-n", "default", "--output", "junit");
        assertEquals(0, junit.exitCode(), "drift without --detailed-exitcode: " + junit);
        Document xml = junit.xml();
        assertEquals(1, xml.getElementsByTagName("failure").getLength(), junit.out());

        CliOutput corrected = CliOutput.run("drift", "shop", "--kubeconfig", kubeconfig, "-n", "default", "--correct", "--detailed-exitcode");
        assertEquals(2, corrected.exitCode(), corrected.toString());
        assertTrue(corrected.out().contains("Corrected: 1 objects re-applied as deployed (no new revision)"), corrected.out());
        assertEquals("hello", kube.configMaps().inNamespace("default").withName("shop-config").get().getData().get("greeting"));
        CliOutput after = CliOutput.run("drift", "shop", "--kubeconfig", kubeconfig, "-n", "default", "--detailed-exitcode");
        assertEquals(0, after.exitCode(), after.toString());
        assertEquals(1, helm.history("shop").run().size(), "no revision written");

        CliOutput missing = CliOutput.run("drift", "nobody", "--kubeconfig", kubeconfig, "-n", "default");
        assertEquals(ExitCodes.ERROR, missing.exitCode());
        assertTrue(missing.err().contains("nobody"), missing.err());
        assertFalse(missing.err().contains("Exception"), "a typed error in words: " + missing.err());
    }

    private static Path chart(Path tmp) throws Exception {
        Path chart = Files.createDirectories(tmp.resolve("shop/templates"));
        Files.writeString(chart.resolveSibling("Chart.yaml"), "apiVersion: v2\nname: shop\nversion: 1.0.0\n");
        Files.writeString(chart.resolve("config.yaml"),
                "{apiVersion: v1, kind: ConfigMap, metadata: {name: '{{ .Release.Name }}-config'}, data: {greeting: hello}}\n");
        return chart.getParent();
    }
}
