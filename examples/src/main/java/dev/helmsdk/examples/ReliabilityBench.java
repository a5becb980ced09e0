package dev.helmsdk.examples;

import com.marcnuri.helm.Helm;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.WorkloadFailure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Issue 4's benchmark, against the embedded API with the bundled chart:
 * <ul>
 *   <li>rollback (no wait) through the SDK, beside a raw helm-java upgrade to the same chart (helm-java
 *       has no rollback; that upgrade is the work a rollback has to do);</li>
 *   <li>how long an upgrade to a crash-looping workload takes to fail: the SDK's fail-fast readiness
 *       wait, beside raw helm-java's {@code upgrade --atomic --wait} with the same time limit.</li>
 * </ul>
 * <pre>ReliabilityBench [ROUNDS [TIMEOUT_SECONDS]]   (default 9 rollback rounds, 3 crash rounds, 10 s limit)</pre>
 */
public final class ReliabilityBench {

    private ReliabilityBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path work = Files.createTempDirectory("helm-sdk-reliability-bench");
        Path chartDir = BundledChart.hello(work);
        ChartRef chart = ChartRef.local(chartDir);
        String crash = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
            Path kc = cluster.kubeConfigPath();
            List<Long> sdkRollback = new ArrayList<>();
            List<Long> rawUpgrade = new ArrayList<>();
            helm.install("rb").chart(chart).set("message", "one").run();
            Helm.install(chartDir.toString()).withName("raw").withNamespace("default").withKubeConfig(kc).call();
            for (int i = -5; i < rounds; i++) {
                helm.upgrade("rb").chart(chart).set("message", "round-" + i).run();
                long t = System.nanoTime();
                helm.rollback("rb").run();
                long a = System.nanoTime() - t;
                t = System.nanoTime();
                Helm.upgrade(chartDir.toString()).withName("raw").withNamespace("default").withKubeConfig(kc)
                        .set("message", "round-" + i).call();
                long b = System.nanoTime() - t;
                if (i >= 0) {
                    sdkRollback.add(a);
                    rawUpgrade.add(b);
                }
            }
            System.out.printf("rollback (no wait):  sdk %.1f ms, raw upgrade %.1f ms, ratio %.2f  (median of %d)%n",
                    median(sdkRollback) / 1e6, median(rawUpgrade) / 1e6, median(sdkRollback) / median(rawUpgrade), rounds);

            List<Long> sdkDetect = new ArrayList<>();
            List<Long> rawGiveUp = new ArrayList<>();
            int crashRounds = Math.max(3, rounds / 3);
            for (int i = 0; i < crashRounds; i++) {
                String s = "crash-sdk-" + i;
                String r = "crash-raw-" + i;
                helm.install(s).chart(chart).run();
                Helm.install(chartDir.toString()).withName(r).withNamespace("default").withKubeConfig(kc).call();
                long t = System.nanoTime();
                try {
                    helm.upgrade(s).chart(chart).set(crash, "crash-loop").waitReady(Duration.ofSeconds(limit)).run();
                    throw new IllegalStateException("the crash-looping upgrade succeeded");
                } catch (ReadinessFailedException expected) {
                    sdkDetect.add(System.nanoTime() - t);
                }
                t = System.nanoTime();
                try {
                    Helm.upgrade(chartDir.toString()).withName(r).withNamespace("default").withKubeConfig(kc)
                            .set(crash, "crash-loop").atomic().waitReady().withTimeout(limit).call();
                    throw new IllegalStateException("the raw crash-looping upgrade succeeded");
                } catch (IllegalStateException expected) {
                    rawGiveUp.add(System.nanoTime() - t);
                }
            }
            System.out.printf("crash loop, %d s limit: sdk fails in %.0f ms, raw upgrade --atomic --wait gives up in %.0f ms,"
                    + " ratio %.3f  (median of %d)%n", limit, median(sdkDetect) / 1e6, median(rawGiveUp) / 1e6,
                    median(sdkDetect) / median(rawGiveUp), crashRounds);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }
}
