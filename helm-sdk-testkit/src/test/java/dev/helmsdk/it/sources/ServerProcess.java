package dev.helmsdk.it.sources;

import dev.helmsdk.testkit.internal.charts.FakeSources;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server binary started by a test on a free loopback port: binary lookup (skip locally, fail with {@code CI=true}),
 * readiness by polling the port, the log tail on failure, and stopping (also from a shutdown hook).
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread hook;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.hook = new Thread(() -> destroy(process), "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * The binary, or skips the test ({@code Assumptions.abort}) with the install hint; with {@code CI=true} fails.
     */
    static Path requireBinary(String aptPackage, String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (p.isAbsolute()) {
                if (Files.isExecutable(p)) {
                    return p;
                }
            } else {
                for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                    Path q = Path.of(dir, c);
                    if (Files.isExecutable(q)) {
                        return q;
                    }
                }
            }
        }
        String message = String.join(" or ", candidates) + " not found; install with: apt-get install " + aptPackage;
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI=true: it must be present)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a command (output to {@code log}) and waits until it accepts connections on 127.0.0.1:port. */
    static ServerProcess start(String name, List<String> command, Path workDir, Path log, int port) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_") || k.endsWith("_PROXY") || k.endsWith("_proxy"));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
        ServerProcess sp = new ServerProcess(name, p, log);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!p.isAlive()) {
                    sp.close();
                    throw new IllegalStateException(name + " exited with " + p.exitValue() + " before listening on 127.0.0.1:"
                            + port + "; command " + command + "; log tail:\n" + sp.logTail(40));
                }
                return accepts(port);
            });
            return sp;
        } catch (ConditionTimeoutException e) {
            sp.close();
            throw new IllegalStateException(name + " did not listen on 127.0.0.1:" + port + " within 15 s; log tail:\n"
                    + sp.logTail(40));
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Like {@link #start} but with a fresh free port per attempt (a free port can be taken between probe and bind). */
    interface Launch {
        ServerProcess launch(int port) throws IOException;
    }

    static ServerProcess startWithRetry(Launch launch, int[] chosenPort) throws IOException {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                ServerProcess sp = launch.launch(port);
                chosenPort[0] = port;
                return sp;
            } catch (IllegalStateException e) {
                last = e;
                if (e.getMessage() == null || !e.getMessage().toLowerCase().contains("in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    String logTail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        destroy(process);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static void destroy(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a short command (openssl, htpasswd) and returns its stdout; fails with its output. */
    static String run(Path workDir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                // arguments may hold secrets: name only the program and its first argument
                throw new IllegalStateException("command failed: " + command[0]
                        + (command.length > 1 ? " " + command[1] : "") + " ...:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Deletes a fixture's directory, best effort. */
    static void deleteTree(Path dir) {
        FakeSources.deleteTree(dir);
    }

}
