package dev.helmsdk.secrets;

import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real moto server (AWS's emulator, {@code moto_server}) on a free loopback port, one per test
 * class: {@link #reset()} between tests, {@link #environment()} to point a resolver at it. Without
 * {@code moto_server} the test is skipped with the install hint; with {@code CI=true} it fails.
 */
final class MotoServer implements AutoCloseable {

    static final String REGION = "us-east-1";
    private static final String INSTALL = "pip install 'moto[server]==5.2.5'";

    private final Process process;
    private final Path log;
    private final int port;

    private MotoServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts moto; {@code env} is added to its environment (e.g. INITIAL_NO_AUTH_ACTION_COUNT=0 to enforce IAM). */
    static MotoServer start(Map<String, String> env) {
        Path binary = binary();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                Path log = Files.createTempFile("moto-" + port + "-", ".log");
                ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(env);
                MotoServer moto = new MotoServer(pb.start(), log, port);
                try {
                    moto.awaitReady();
                    return moto;
                } catch (IllegalStateException e) {
                    moto.close();
                    last = e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + binary, e);
            }
        }
        throw last;
    }

    private static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "moto_server");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = "moto_server not found on PATH; install it with: " + INSTALL;
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI=true: it must be present)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + "; log:\n" + logTail());
            }
            try {
                if (post("/moto-api/reset") == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for moto", e);
            }
        }
        throw new IllegalStateException("moto_server did not answer on 127.0.0.1:" + port + " within 30 s; log:\n" + logTail());
    }

    private int post(String path) throws IOException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint().resolve(path)).timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Clears every store ({@code POST /moto-api/reset}). */
    void reset() {
        try {
            int status = post("/moto-api/reset");
            if (status != 200) {
                throw new IllegalStateException("moto reset answered " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** What a resolver reads instead of the process environment to talk to this server with test credentials. */
    Map<String, String> environment() {
        return Map.of("AWS_ENDPOINT_URL", endpoint().toString(), "AWS_REGION", REGION,
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
    }

    SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().endpointOverride(endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    }

    SsmClient ssm() {
        return SsmClient.builder().endpointOverride(endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // a temporary log left behind
        }
    }
}
