package dev.helmsdk.examples;

import com.sun.net.httpserver.HttpServer;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.advisor.AdvisorReport;
import dev.helmsdk.core.advisor.ReleaseAdvice;
import dev.helmsdk.core.advisor.UpgradeAdvisor;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.FakeOciRegistry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * The upgrade advisor over 200 releases: against a 10,000-entry classic index served from loopback (200 charts of
 * 50 versions, with appVersion and an {@code artifacthub.io/changes} annotation each), cold (a new advisor:
 * download and parse) and warm (the same advisor again: the ETag's 304 keeps the parsed index), and against the
 * testkit's fake OCI registry holding one chart with 500 tags (pages of 100, as registries page). The release records
 * are written straight into the embedded API as Helm's Secret driver stores them (what {@code helm install} would
 * leave), so setting up costs no Helm run. Prints medians and the requests each run made.
 *
 * <pre>AdvisorBench [ROUNDS]   (default 9)</pre>
 */
public final class AdvisorBench {

    private static final int CHARTS = 200;
    private static final int VERSIONS = 50;
    private static final int RELEASES = 200;

    private AdvisorBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Math.max(3, Integer.parseInt(args[0])) : 9;
        byte[] index = index();
        String etag = "\"idx-" + index.length + "\"";
        AtomicInteger indexRequests = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/index.yaml", ex -> {
            indexRequests.incrementAndGet();
            ex.getResponseHeaders().add("ETag", etag);
            if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                ex.sendResponseHeaders(304, -1);
            } else {
                ex.sendResponseHeaders(200, index.length);
                ex.getResponseBody().write(index);
            }
            ex.close();
        });
        http.start();
        Path work = Files.createTempDirectory("helm-sdk-advisor-bench");
        Path chart = BundledChart.hello(work);
        FakeOciRegistry.Builder oci = FakeOciRegistry.builder();
        for (int i = 0; i < 500; i++) {
            oci.chart(chart, "1." + (i / 50) + "." + (i % 50));
        }
        long packaging = System.nanoTime();
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
             FakeOciRegistry registry = oci.start();
             HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).defaultNamespace("fleet")
                     .chartSources(ChartSources.builder().plainHttp("127.0.0.1:" + http.getAddress().getPort())
                             .plainHttp(registry.hostAndPort()).build()).build()) {
            System.out.printf("500 tags packaged and pushed in %.1f s%n", (System.nanoTime() - packaging) / 1e9);
            cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fleet").endMetadata().build()).create();
            cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("oci").endMetadata().build()).create();
            for (int i = 0; i < RELEASES; i++) {
                record(cluster, "fleet", "app-" + i, "chart-" + (i % CHARTS), "1." + (i % 7) + ".0");
                record(cluster, "oci", "api-" + i, "hello", "1.0." + (i % 10));
            }
            String repo = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
            UpgradeAdvisor.Builder classic = UpgradeAdvisor.builder(helm).inNamespace("fleet");
            for (int c = 0; c < CHARTS; c++) {
                classic.chart("chart-" + c, ChartRef.repository(repo, "chart-" + c, null));
            }
            UpgradeAdvisor.Builder ociAdvisor = UpgradeAdvisor.builder(helm).inNamespace("oci")
                    .chart("hello", ChartRef.oci(registry.url() + "/hello", null));
            List<Long> cold = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            List<Long> ociRuns = new ArrayList<>();
            int[] coldRequests = new int[1];
            int[] warmRequests = new int[1];
            int[] ociRequests = new int[1];
            AdvisorReport last = null;
            for (int round = -1; round < rounds; round++) {   // round -1 warms the JIT up
                try (UpgradeAdvisor advisor = classic.build()) {
                    indexRequests.set(0);
                    long t = System.nanoTime();
                    last = advisor.check();
                    long coldNs = System.nanoTime() - t;
                    coldRequests[0] = indexRequests.getAndSet(0);
                    t = System.nanoTime();
                    advisor.check();
                    long warmNs = System.nanoTime() - t;
                    warmRequests[0] = indexRequests.get();
                    if (round >= 0) {
                        cold.add(coldNs);
                        warm.add(warmNs);
                    }
                }
                try (UpgradeAdvisor advisor = ociAdvisor.build()) {
                    registry.clearRequests();
                    long t = System.nanoTime();
                    advisor.check();
                    if (round >= 0) {
                        ociRuns.add(System.nanoTime() - t);
                    }
                    ociRequests[0] = registry.requests().size();
                }
            }
            System.out.printf("index: %d entries, %.1f MB; %d releases; %d rounds%n", CHARTS * VERSIONS, index.length / 1e6, RELEASES, rounds);
            System.out.printf("%-34s %10s %10s%n", "run", "median ms", "requests");
            System.out.printf("%-34s %10.1f %10d%n", "classic index, cold (200 + parse)", median(cold), coldRequests[0]);
            System.out.printf("%-34s %10.1f %10d%n", "classic index, warm (304)", median(warm), warmRequests[0]);
            System.out.printf("%-34s %10.2f%n", "cold / warm", median(cold) / median(warm));
            System.out.printf("%-34s %10.1f %10d%n", "OCI, 500 tags (pages of 100)", median(ociRuns), ociRequests[0]);
            System.out.println("upgradable of 200: " + last.withStatus(ReleaseAdvice.Status.UPGRADE_AVAILABLE).size());
        } finally {
            http.stop(0);
        }
    }

    /** A 10,000-entry index as `helm repo index` writes it, with the fields and annotations the advisor reads. */
    private static byte[] index() {
        StringBuilder y = new StringBuilder("apiVersion: v1\nentries:\n");
        for (int c = 0; c < CHARTS; c++) {
            y.append("  chart-").append(c).append(":\n");
            for (int v = VERSIONS - 1; v >= 0; v--) {
                String version = "1." + (v / 5) + "." + (v % 5);
                y.append("  - apiVersion: v2\n    name: chart-").append(c).append("\n    version: ").append(version)
                        .append("\n    appVersion: \"").append(version).append("\"\n    description: chart number ").append(c)
                        .append("\n    created: \"2026-12-01T00:00:00Z\"\n    digest: ").append("ab".repeat(32))
                        .append("\n    annotations:\n      category: Bench\n      artifacthub.io/changes: |\n        - kind: fixed\n          description: fix ")
                        .append(version).append("\n    urls:\n    - chart-").append(c).append('-').append(version).append(".tgz\n");
            }
        }
        y.append("generated: \"2026-12-01T00:00:00Z\"\n");
        return y.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A deployed revision 1, as Helm's Secret driver stores it: labels, and base64(gzip(JSON)) under data.release. */
    private static void record(EmbeddedKubernetes cluster, String ns, String name, String chart, String version) throws IOException {
        String json = "{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\",\"version\":1,\"info\":{\"status\":\"deployed\","
                + "\"first_deployed\":\"2026-12-01T00:00:00Z\",\"last_deployed\":\"2026-12-01T00:00:00Z\",\"description\":\"Install complete\"},"
                + "\"chart\":{\"metadata\":{\"apiVersion\":\"v2\",\"name\":\"" + chart + "\",\"version\":\"" + version + "\",\"appVersion\":\"1\"}},"
                + "\"config\":{},\"manifest\":\"\"}";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        String helmEncoded = Base64.getEncoder().encodeToString(gz.toByteArray());
        cluster.client().secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1." + name + ".v1")
                .withLabels(Map.of("owner", "helm", "name", name, "status", "deployed", "version", "1")).endMetadata()
                .withType("helm.sh/release.v1")
                .withData(Map.of("release", Base64.getEncoder().encodeToString(helmEncoded.getBytes(StandardCharsets.US_ASCII)))).build()).create();
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int n = sorted.size();
        return (n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0) / 1e6;
    }
}
