package dev.helmsdk.examples;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of metrics on a real install: two managers with the defaults on one embedded API, one recording
 * helm-sdk's meters into a {@link SimpleMeterRegistry} and one without a registry, installs interleaved
 * (alternating which goes first, so machine noise hits both alike). Prints the medians and their ratio.
 *
 * <pre>MetricsBench [ROUNDS [WARMUP]]   (default 15 measured rounds after 10 warm-up rounds)</pre>
 */
public final class MetricsBench {

    private MetricsBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Math.max(3, Integer.parseInt(args[0])) : 15;
        int warmup = args.length > 1 ? Math.max(0, Integer.parseInt(args[1])) : 10;
        Path work = Files.createTempDirectory("helm-sdk-metrics-bench");
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
             HelmManager plain = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("bench").build();
             HelmManager metered = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("bench")
                     .meterRegistry(registry).build()) {
            ChartRef chart = ChartRef.local(BundledChart.hello(work));
            cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata().withName("bench").endMetadata().build()).create();
            for (int i = -warmup; i < rounds; i++) {
                String a = "off-" + (i + warmup);
                String b = "on-" + (i + warmup);
                double without;
                double with;
                if ((i & 1) == 0) {
                    without = install(plain, chart, a);
                    with = install(metered, chart, b);
                } else {
                    with = install(metered, chart, b);
                    without = install(plain, chart, a);
                }
                plain.uninstall(a).run();
                metered.uninstall(b).run();
                if (i >= 0) {
                    off.add(without);
                    on.add(with);
                }
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        double a = SecretsBench.median(off);
        double b = SecretsBench.median(on);
        System.out.printf("install, %d rounds, medians: metrics off %.1f ms, metrics on %.1f ms (%d meters), ratio on/off %.3f%n",
                rounds, a, b, registry.getMeters().size(), b / a);
    }

    /** One install's duration in milliseconds. */
    private static double install(HelmManager helm, ChartRef chart, String name) {
        long t = System.nanoTime();
        helm.install(name).chart(chart).set("message", "one").run();
        return (System.nanoTime() - t) / 1e6;
    }
}
