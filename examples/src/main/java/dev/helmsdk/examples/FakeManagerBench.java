package dev.helmsdk.examples;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.testkit.fake.FakeHelmManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How much the testkit's {@link FakeHelmManager} costs a unit test: the time to create the first
 * one in a fresh JVM (class loading included) and later ones, the first operation (which reads
 * the chart), and operations per second over a mix a reconciler's tests run: install, three
 * upgrades, status, values, history, needsUpgrade, list and uninstall per release, on one thread
 * and on {@code THREADS} threads.
 *
 * <pre>FakeManagerBench [RELEASES [THREADS]]   (default 2000 releases, 2 threads)</pre>
 *
 * <p>For example {@code mvn -q -B -pl examples exec:exec -Dexample=dev.helmsdk.examples.FakeManagerBench}.
 * The chart is written to a temporary directory and deleted afterwards; no cluster, no native library.
 */
public final class FakeManagerBench {

    private static final int OPS_PER_RELEASE = 10;

    private FakeManagerBench() {
    }

    public static void main(String[] args) throws Exception {
        int releases = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long t0 = System.nanoTime();
        FakeHelmManager first = FakeHelmManager.create();
        long created = System.nanoTime() - t0;
        Path dir = Files.createTempDirectory("helm-sdk-fake-bench-");
        try {
            Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: bench\nversion: 1.0.0\nappVersion: \"1.0\"\n");
            Files.writeString(dir.resolve("values.yaml"), "replicaCount: 1\nimage:\n  repository: nginx\n  tag: \"1.27\"\n");
            ChartRef chart = ChartRef.directory(dir);
            long t1 = System.nanoTime();
            first.install("first").chart(chart).set("replicaCount", 2).run();
            long firstOp = System.nanoTime() - t1;
            System.out.printf("first FakeHelmManager.create() in this JVM: %.1f ms; first install (reads the chart): %.1f ms%n",
                    created / 1e6, firstOp / 1e6);

            long[] creates = new long[200];
            for (int i = 0; i < creates.length; i++) {
                long s = System.nanoTime();
                FakeHelmManager.create().close();
                creates[i] = System.nanoTime() - s;
            }
            java.util.Arrays.sort(creates);
            System.out.printf("later create(): median %.3f ms%n", creates[creates.length / 2] / 1e6);

            run(chart, Math.max(1, releases / 10), 1);   // warm-up
            double single = run(chart, releases, 1);
            double multi = run(chart, releases, threads);
            System.out.printf("%d releases x %d operations: %.0f ops/s on 1 thread (%.4f ms per op), %.0f ops/s on %d threads%n",
                    releases, OPS_PER_RELEASE, single, 1000 / single, multi, threads);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** Runs the mix for {@code releases} releases on {@code threads} threads of one fake; returns operations per second. */
    private static double run(ChartRef chart, int releases, int threads) throws Exception {
        FakeHelmManager fake = FakeHelmManager.create();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    for (int i = offset; i < releases; i += threads) {
                        String name = "r" + i;
                        fake.install(name).chart(chart).set("replicaCount", 1).run();
                        for (int u = 2; u <= 4; u++) {
                            fake.upgrade(name).chart(chart).set("replicaCount", u).run();
                        }
                        fake.status(name).run();
                        fake.values(name).allValues().run();
                        fake.history(name).run();
                        fake.needsUpgrade(name).chart(chart).set("replicaCount", 4).run();
                        fake.list().run();
                        fake.uninstall(name).run();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return releases * (double) OPS_PER_RELEASE / ((System.nanoTime() - start) / 1e9);
    }
}
