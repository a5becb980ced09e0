package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runnable jar as a user runs it, {@code java -jar helm-sdk-cli.jar}, in a child JVM: the in-process tests run on
 * the module's class path, which has what the shaded jar may lack (it once lacked the values schema validator, so
 * every command failed with {@code NoClassDefFoundError}).
 */
@Tag("integration")
@EmbeddedKubernetesTest
class HelmSdkCliJarTest {

    @Test
    void theJarRunsADryRunWithEveryCheckAnInstallAndAnUninstall(EmbeddedKubernetes cluster, @TempDir Path tmp) throws Exception {
        CliJar.assumeBuilt();
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), cluster.kubeConfigYaml());
        Path chart = dev.helmsdk.examples.HelloChart.write(Files.createDirectories(tmp.resolve("charts")));
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), """
                name: replicas
                validations:
                  - expression: "!has(object.spec.replicas) || object.spec.replicas >= 2"
                    message: "fewer than two replicas"
                """);
        String k = kubeconfig.toString();

        CliOutput judged = CliJar.run(tmp, "dry-run", "shop", chart.toString(), "--kubeconfig", k, "--set", "image.tag=latest",
                "--validate", "all", "--policy", policy.toString(), "--output", "json");
        assertEquals(ExitCodes.FINDINGS, judged.exitCode(), judged.toString());
        Set<String> checks = new TreeSet<>();
        new ObjectMapper().readTree(judged.out()).get("findings").forEach(f -> checks.add(f.get("check").asText()));
        assertTrue(checks.containsAll(Set.of("validator:image-tags", "policy:replicas", "lint")), checks + "\n" + judged);

        CliOutput install = CliJar.run(tmp, "install", "shop", chart.toString(), "--kubeconfig", k, "--set", "replicaCount=2", "-o", "json");
        assertEquals(0, install.exitCode(), install.toString());
        JsonNode release = new ObjectMapper().readTree(install.out());
        assertEquals("deployed", release.get("status").asText(), install.toString());

        CliOutput uninstall = CliJar.run(tmp, "uninstall", "shop", "--kubeconfig", k);
        assertEquals(0, uninstall.exitCode(), uninstall.toString());
        assertEquals("release \"shop\" uninstalled", uninstall.out().strip(), uninstall.toString());
    }
}
