package dev.helmsdk.examples.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code java -jar helm-sdk-cli.jar} in a child JVM, as a user runs it: the in-process tests run on the module's class
 * path, which has what the shaded jar may lack.
 */
final class CliJar {

    static final Path JAR = Path.of("target", "helm-sdk-cli.jar");

    private CliJar() {
    }

    /** Skips unless the jar is built: `mvn verify` packages it before integration tests; a developer's `mvn test` may not. */
    static void assumeBuilt() {
        assumeTrue(Files.isRegularFile(JAR) || "true".equals(System.getenv("CI")),
                "no " + JAR.toAbsolutePath() + ": run `mvn -pl examples -am package -DskipTests` first");
    }

    /** Runs the jar with {@code args}; home and Helm caches in {@code tmp}. */
    static CliOutput run(Path tmp, String... args) throws Exception {
        return run(tmp, Map.of(), args);
    }

    /** Runs the jar with {@code args} and these environment variables too; home and Helm caches in {@code tmp}. */
    static CliOutput run(Path tmp, Map<String, String> env, String... args) throws Exception {
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
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " did not end in 3 minutes");
        }
        return new CliOutput(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }
}
