package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runnable jar as a user runs it, {@code java -jar helm-sdk-cli.jar}, in a child JVM: the in-process tests run on
 * the module's class path, which has what the shaded jar may lack (it once lacked the values schema validator, so
 * every command failed with {@code NoClassDefFoundError}).
 */
@Tag("integration")
@EmbeddedKubernetesTest
class HelmSdkCliJarTest {

    private static final Path JAR = Path.of("target", "helm-sdk-cli.jar");

    @Test
    void theJarRunsADryRunWithEveryCheckAnInstallAndAnUninstall(EmbeddedKubernetes cluster, @TempDir Path tmp) throws Exception {
        // `mvn verify` packages the jar before integration tests run; a developer's `mvn test -Dtest=...` may not have it.
        assumeTrue(Files.isRegularFile(JAR) || "true".equals(System.getenv("CI")),
                "no " + JAR.toAbsolutePath() + ": run `mvn -pl examples -am package -DskipTests` first");
        Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), cluster.kubeConfigYaml());
        Path chart = dev.helmsdk.examples.HelloChart.write(Files.createDirectories(tmp.resolve("charts")));
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), """
                name: replicas
                validations:
                  - expression: "!has(object.spec.replicas) || object.spec.replicas >= 2"
                    message: "fewer than two replicas"
                """);
        String k = kubeconfig.toString();

        Run judged = run(tmp, "dry-run", "shop", chart.toString(), "--kubeconfig", k, "--set", "image.tag=latest",
                "--validate", "all", "--policy", policy.toString(), "--output", "json");
        assertEquals(ExitCodes.FINDINGS, judged.code, judged.toString());
        Set<String> checks = new TreeSet<>();
        new ObjectMapper().readTree(judged.out).get("findings").forEach(f -> checks.add(f.get("check").asText()));
        assertTrue(checks.containsAll(Set.of("validator:image-tags", "policy:replicas", "lint")), checks + "\n" + judged);

        Run install = run(tmp, "install", "shop", chart.toString(), "--kubeconfig", k, "--set", "replicaCount=2", "-o", "json");
        assertEquals(0, install.code, install.toString());
        JsonNode release = new ObjectMapper().readTree(install.out);
        assertEquals("deployed", release.get("status").asText(), install.toString());

        Run uninstall = run(tmp, "uninstall", "shop", "--kubeconfig", k);
        assertEquals(0, uninstall.code, uninstall.toString());
        assertEquals("release \"shop\" uninstalled", uninstall.out.strip(), uninstall.toString());
    }

    private record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** {@code java -jar} in a child JVM whose home and Helm caches are the test's directory. */
    private static Run run(Path tmp, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        Path home = Files.createDirectories(tmp.resolve("home"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("NO_COLOR", "1");
        for (String cache : List.of("KUBECACHEDIR", "HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME")) {
            pb.environment().put(cache, home.resolve(cache.toLowerCase(java.util.Locale.ROOT)).toString());
        }
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " did not end in 3 minutes");
        }
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }
}
