package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.examples.HelloChart;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code advise} through the runnable jar against a real API server and a chart repository: JSON, exit codes, --upgrade. */
@Tag("integration")
@KubernetesControlPlaneTest
class HelmSdkCliAdviseTest {

    private static final String NS = "advise-cli";

    @Test
    void advisesAsJsonUpgradesWithinThePolicyAndNamesASourceThatIsDown(KubernetesControlPlane cluster, HelmManager helm, @TempDir Path tmp)
            throws Exception {
        CliJar.assumeBuilt();
        Path hello = HelloChart.write(Files.createDirectories(tmp.resolve("charts")));
        helm.install("shop").inNamespace(NS).createNamespace()
                .chart(ChartRef.archive(FakeChartRepository.packageChart(hello, "1.0.0", Files.createDirectories(tmp.resolve("v1"))))).run();
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(hello, "1.0.0").chart(hello, "1.2.0").chart(hello, "2.0.0").start()) {
            String k = cluster.kubeConfigPath().toString();
            String source = "hello=" + repo.url();

            CliOutput json = CliJar.run(tmp, "advise", "-n", NS, "--chart", source, "--plain-http", "--kubeconfig", k, "-o", "json", "--detailed-exitcode");
            assertEquals(ExitCodes.CHANGES, json.exitCode(), json.toString());
            JsonNode shop = new ObjectMapper().readTree(json.out()).at("/releases/0");
            assertEquals("shop", shop.get("release").asText(), json.out());
            assertEquals("upgrade_available", shop.get("status").asText());
            assertEquals("1.2.0", shop.get("newestAllowed").asText(), "minor, the default policy");
            assertEquals("2.0.0", shop.get("newestOverall").asText());

            CliOutput major = CliJar.run(tmp, "advise", "-A", "--chart", source + "#hello@<3", "--policy", "major", "--plain-http", "--kubeconfig", k);
            assertEquals(0, major.exitCode(), major.toString());
            assertTrue(major.out().contains("shop     hello  1.0.0    upgrade available  2.0.0       2.0.0   2 (major)"), major.out());

            CliOutput upgraded = CliJar.run(tmp, "advise", "-n", NS, "--chart", source, "--plain-http", "--kubeconfig", k, "--upgrade", "--detailed-exitcode");
            assertEquals(ExitCodes.CHANGES, upgraded.exitCode(), upgraded.toString());
            assertTrue(upgraded.out().contains("Upgraded " + NS + "/shop to hello 1.2.0 (revision 2)"), upgraded.out());
            assertEquals("1.2.0", helm.status("shop").inNamespace(NS).run().chartVersion());

            CliOutput current = CliJar.run(tmp, "advise", "-n", NS, "--chart", source, "--plain-http", "--kubeconfig", k, "--detailed-exitcode");
            assertEquals(0, current.exitCode(), "nothing within the policy now: " + current);
            assertTrue(current.out().contains("held back"), current.out());
        }
        CliOutput down = CliJar.run(tmp, "advise", "-n", NS, "--chart", "hello=http://127.0.0.1:1/", "--plain-http",
                "--kubeconfig", cluster.kubeConfigPath().toString(), "--detailed-exitcode");
        assertEquals(ExitCodes.ERROR, down.exitCode(), down.toString());
        assertTrue(down.err().startsWith("Error: source http://127.0.0.1:1/ hello could not be read for " + NS + "/shop: "), down.toString());
        assertTrue(down.out().contains("source failed"), "the report is still written: " + down);
    }
}
