package dev.helmsdk.examples;

import dev.helmsdk.testkit.KubernetesControlPlane;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Start-up and shut-down time of the real test control plane (kube-apiserver, controller-manager,
 * scheduler, etcd, KWOK), median of several starts in one JVM.
 *
 * <pre>ControlPlaneBench [RUNS]   (default 7)</pre>
 */
public final class ControlPlaneBench {

    private ControlPlaneBench() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<Long> ready = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        List<Long> stop = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            KubernetesControlPlane cp = KubernetesControlPlane.start();
            wall.add((System.nanoTime() - t0) / 1_000_000);
            ready.add(cp.startupTime().toMillis());
            long t1 = System.nanoTime();
            cp.close();
            stop.add((System.nanoTime() - t1) / 1_000_000);
            System.out.printf("run %d: ready in %d ms (start() %d ms), closed in %d ms%n", i + 1, ready.get(i), wall.get(i), stop.get(i));
        }
        System.out.printf("median of %d: ready %d ms, start() %d ms, close() %d ms%n", runs, median(ready), median(wall), median(stop));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
