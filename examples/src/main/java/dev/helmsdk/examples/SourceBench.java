package dev.helmsdk.examples;

import com.sun.net.httpserver.HttpServer;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.CredentialChain;
import dev.helmsdk.auth.KubernetesSecretCredentialProvider;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.source.RemoteCharts;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The per-operation cost of private chart sources once warm: resolving credentials (in code, the
 * discovered chain, a Kubernetes Secret read from the embedded API) and a whole warm chart fetch
 * (index cached, archive cached by digest) with and without credentials, measured side by side and
 * interleaved in one run. Prints medians; the target is under 20 ms per operation.
 *
 * <pre>SourceBench [ROUNDS [WARMUP]]   (default 200 measured rounds after 200 warm-up rounds)</pre>
 * The repository is a loopback JDK HttpServer checking Basic auth (a fake; the real nginx,
 * registry and proxy are exercised by the tests).
 */
public final class SourceBench {

    private SourceBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Math.max(10, Integer.parseInt(args[0])) : 200;
        int warmup = args.length > 1 ? Math.max(0, Integer.parseInt(args[1])) : 200;
        byte[] archive = "not really a chart; RemoteCharts only downloads and checks it".getBytes(StandardCharsets.UTF_8);
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(archive));
        String index = "apiVersion: v1\nentries:\n  web:\n  - name: web\n    version: 1.2.3\n    urls: [web-1.2.3.tgz]\n    digest: " + digest + "\n";
        String expected = "Basic " + Base64.getEncoder().encodeToString("bench:bench-pw".getBytes(StandardCharsets.UTF_8));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            boolean open = ex.getRequestURI().getPath().startsWith("/open/");
            if (!open && !expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            }
            byte[] body = ex.getRequestURI().getPath().endsWith("index.yaml") ? index.getBytes(StandardCharsets.UTF_8) : archive;
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        URI privateRepo = URI.create(base + "/private/");
        URI openRepo = URI.create(base + "/open/");
        Path work = Files.createTempDirectory("helm-sdk-source-bench");
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start()) {
            KubernetesClient kube = cluster.client();
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("creds").endMetadata().build()).create();
            kube.secrets().inNamespace("creds").resource(new SecretBuilder().withNewMetadata().withName("repo").endMetadata()
                    .withType("kubernetes.io/basic-auth").withStringData(Map.of("username", "bench", "password", "bench-pw")).build()).create();
            CredentialProvider inCode = StaticCredentialProvider.of(privateRepo, new Credentials.BasicAuth("bench", "bench-pw"));
            CredentialChain discovered = CredentialChain.builder().add(inCode).build();
            CredentialChain secret = CredentialChain.builder()
                    .add(KubernetesSecretCredentialProvider.builder(kube).secret(privateRepo, "creds", "repo").build()).build();
            CredentialContext ctx = CredentialContext.of(Operation.INSTALL, Map.of(KubernetesClient.class, kube));
            ChartSources.Builder sources = ChartSources.builder().plainHttp("127.0.0.1");
            try (RemoteCharts withSecret = new RemoteCharts(sources.credentials(secret).build(), work.resolve("a"));
                 RemoteCharts anonymous = new RemoteCharts(sources.credentials(CredentialChain.builder().discover(false).build()).build(),
                         work.resolve("b"))) {
                ChartRef.Repository priv = new ChartRef.Repository(privateRepo, "web", "^1");
                ChartRef.Repository open = new ChartRef.Repository(openRepo, "web", "^1");
                Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
                ops.put("resolve: explicit provider", () -> inCode.resolve(privateRepo, ctx));
                ops.put("resolve: discovered chain (env, config files, mounted files, explicit)", () -> discovered.resolve(privateRepo, ctx));
                URI unknown = URI.create("https://unknown.example.com/charts");
                ops.put("resolve: discovered chain, no provider knows the repository", () -> discovered.resolve(unknown, ctx));
                ops.put("resolve: Kubernetes Secret (embedded API)", () -> secret.resolve(privateRepo, ctx));
                ops.put("warm fetch, credentials from a Kubernetes Secret", () -> withSecret.fetch(Operation.INSTALL, "b", priv, () -> ctx));
                ops.put("warm fetch, public repository (no credentials)", () -> anonymous.fetch(Operation.INSTALL, "b", open, () -> ctx));
                Map<String, List<Long>> times = new LinkedHashMap<>();
                ops.keySet().forEach(k -> times.put(k, new ArrayList<>()));
                List<String> order = new ArrayList<>(ops.keySet());
                for (int i = 0; i < warmup + rounds; i++) {
                    Collections.rotate(order, 1); // a different one goes first each round
                    for (String name : order) {
                        long t0 = System.nanoTime();
                        Object result = ops.get(name).get();
                        long took = System.nanoTime() - t0;
                        if (result == null) {
                            throw new IllegalStateException(name + " returned nothing");
                        }
                        if (i >= warmup) {
                            times.get(name).add(took);
                        }
                    }
                }
                System.out.printf("%n%-72s %12s %12s%n", "per operation (" + rounds + " rounds after " + warmup + " warm-up)", "median", "p90");
                times.forEach((name, t) -> System.out.printf("%-72s %9.3f ms %9.3f ms%n", name, pct(t, 50), pct(t, 90)));
                double ratio = pct(times.get("warm fetch, credentials from a Kubernetes Secret"), 50)
                        / pct(times.get("warm fetch, public repository (no credentials)"), 50);
                System.out.printf("%nwarm fetch with Secret credentials / without credentials: %.2f (medians)%n", ratio);
                System.out.printf("warm fetch with Secret credentials vs the 20 ms target: %.3f of it%n",
                        pct(times.get("warm fetch, credentials from a Kubernetes Secret"), 50) / 20.0);
            }
        } finally {
            server.stop(0);
        }
    }

    private static double pct(List<Long> nanos, int p) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, s.size() * p / 100)) / 1e6;
    }
}
