package dev.helmsdk.examples;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.audit.JsonLinesAuditSink;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The cost of what operators see on a real install (Helm in-process, the embedded API, the defaults: cluster
 * locks on), each against a manager with none of it, in one process: metrics (a {@link SimpleMeterRegistry}),
 * tracing (an {@link ObservationRegistry} whose only handler does nothing, so every observation is really
 * created, started and stopped, without a tracer's own cost), the JSON-lines audit sink (forced to disk on every
 * event, its default, and only written to the operating system), and all three together (the default sink). The managers' installs are interleaved, the order rotating each round, so
 * machine noise hits all alike. Prints each median and two ratios to the plain manager: of the medians, and the
 * median of each round's own ratio (which a drifting machine disturbs less).
 *
 * <pre>ObservabilityBench [ROUNDS [WARMUP]]   (default 30 measured rounds, at least 5, after 8 warm-up rounds)</pre>
 */
public final class ObservabilityBench {

    private ObservabilityBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Math.max(5, Integer.parseInt(args[0])) : 30;
        int warmup = args.length > 1 ? Math.max(0, Integer.parseInt(args[1])) : 8;
        Path work = Files.createTempDirectory("helm-sdk-obs-bench");
        ChartRef chart = ChartRef.local(BundledChart.hello(work));
        Map<String, UnaryOperator<HelmSdk.Builder>> setups = new LinkedHashMap<>();
        setups.put("off", b -> b);
        setups.put("metrics", b -> b.meterRegistry(new SimpleMeterRegistry()));
        setups.put("tracing", b -> b.observationRegistry(tracing()));
        setups.put("audit", b -> b.auditSink(new JsonLinesAuditSink(work.resolve("audit.jsonl"), 64L << 20, 2)));
        setups.put("audit written", b -> b.auditSink(new JsonLinesAuditSink(work.resolve("audit-w.jsonl"), 64L << 20, 2,
                JsonLinesAuditSink.Durability.WRITTEN)));
        setups.put("all three", b -> b.meterRegistry(new SimpleMeterRegistry()).observationRegistry(tracing())
                .auditSink(new JsonLinesAuditSink(work.resolve("audit-all.jsonl"), 64L << 20, 2)));
        List<String> names = List.copyOf(setups.keySet());
        Map<String, List<Long>> times = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        List<HelmManager> managers = new ArrayList<>();
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start()) {
            for (int m = 0; m < names.size(); m++) {
                String ns = "obs-" + m;
                cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata().withName(ns).endMetadata().build()).create();
                managers.add(setups.get(names.get(m)).apply(HelmSdk.builder().kubeConfig(cluster.kubeConfigPath())
                        .defaultNamespace(ns)).build());
                times.put(names.get(m), new ArrayList<>());
                ratios.put(names.get(m), new ArrayList<>());
            }
            System.out.println("ObservabilityBench: " + rounds + " installs per manager against " + cluster.url()
                    + " (after " + warmup + " warm-up rounds)");
            for (int i = -warmup; i < rounds; i++) {
                String release = "r-" + (i + warmup);
                long[] took = new long[names.size()];
                for (int k = 0; k < names.size(); k++) {
                    int m = Math.floorMod(i + k, names.size());
                    long start = System.nanoTime();
                    managers.get(m).install(release).chart(chart).set("message", "one").run();
                    took[m] = System.nanoTime() - start;
                }
                for (HelmManager helm : managers) {
                    helm.uninstall(release).run();
                }
                if (i >= 0) {
                    for (int m = 0; m < names.size(); m++) {
                        times.get(names.get(m)).add(took[m]);
                        ratios.get(names.get(m)).add((double) took[m] / took[0]);
                    }
                }
            }
        } finally {
            managers.forEach(HelmManager::close);
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        double off = Bench.median(times.get("off"));
        System.out.printf("%-14s %12s %16s %22s%n", "install", "median", "ratio of medians", "median of round ratios");
        for (String name : names) {
            double median = Bench.median(times.get(name));
            System.out.printf("%-14s %9.2f ms %16.3f %22.3f%n", name, median / 1e6, median / off, medianOf(ratios.get(name)));
        }
    }

    /** A registry with one handler that does nothing: observations are made, as under a tracing bridge. */
    private static ObservationRegistry tracing() {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
        return registry;
    }

    private static double medianOf(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
