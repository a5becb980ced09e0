package dev.helmsdk.examples;

import com.marcnuri.helm.Helm;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.TestCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Side-by-side benchmark: the SDK against raw helm-java, same chart, same embedded API, same
 * process, calls interleaved (alternating which goes first) so machine noise hits both alike.
 * Prints the median per operation and the SDK/raw ratio.
 *
 * <pre>Bench [--control-plane] [--no-cluster-locks] [ROUNDS [WARMUP]]   (default 15 measured rounds, at least 7, after 30 warm-up rounds)</pre>
 * With {@code --control-plane} it runs against the real test control plane (kube-apiserver, etcd,
 * controllers, KWOK) instead of the embedded API.
 * The warm-up matters: the SDK's Java code (Jackson, fabric8) is compiled by the JIT as it runs,
 * while Helm's Go code is compiled ahead of time, and a long-running controller runs warm.
 */
public final class Bench {

    private Bench() {
    }

    private interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        boolean real = false;
        boolean clusterLocks = true;
        while (args.length > 0 && args[0].startsWith("--")) {
            real |= args[0].equals("--control-plane");
            clusterLocks &= !args[0].equals("--no-cluster-locks");
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        int rounds = args.length > 0 ? Math.max(7, Integer.parseInt(args[0])) : 15;
        int warmup = args.length > 1 ? Math.max(0, Integer.parseInt(args[1])) : 30;
        Path work = Files.createTempDirectory("helm-sdk-bench");
        Path chartDir = BundledChart.hello(work);
        ChartRef chart = ChartRef.local(chartDir);
        String ns = "bench";
        Map<String, List<Long>> sdk = new LinkedHashMap<>();
        Map<String, List<Long>> raw = new LinkedHashMap<>();
        try (TestCluster cluster = real ? KubernetesControlPlane.start() : EmbeddedKubernetes.start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace(ns)
                     .clusterLocks(clusterLocks).build()) {
            Path kc = cluster.kubeConfigPath();
            cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata().withName(ns).endMetadata().build()).create();
            System.out.println("Bench: " + rounds + " rounds per operation against " + cluster.url()
                    + " (after " + warmup + " warm-up rounds)");
            for (int i = -warmup; i < rounds; i++) {
                String s = "sdk-" + (i + warmup);
                String r = "raw-" + (i + warmup);
                boolean sdkFirst = (i & 1) == 0;
                Map<String, Op> sdkOps = new LinkedHashMap<>();
                Map<String, Op> rawOps = new LinkedHashMap<>();
                sdkOps.put("install", () -> helm.install(s).chart(chart).set("message", "one").run());
                rawOps.put("install", () -> Helm.install(chartDir.toString()).withName(r).withNamespace(ns)
                        .withKubeConfig(kc).set("message", "one").call());
                sdkOps.put("upgrade", () -> helm.upgrade(s).chart(chart).set("message", "two").run());
                rawOps.put("upgrade", () -> Helm.upgrade(chartDir.toString()).withName(r).withNamespace(ns)
                        .withKubeConfig(kc).set("message", "two").call());
                sdkOps.put("status", () -> helm.status(s).run());
                rawOps.put("status", () -> Helm.status(r).withNamespace(ns).withKubeConfig(kc).call());
                sdkOps.put("history", () -> helm.history(s).run());
                rawOps.put("history", () -> Helm.history(r).withNamespace(ns).withKubeConfig(kc).call());
                sdkOps.put("template", () -> helm.template(s).chart(chart).set("message", "three").run());
                rawOps.put("template", () -> Helm.template(chartDir.toString()).withName(r).withNamespace(ns)
                        .set("message", "three").call());
                sdkOps.put("uninstall", () -> helm.uninstall(s).run());
                rawOps.put("uninstall", () -> Helm.uninstall(r).withNamespace(ns).withKubeConfig(kc).call());
                for (String op : sdkOps.keySet()) {
                    long a;
                    long b;
                    if (sdkFirst) {
                        a = time(sdkOps.get(op));
                        b = time(rawOps.get(op));
                    } else {
                        b = time(rawOps.get(op));
                        a = time(sdkOps.get(op));
                    }
                    if (i >= 0) {
                        sdk.computeIfAbsent(op, k -> new ArrayList<>()).add(a);
                        raw.computeIfAbsent(op, k -> new ArrayList<>()).add(b);
                    }
                }
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf("%-10s %12s %12s %10s%n", "operation", "sdk median", "raw median", "sdk/raw");
        for (String op : sdk.keySet()) {
            double a = median(sdk.get(op));
            double b = median(raw.get(op));
            System.out.printf("%-10s %9.2f ms %9.2f ms %10.2f%n", op, a / 1e6, b / 1e6, a / b);
        }
    }

    private static long time(Op op) throws Exception {
        long t = System.nanoTime();
        op.run();
        return System.nanoTime() - t;
    }

    static double median(List<Long> xs) {
        long[] a = xs.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2.0;
    }
}
