package dev.helmsdk.examples;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.KubernetesControlPlane;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drift of podinfo on the real test control plane, side by side in one run: a status read (one LIST), drift detection
 * of the fresh release, the upgrade dry run of the same chart (for scale), and a correction of an image edited by
 * hand (edit, then correct, timed alone); medians of the rounds after the warm-up.
 *
 * <pre>DriftBench [PODINFO_CHART] [ROUNDS]   (default ../shared/charts/podinfo, 21)</pre>
 */
public final class DriftBench {

    private DriftBench() {
    }

    public static void main(String[] args) {
        ChartRef podinfo = ChartRef.local(Path.of(args.length > 0 ? args[0] : "../shared/charts/podinfo"));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        try (KubernetesControlPlane cp = KubernetesControlPlane.start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cp.kubeConfigPath()).defaultNamespace("default").build()) {
            helm.install("pod").chart(podinfo).run();
            var kube = cp.client();
            List<Long> status = new ArrayList<>();
            List<Long> drift = new ArrayList<>();
            List<Long> dryRun = new ArrayList<>();
            List<Long> correct = new ArrayList<>();
            for (int i = 0; i < rounds + 3; i++) {
                boolean warm = i >= 3;
                time(status, warm, () -> helm.status("pod").run());
                time(drift, warm, () -> helm.drift("pod").run());
                time(dryRun, warm, () -> helm.upgrade("pod").chart(podinfo).dryRun());
                kube.apps().deployments().inNamespace("default").withName("pod-podinfo").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"podinfo\",\"image\":\"ghcr.io/stefanprodan/podinfo:6.0.0\"}]}}}}");
                time(correct, warm, () -> helm.drift("pod").correct());
            }
            if (helm.drift("pod").run().hasDrift()) {
                throw new IllegalStateException("the last correction left drift");
            }
            System.out.printf("podinfo, %d rounds: status %d ms, drift %d ms (%.1fx status), upgrade dry run %d ms, "
                            + "correction of one edited Deployment %d ms%n", rounds, median(status), median(drift),
                    (double) median(drift) / Math.max(1, median(status)), median(dryRun), median(correct));
        }
    }

    private static void time(List<Long> into, boolean keep, Supplier<?> call) {
        long t0 = System.nanoTime();
        call.get();
        if (keep) {
            into.add((System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
