package dev.helmsdk.examples;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import com.sun.net.httpserver.HttpServer;
import dev.helmsdk.secrets.AwsResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolving 100 distinct {@code ref+awssecrets://} references against the real moto server on
 * loopback, 16 in parallel as the manager resolves them: <em>cold</em> is a new resolver's first
 * 100 (its SDK client built on the way), measured both as the first thing a fresh JVM does and again
 * in a JVM that has loaded the SDK once; <em>warm</em> is the same resolver's next 100 (the client
 * reused; the manager's TTL cache, when on, answers without a request at all). Beside them the
 * floor: the same 100 requests as bare unsigned HTTP, moto's own speed, which no client can beat.
 *
 * <pre>SecretsBench [ROUNDS [HTTP [SERVER]]]   (default 7 rounds; HTTP = default | url-connection | apache5; SERVER = moto | canned)</pre>
 *
 * <p>SERVER {@code canned} replaces moto by an in-process JDK HTTP server that answers every
 * {@code GetSecretValue} at once with the secret's canned JSON (a fake, named so): it shows the
 * resolver's and the SDK's own share of the time, which moto's speed hides.
 *
 * <p>Each round is a child JVM started on the same class path, so "first in JVM" is really cold. HTTP
 * picks the SDK's HTTP client through its own {@code software.amazon.awssdk.http.service.impl}
 * property; {@code default} lets the SDK choose (apache5 when it is on the class path). Needs
 * {@code moto_server} ({@code pip install 'moto[server]==5.2.5'}). For example
 * {@code mvn -q -B -pl examples exec:exec -Dexample=dev.helmsdk.examples.SecretsBench -Dexample.args="7 url-connection"}.
 */
public final class SecretsBench {

    private static final int SECRETS = 100;
    private static final int THREADS = 16;
    private static final int IN_JVM_ROUNDS = 5;

    private SecretsBench() {
    }

    /**
     * Starts moto, creates the secrets, and runs each round in a child JVM.
     *
     * @param args {@code [ROUNDS [HTTP]]}
     * @throws Exception when moto or a child fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(URI.create(args[1]));
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String http = args.length > 1 ? args[1] : "default";
        boolean canned = args.length > 2 && args[2].equals("canned");
        HttpServer fake = canned ? cannedServer() : null;
        int port = canned ? fake.getAddress().getPort() : freePort();
        Path log = Files.createTempFile("secretsbench-moto", ".log");
        Process moto = canned ? null : new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            if (moto != null) {
                awaitPort(port, moto);
            }
            try (SecretsManagerClient aws = SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
                for (int i = 0; i < SECRETS && !canned; i++) {
                    int n = i;
                    aws.createSecret(r -> r.name("bench/s" + n).secretString("{\"password\": \"pw-" + n + "\"}"));
                }
            }
            List<Double> floor = new ArrayList<>();
            List<Double> firstInJvm = new ArrayList<>();
            List<Double> newResolver = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path")));
                if (!http.equals("default")) {
                    cmd.add("-Dsoftware.amazon.awssdk.http.service.impl=" + switch (http) {
                        case "url-connection" -> "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService";
                        case "apache5" -> "software.amazon.awssdk.http.apache5.Apache5SdkHttpService";
                        default -> throw new IllegalArgumentException("HTTP is default, url-connection or apache5, not " + http);
                    });
                }
                cmd.addAll(List.of(SecretsBench.class.getName(), "--child", endpoint.toString()));
                Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                List<String> output;
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    output = out.lines().toList();
                }
                String line = output.isEmpty() ? "" : output.get(output.size() - 1);
                if (child.waitFor() != 0 || !line.startsWith("result ")) {
                    throw new IllegalStateException("child failed:\n" + String.join("\n", output));
                }
                double[] r = Arrays.stream(line.substring(7).split(" ")).mapToDouble(Double::parseDouble).toArray();
                floor.add(floor(endpoint));
                firstInJvm.add(r[0]);
                newResolver.add(r[1]);
                warm.add(r[2]);
                System.out.printf("round %d: first in JVM %.1f ms, new resolver %.1f ms, warm %.1f ms (100 references, %d threads)%n",
                        round + 1, r[0], r[1], r[2], THREADS);
            }
            System.out.printf("HTTP client %s, server %s, %d rounds, medians for %d distinct references, %d threads:%n", http,
                    canned ? "canned (in-process fake)" : "moto", rounds, SECRETS, THREADS);
            System.out.printf("  floor: the same 100 requests as bare HTTP (JDK client, unsigned, no SDK): %.1f ms%n", median(floor));
            System.out.printf("  cold, first in a fresh JVM (SDK classes loaded on the way): %.1f ms%n", median(firstInJvm));
            System.out.printf("  cold, new resolver in a JVM that has used the SDK:           %.1f ms%n", median(newResolver));
            System.out.printf("  warm, the same resolver again (client reused):               %.1f ms (%.2f ms per reference)%n",
                    median(warm), median(warm) / SECRETS);
        } finally {
            if (moto != null) {
                moto.destroy();
                moto.waitFor();
            }
            Files.deleteIfExists(log);
            if (fake != null) {
                fake.stop(0);
                ((ExecutorService) fake.getExecutor()).shutdownNow();
            }
        }
    }

    /** Answers every GetSecretValue with {"password": "pw-N"} for bench/sN, at once, on 16 threads. */
    private static HttpServer cannedServer() throws IOException {
        // Headers and body leave in separate writes: without TCP_NODELAY, Nagle and the client's delayed ACK add ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        Pattern id = Pattern.compile("\"SecretId\"\\s*:\\s*\"([^\"]+)\"");
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = id.matcher(body);
            String name = m.find() ? m.group(1) : "bench/s0";
            String n = name.substring(name.lastIndexOf('s') + 1);
            byte[] answer = ("{\"ARN\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "\", \"Name\": \"" + name
                    + "\", \"VersionId\": \"v1\", \"SecretString\": \"{\\\"password\\\": \\\"pw-" + n + "\\\"}\", "
                    + "\"VersionStages\": [\"AWSCURRENT\"], \"CreatedDate\": 1700000000}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(THREADS));
        server.start();
        return server;
    }

    /**
     * moto's own speed, the floor under any client: 100 distinct GetSecretValue requests, 16 in parallel, over the
     * JDK's HTTP client, unsigned (moto routes by the Authorization header's service and checks no signature).
     */
    private static double floor(URI endpoint) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < SECRETS; i++) {
                HttpRequest request = HttpRequest.newBuilder(endpoint).header("X-Amz-Target", "secretsmanager.GetSecretValue")
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/secretsmanager/aws4_request, "
                                + "SignedHeaders=host, Signature=0")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"SecretId\": \"bench/s" + i + "\"}")).build();
                futures.add(pool.submit(() -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> f : futures) {
                if (f.get() != 200) {
                    throw new IllegalStateException("moto answered " + f.get());
                }
            }
            return (System.nanoTime() - start) / 1e6;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One round: first 100 in this JVM, then {@value #IN_JVM_ROUNDS} new resolvers' first 100, then warm 100s. */
    private static void child(URI endpoint) throws Exception {
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
        SecretContext context = new SecretContext(Operation.INSTALL, "bench", "default", () -> Duration.ofSeconds(30));
        List<SecretReference> refs = new ArrayList<>();
        for (int i = 0; i < SECRETS; i++) {
            refs.add(SecretReference.parse("ref+awssecrets://bench/s" + i + "#/password"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            double first;
            try (AwsResolver resolver = new AwsResolver(env::get)) {
                first = timeAll(resolver, refs, context, pool);
            }
            List<Double> cold = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < IN_JVM_ROUNDS; i++) {
                try (AwsResolver resolver = new AwsResolver(env::get)) {
                    cold.add(timeAll(resolver, refs, context, pool));
                    warm.add(timeAll(resolver, refs, context, pool));
                }
            }
            System.out.printf(java.util.Locale.ROOT, "result %.2f %.2f %.2f%n", first, median(cold), median(warm));
        } finally {
            pool.shutdownNow();
        }
    }

    private static double timeAll(AwsResolver resolver, List<SecretReference> refs, SecretContext context,
                                  ExecutorService pool) throws Exception {
        long start = System.nanoTime();
        List<Future<Object>> futures = new ArrayList<>();
        for (SecretReference ref : refs) {
            futures.add(pool.submit(() -> resolver.resolve(ref, context)));
        }
        for (int i = 0; i < futures.size(); i++) {
            if (!("pw-" + i).equals(futures.get(i).get())) {
                throw new IllegalStateException("wrong value for " + refs.get(i));
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port, Process moto) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!moto.isAlive()) {
                throw new IllegalStateException("moto_server exited (is it installed? pip install 'moto[server]==5.2.5')");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("moto_server did not listen within 30 s");
    }
}
