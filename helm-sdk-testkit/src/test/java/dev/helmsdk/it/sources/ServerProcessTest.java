package dev.helmsdk.it.sources;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A missing server binary skips locally with the install hint and fails when {@code CI=true}. */
class ServerProcessTest {

    @Test
    void missingBinarySkipsLocallyAndFailsOnCi() {
        Class<? extends Throwable> expected = "true".equals(System.getenv("CI"))
                ? IllegalStateException.class : TestAbortedException.class;
        Throwable t = assertThrows(Throwable.class,
                () -> ServerProcess.requireBinary("no-such-package", "/nonexistent/helm-sdk-no-such-server"));
        assertEquals(expected, t.getClass());
        assertTrue(t.getMessage().contains("install with: apt-get install no-such-package"), t.getMessage());
    }

    @Test
    void startFailureShowsLogTail() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("helm-sdk-sp-");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerProcess.start("sh",
                    java.util.List.of("/bin/sh", "-c", "echo boom-marker; exit 3"), dir, dir.resolve("log"),
                    ServerProcess.freePort()));
            assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("boom-marker"),
                    e.getMessage());
        } finally {
            ServerProcess.deleteTree(dir);
        }
    }
}
