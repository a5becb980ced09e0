package dev.helmsdk.examples;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InstallRequest;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.internal.Deadline;
import dev.helmsdk.core.internal.secrets.SecretResolution;
import dev.helmsdk.core.internal.secrets.SecretResolvers;
import dev.helmsdk.secrets.AwsResolver;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An install whose values hold 20 distinct {@code ref+awssecrets://} references (against the real
 * moto server on loopback) beside the same install with the 20 values written literally, through
 * one manager with the defaults, on the embedded API; interleaved, alternating which goes first, so
 * machine noise hits both alike. Then the warm case: 100 references resolved again within a scheme's
 * cache TTL ({@code secretCacheTtl}), which asks no store at all.
 *
 * <pre>SecretInstallBench [ROUNDS [WARMUP]]   (default 15 measured rounds after 10 warm-up rounds)</pre>
 * Needs {@code moto_server} ({@code pip install 'moto[server]==5.2.5'}).
 */
public final class SecretInstallBench {

    private static final int REFERENCES = 20;

    private SecretInstallBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int port = SecretsBench.freePort();
        Process moto = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path work = Files.createTempDirectory("helm-sdk-secret-bench");
        try {
            SecretsBench.awaitPort(port, moto);
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            try (SecretsManagerClient aws = SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    aws.createSecret(r -> r.name("bench/s" + n).secretString("{\"password\": \"pw-" + n + "\"}"));
                }
            }
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
            ChartRef chart = ChartRef.local(BundledChart.hello(work));
            installs(env, chart, rounds, warmup, null);
            installs(env, chart, rounds, warmup, Duration.ofMinutes(10));
            warm(env);
        } finally {
            moto.destroy();
            moto.waitFor();
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Installs with literal values and with references, interleaved; {@code ttl}: the scheme's cache TTL, or none. */
    private static void installs(Map<String, String> env, ChartRef chart, int rounds, int warmup, Duration ttl) throws Exception {
        List<Double> literal = new ArrayList<>();
        List<Double> referenced = new ArrayList<>();
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
             AwsResolver resolver = new AwsResolver(env::get)) {
            HelmSdk.Builder builder = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("bench").secretResolver(resolver);
            if (ttl != null) {
                builder.secretCacheTtl("awssecrets", ttl);
            }
            try (HelmManager helm = builder.build()) {
                cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata().withName("bench").endMetadata().build()).create();
                for (int i = -warmup; i < rounds; i++) {
                    String lit = "lit-" + (i + warmup);
                    String ref = "ref-" + (i + warmup);
                    double a;
                    double b;
                    if ((i & 1) == 0) {
                        a = time(install(helm, chart, lit, false));
                        b = time(install(helm, chart, ref, true));
                    } else {
                        b = time(install(helm, chart, ref, true));
                        a = time(install(helm, chart, lit, false));
                    }
                    helm.uninstall(lit).run();
                    helm.uninstall(ref).run();
                    if (i >= 0) {
                        literal.add(a);
                        referenced.add(b);
                    }
                }
            }
        }
        double lit = SecretsBench.median(literal);
        double ref = SecretsBench.median(referenced);
        System.out.printf("install (%s), %d rounds, medians: %d literal values %.1f ms, %d awssecrets references %.1f ms, ratio %.2f%n",
                ttl == null ? "default: every install resolves" : "cache TTL " + ttl, rounds, REFERENCES, lit, REFERENCES, ref, ref / lit);
    }

    /** The same 100 references twice within their scheme's cache TTL: the second time asks no store. */
    private static void warm(Map<String, String> env) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            values.put("k" + i, "ref+awssecrets://bench/s" + i + "#/password");
        }
        try (AwsResolver resolver = new AwsResolver(env::get)) {
            SecretResolution resolution = new SecretResolution(SecretResolvers.of(List.of(), List.of(resolver)), d -> List.of(),
                    Map.of("awssecrets", Duration.ofMinutes(10)));
            List<Double> warm = new ArrayList<>();
            double cold = resolveAll(resolution, values);
            for (int i = 0; i < 15; i++) {
                warm.add(resolveAll(resolution, values));
            }
            double median = SecretsBench.median(warm);
            System.out.printf("100 references through the manager's resolution: cold %.1f ms; warm (cached) %.3f ms, %.4f ms per reference%n",
                    cold, median, median / 100);
        }
    }

    private static double resolveAll(SecretResolution resolution, Map<String, Object> values) {
        long t = System.nanoTime();
        Map<String, Object> out = resolution.resolve(values, Operation.INSTALL, "bench", "bench", Deadline.after(Duration.ofSeconds(30)));
        double ms = (System.nanoTime() - t) / 1e6;
        if (!"pw-7".equals(out.get("k7"))) {
            throw new IllegalStateException("wrong value for k7");
        }
        return ms;
    }

    /** An install with 20 values: each a distinct secret's reference, or its value written out. */
    private static InstallRequest install(HelmManager helm, ChartRef chart, String name, boolean references) {
        InstallRequest request = helm.install(name).chart(chart).set("message", "bench");
        for (int i = 0; i < REFERENCES; i++) {
            request = request.set("secrets.k" + i, references ? "ref+awssecrets://bench/s" + i + "#/password" : "pw-" + i);
        }
        return request;
    }

    private static double time(InstallRequest request) {
        long t = System.nanoTime();
        request.run();
        return (System.nanoTime() - t) / 1e6;
    }
}
