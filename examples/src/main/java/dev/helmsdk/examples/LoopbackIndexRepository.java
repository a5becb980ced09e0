package dev.helmsdk.examples;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link IndexBench}'s chart repository: one generated {@code index.yaml} served from loopback, with an {@code ETag}
 * and 304 answers to a matching {@code If-None-Match}, counting the requests (by client) so the benchmark can show
 * which side revalidates and which downloads again.
 */
final class LoopbackIndexRepository implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong conditional = new AtomicLong();
    private final AtomicLong notModified = new AtomicLong();
    private final Map<String, AtomicLong> agents = new ConcurrentHashMap<>();

    private LoopbackIndexRepository(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Serves {@code index} at {@code /index.yaml} until closed. */
    static LoopbackIndexRepository start(byte[] index) throws IOException {
        String etag;
        try {
            etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(index), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        LoopbackIndexRepository repo = new LoopbackIndexRepository(server, threads);
        server.createContext("/", ex -> {
            try {
                if (!ex.getRequestURI().getPath().equals("/index.yaml")) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                repo.requests.incrementAndGet();
                String agent = String.valueOf(ex.getRequestHeaders().getFirst("User-Agent"));
                String inm = ex.getRequestHeaders().getFirst("If-None-Match");
                repo.agents.computeIfAbsent(agent.replaceAll("[/ ].*", "") + (inm == null ? "" : " (conditional)"),
                        k -> new AtomicLong()).incrementAndGet();
                ex.getResponseHeaders().set("ETag", etag);
                ex.getResponseHeaders().set("Last-Modified", "Sat, 01 Jun 2024 10:00:00 GMT");
                if (inm != null) {
                    repo.conditional.incrementAndGet();
                    if (inm.equals(etag)) {
                        repo.notModified.incrementAndGet();
                        ex.sendResponseHeaders(304, -1);
                        return;
                    }
                }
                ex.getResponseHeaders().set("Content-Type", "application/x-yaml");
                ex.sendResponseHeaders(200, index.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(index);
                }
            } finally {
                ex.close();
            }
        });
        server.start();
        return repo;
    }

    /** The repository's URL, with a trailing slash. */
    URI repoUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    long requests() {
        return requests.get();
    }

    long conditional() {
        return conditional.get();
    }

    long notModified() {
        return notModified.get();
    }

    /** Requests by client (the User-Agent's first word), conditional ones apart. */
    Map<String, AtomicLong> agents() {
        return agents;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** An index like {@code helm repo index} writes, with the usual metadata per chart version. */
    static String generate(int charts, int versionsEach) {
        StringBuilder y = new StringBuilder(charts * versionsEach * 700);
        y.append("apiVersion: v1\nentries:\n");
        for (int c = 0; c < charts; c++) {
            String name = String.format("chart-%04d", c);
            y.append("  ").append(name).append(":\n");
            for (int v = versionsEach - 1; v >= 0; v--) { // newest first, as Helm writes them
                y.append("  - annotations:\n      category: Infrastructure\n      licenses: Apache-2.0\n")
                        .append("    apiVersion: v2\n")
                        .append("    appVersion: 2.").append(v).append(".0\n")
                        .append("    created: \"2024-06-01T10:").append(String.format("%02d", v % 60))
                        .append(":00.123456789Z\"\n")
                        .append(v == 0 && c % 7 == 0 ? "    deprecated: true\n" : "")
                        .append("    description: A Helm chart for Kubernetes that deploys ").append(name)
                        .append(" with sensible defaults.\n")
                        .append("    digest: ").append(String.format("%064x", (long) c * versionsEach + v)).append('\n')
                        .append("    home: https://example.com/").append(name).append('\n')
                        .append("    icon: https://example.com/").append(name).append("/icon.png\n")
                        .append("    keywords:\n    - ").append(name).append("\n    - web\n")
                        .append("    maintainers:\n    - email: team@example.com\n      name: The Team\n")
                        .append("    name: ").append(name).append('\n')
                        .append("    sources:\n    - https://github.com/example/").append(name).append('\n')
                        .append("    type: application\n")
                        .append("    urls:\n    - ").append(c % 2 == 0 ? "https://charts.example.com/" : "")
                        .append(name).append("-1.").append(v).append(".0.tgz\n")
                        .append("    version: 1.").append(v).append(".0\n");
            }
        }
        y.append("generated: \"2024-06-01T10:00:00.000000000Z\"\n");
        return y.toString();
    }
}
