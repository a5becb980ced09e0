package dev.helmsdk.it.isolated;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing lands in the home directory with isolated Helm, even when the JVM was started without
 * KUBECACHEDIR, HELM_CACHE_HOME, HELM_CONFIG_HOME and HELM_DATA_HOME (as the build sets them for
 * tests): a JVM is started here without them and with a home directory of its own ({@code HOME} for
 * Go, {@code user.home} for Java), runs install, upgrade, template and uninstall, and its home is
 * then checked. In process, the same program leaves Helm's caches there.
 */
@Tag("integration")
class IsolatedHomeDirectoryTest {

    private static final List<String> HELM_LOCATIONS = List.of("KUBECACHEDIR", "HELM_CACHE_HOME", "HELM_CONFIG_HOME",
            "HELM_DATA_HOME", "HELM_REPOSITORY_CONFIG", "HELM_REPOSITORY_CACHE", "HELM_REGISTRY_CONFIG",
            "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

    @Test
    void isolatedHelmWritesNothingUnderTheHomeDirectory(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        run("ISOLATED", home, tmp);
        assertEquals(List.of(), files(home), "files written under the home directory");
        List<String> caches = files(tmp.resolve("work/manager/isolated-helm"));
        assertTrue(caches.stream().anyMatch(f -> f.startsWith("kube-cache/discovery/")),
                "client-go's discovery cache went under the manager's work directory instead: " + caches);
        assertTrue(caches.stream().noneMatch(f -> f.startsWith("tmp/child-")),
                "the children's temporary directories (helm-java's copy of its library) were removed: " + caches);
    }

    @Test
    void inProcessHelmWritesItsCachesUnderTheHomeDirectory(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        run("IN_PROCESS", home, tmp);
        List<String> written = files(home);
        assertTrue(written.stream().anyMatch(f -> f.startsWith(".kube/cache/")),
                "client-go's discovery cache went under ~/.kube/cache: " + written);
        System.out.println("in process, written under the home directory: " + written);
    }

    @Test
    void chartTestsWithoutAManagerWriteNothingUnderTheHomeDirectory(@TempDir Path tmp) throws Exception {
        // FakeChartRepository and ChartLifecycle load helm-java without a manager: JNA's stub must still go under java.io.tmpdir.
        Path home = Files.createDirectories(tmp.resolve("home"));
        run("CHARTS", home, tmp);
        assertEquals(List.of(), files(home), "files written under the home directory");
    }

    private static void run(String process, Path home, Path tmp) throws Exception {
        Path chart = Path.of(HomeProbe.class.getResource("/charts/sdk-web/Chart.yaml").toURI()).getParent();
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-Djava.io.tmpdir=" + javaTmp,
                "-cp", System.getProperty("java.class.path"), HomeProbe.class.getName(),
                process, chart.toString(), tmp.resolve("work").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        HELM_LOCATIONS.forEach(env::remove);
        env.put("HOME", home.toString());
        Path output = tmp.resolve("probe-" + process + ".log");
        pb.redirectOutput(output.toFile());
        Process probe = pb.start();
        boolean ended = probe.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            probe.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(ended && probe.exitValue() == 0 && log.contains("PROBE-DONE"), "the probe ran (" + process + "):\n" + log);
    }

    /** Files and directories under {@code dir}, relative, directories with a trailing slash. */
    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p) + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
        }
    }
}
