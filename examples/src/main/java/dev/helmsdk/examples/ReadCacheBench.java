package dev.helmsdk.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.ReleaseCache;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads with the release cache ({@code releaseCache(...)}) against raw helm-java ({@code Helm.status/history} in
 * process) and the SDK's direct reads, side by side in one run: the same release (three revisions), calls
 * interleaved with the order rotating each round, medians. Then the heap a cached release costs: {@code N} copies
 * of a real release record (the bundled chart's, and optionally another chart's) in a namespace, a manager
 * caching it, heap after GC before and after, less what a manager caching an empty namespace costs.
 *
 * <pre>ReadCacheBench [--control-plane] [--memory-chart DIR] [ROUNDS [WARMUP [RELEASES]]]   (default 200, 200, 1000)</pre>
 */
public final class ReadCacheBench {

    private ReadCacheBench() {
    }

    private interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        boolean real = false;
        Path memoryChart = null;
        while (args.length > 0 && args[0].startsWith("--")) {
            if (args[0].equals("--control-plane")) {
                real = true;
            } else if (args[0].equals("--memory-chart")) {
                memoryChart = Path.of(args[1]);
                args = java.util.Arrays.copyOfRange(args, 1, args.length);
            }
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int releases = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path work = Files.createTempDirectory("helm-sdk-readcache-bench");
        Path chartDir = BundledChart.hello(work);
        ChartRef chart = ChartRef.local(chartDir);
        String ns = "bench";
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (TestCluster cluster = real ? KubernetesControlPlane.start() : EmbeddedKubernetes.start()) {
            KubernetesClient kube = cluster.client();
            for (String n : List.of(ns, "mem-empty", "mem-hello", "mem-other")) {
                kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(n).endMetadata().build()).create();
            }
            Path kc = cluster.kubeConfigPath();
            Map<String, List<Long>> times = new LinkedHashMap<>();
            try (HelmManager direct = HelmSdk.builder().kubeConfig(kc).defaultNamespace(ns).build();
                 HelmManager cached = HelmSdk.builder().kubeConfig(kc).defaultNamespace(ns).meterRegistry(meters)
                         .releaseCache(ReleaseCache.namespaces(ns)).build()) {
                direct.install("web").chart(chart).set("message", "one").run();
                direct.upgrade("web").chart(chart).set("message", "two").run();
                direct.upgrade("web").chart(chart).set("message", "three").run();
                while (cached.status("web").run().revision() != 3) {
                    Thread.sleep(10);
                }
                System.out.println("ReadCacheBench: " + rounds + " rounds after " + warmup + " warm-up rounds against " + cluster.url());
                Map<String, Op> ops = new LinkedHashMap<>();
                ops.put("status cache", () -> cached.status("web").run());
                ops.put("status direct", () -> direct.status("web").run());
                ops.put("status helm-java", () -> Helm.status("web").withNamespace(ns).withKubeConfig(kc).call());
                ops.put("history cache", () -> cached.history("web").run());
                ops.put("history direct", () -> direct.history("web").run());
                ops.put("history helm-java", () -> Helm.history("web").withNamespace(ns).withKubeConfig(kc).call());
                List<String> names = new ArrayList<>(ops.keySet());
                for (int i = -warmup; i < rounds; i++) {
                    for (String kind : List.of("status", "history")) {
                        List<String> three = names.stream().filter(n -> n.startsWith(kind + " ")).toList();
                        for (int k = 0; k < 3; k++) {
                            String name = three.get((k + Math.floorMod(i, 3)) % 3);
                            long t = System.nanoTime();
                            ops.get(name).run();
                            long took = System.nanoTime() - t;
                            if (i >= 0) {
                                times.computeIfAbsent(name, x -> new ArrayList<>()).add(took);
                            }
                        }
                    }
                }
                System.out.printf("%-18s %12s %16s%n", "read", "median", "helm-java/this");
                for (String kind : List.of("status", "history")) {
                    double raw = Bench.median(times.get(kind + " helm-java"));
                    for (String how : List.of("cache", "direct", "helm-java")) {
                        double m = Bench.median(times.get(kind + " " + how));
                        System.out.printf("%-18s %9.3f ms %15.2fx%n", kind + " " + how, m / 1e6, raw / m);
                    }
                }
                System.out.println(meters.getMetersAsString());
                Secret record = kube.secrets().inNamespace(ns).withName("sh.helm.release.v1.web.v1").get();
                memory("bundled hello chart", kube, kc, record, "mem-hello", releases);
            }
            if (memoryChart != null) {
                try (HelmManager direct = HelmSdk.builder().kubeConfig(kc).defaultNamespace(ns).build()) {
                    direct.install("other").chart(ChartRef.local(memoryChart)).run();
                }
                Secret other = kube.secrets().inNamespace(ns).withName("sh.helm.release.v1.other.v1").get();
                memory(memoryChart.getFileName().toString(), kube, kc, other, "mem-other", releases);
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Heap per cached release: {@code count} copies of {@code record} in {@code ns}, cached by a new manager. */
    private static void memory(String what, KubernetesClient kube, Path kc, Secret record, String ns, int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        byte[] gzip = Base64.getDecoder().decode(Base64.getDecoder().decode(record.getData().get("release")));
        ObjectNode tree;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            tree = (ObjectNode) json.readTree(in);
        }
        for (int i = 0; i < count; i++) {
            String name = "r" + i;
            tree.put("name", name).put("namespace", ns);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                json.writeValue(gz, tree);
            }
            String data = Base64.getEncoder().encodeToString(Base64.getEncoder().encode(out.toByteArray()));
            kube.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1." + name + ".v1")
                    .addToLabels(Map.of("owner", "helm", "name", name, "status", "deployed", "version", "1")).endMetadata()
                    .withType("helm.sh/release.v1").addToData("release", data).build()).create();
        }
        long base = heap();
        HelmManager empty = HelmSdk.builder().kubeConfig(kc).releaseCache(ReleaseCache.namespaces("mem-empty")).build();
        long withEmpty = heap();
        HelmManager full = HelmSdk.builder().kubeConfig(kc).releaseCache(ReleaseCache.namespaces(ns)).build();
        long withFull = heap();
        for (int i = 0; i < count; i++) {
            full.status("r" + i).inNamespace(ns).run();
        }
        long afterReads = heap();
        long manager = withEmpty - base;
        System.out.printf("memory, %s (record %d bytes compressed): %d releases cached: %.1f KB each (heap %+.1f MB, less %.1f MB"
                        + " a manager caching nothing costs); after reading each one's status: %.1f KB each%n",
                what, gzip.length, count, (withFull - withEmpty - manager) / 1024.0 / count, (withFull - withEmpty) / 1048576.0,
                manager / 1048576.0, (afterReads - withEmpty - manager) / 1024.0 / count);
        full.close();
        empty.close();
    }

    private static long heap() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
