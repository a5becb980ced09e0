package dev.helmsdk.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helm's Go code takes SIGTERM on install/upgrade; the manager must give it back to the JVM. */
@Tag("integration")
class ShutdownTest {

    @Test
    void sigtermAfterInstallAndUpgradeRunsShutdownHooksAndExits() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SigtermChild.class.getName(), TestCharts.local("sdk-web").toString()).redirectErrorStream(true);
        Process child = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.equals("READY")) {
                    child.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our pipe
                }
            }
        } finally {
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertTrue(lines.contains("READY"), "the child installed and upgraded: " + lines);
        assertTrue(lines.contains("HOOK-RAN"), "shutdown hooks ran on SIGTERM: " + lines);
        assertEquals(143, child.exitValue(), "the JVM exited as on SIGTERM");
    }
}
