package dev.helmsdk.examples;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of tracing on a real install (Helm in-process, the embedded API, the defaults: cluster locks on): one
 * manager with an {@link ObservationRegistry} whose only handler does nothing (so every observation and phase is
 * really created, started and stopped, as under a tracing bridge, without a tracer's own cost), one without any,
 * installs interleaved (alternating which goes first) in one process so machine noise hits both alike. Prints each
 * median and the ratio of the medians (traced/plain).
 *
 * <pre>ObservabilityBench [ROUNDS [WARMUP]]   (default 15 measured rounds, at least 5, after 10 warm-up rounds)</pre>
 */
public final class ObservabilityBench {

    private ObservabilityBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Math.max(5, Integer.parseInt(args[0])) : 15;
        int warmup = args.length > 1 ? Math.max(0, Integer.parseInt(args[1])) : 10;
        Path work = Files.createTempDirectory("helm-sdk-obs-bench");
        ChartRef chart = ChartRef.local(BundledChart.hello(work));
        ObservationRegistry traced = ObservationRegistry.create();
        traced.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        List<Long> plainTimes = new ArrayList<>();
        List<Long> tracedTimes = new ArrayList<>();
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
             HelmManager plain = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("plain").build();
             HelmManager observed = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("traced")
                     .observationRegistry(traced).build()) {
            for (String ns : List.of("plain", "traced")) {
                cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata().withName(ns).endMetadata().build()).create();
            }
            System.out.println("ObservabilityBench: " + rounds + " installs each against " + cluster.url()
                    + " (after " + warmup + " warm-up rounds)");
            for (int i = -warmup; i < rounds; i++) {
                String name = "r-" + (i + warmup);
                long a;
                long b;
                if ((i & 1) == 0) {
                    a = install(plain, name, chart);
                    b = install(observed, name, chart);
                } else {
                    b = install(observed, name, chart);
                    a = install(plain, name, chart);
                }
                plain.uninstall(name).run();
                observed.uninstall(name).run();
                if (i >= 0) {
                    plainTimes.add(a);
                    tracedTimes.add(b);
                }
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        double p = Bench.median(plainTimes);
        double t = Bench.median(tracedTimes);
        System.out.printf("%-22s %12s %12s %14s%n", "operation", "off median", "on median", "on/off ratio");
        System.out.printf("%-22s %9.2f ms %9.2f ms %14.3f%n", "install, tracing", p / 1e6, t / 1e6, t / p);
    }

    private static long install(HelmManager helm, String name, ChartRef chart) {
        long start = System.nanoTime();
        helm.install(name).chart(chart).set("message", "one").run();
        return System.nanoTime() - start;
    }
}
