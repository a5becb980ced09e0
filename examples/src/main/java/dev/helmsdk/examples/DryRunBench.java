package dev.helmsdk.examples;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.KubernetesControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dry-run report end to end on the real test control plane, against Helm's own {@code --dry-run=server} (helm-java
 * in process), side by side in one run, calls interleaved: podinfo installed, then per round an upgrade dry run with
 * changed values, a no-op upgrade dry run (the same chart and values) and a rollback's dry run to revision 1 (no Helm equivalent:
 * helm-java has no rollback). The SDK's report runs every check its defaults run (server-side apply dry run of every
 * object, diff, conflicts, immutable fields, RBAC, quota against a ResourceQuota in the namespace, values schema, lint);
 * Helm's server dry run checks reachability and ownership only. Prints medians and the ratio.
 *
 * <pre>DryRunBench [PODINFO_DIR] [ROUNDS [WARMUP]]   (default ../shared/charts/podinfo, 15 rounds after 5 warm-up)</pre>
 */
public final class DryRunBench {

    private DryRunBench() {
    }

    private interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path podinfo = Path.of(args.length > 0 ? args[0] : "../shared/charts/podinfo").toAbsolutePath().normalize();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String ns = "bench";
        ChartRef chart = ChartRef.local(podinfo);
        try (KubernetesControlPlane cp = KubernetesControlPlane.start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cp.kubeConfigPath()).defaultNamespace(ns).build()) {
            Path kc = cp.kubeConfigPath();
            cp.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            cp.client().resourceQuotas().inNamespace(ns).resource(new ResourceQuotaBuilder().withNewMetadata().withName("compute")
                    .endMetadata().withNewSpec().addToHard("requests.cpu", new Quantity("8")).addToHard("pods", new Quantity("50"))
                    .endSpec().build()).create();
            helm.install("web").chart(chart).run();
            helm.upgrade("web").chart(chart).set("replicaCount", 2).run();
            helm.upgrade("web").chart(chart).run();   // no values given: Helm reuses revision 2's, so revision 3 equals it

            Map<String, Op> ops = new LinkedHashMap<>();
            ops.put("sdk upgrade (changed values)", () -> expect(helm.upgrade("web").chart(chart).set("logLevel", "debug")
                    .set("replicaCount", 2).dryRun(), true));
            ops.put("helm upgrade --dry-run=server (changed values)", () -> Helm.upgrade(podinfo.toString()).withName("web")
                    .withNamespace(ns).withKubeConfig(kc).dryRun().withDryRunOption(DryRun.SERVER).set("logLevel", "debug")
                    .set("replicaCount", "2").call());
            ops.put("sdk upgrade (no-op)", () -> expect(helm.upgrade("web").chart(chart).dryRun(), false));
            ops.put("helm upgrade --dry-run=server (no-op)", () -> Helm.upgrade(podinfo.toString()).withName("web").withNamespace(ns)
                    .withKubeConfig(kc).dryRun().withDryRunOption(DryRun.SERVER).call());
            ops.put("sdk rollback to 1", () -> expect(helm.rollback("web").toRevision(1).dryRun(), true));

            Map<String, List<Long>> millis = new LinkedHashMap<>();
            ops.keySet().forEach(k -> millis.put(k, new ArrayList<>()));
            List<String> names = new ArrayList<>(ops.keySet());
            for (int round = 0; round < warmup + rounds; round++) {
                if (round % 2 == 1) {
                    Collections.reverse(names);   // alternate which goes first, so noise hits both alike
                }
                for (String name : names) {
                    long t0 = System.nanoTime();
                    ops.get(name).run();
                    if (round >= warmup) {
                        millis.get(name).add((System.nanoTime() - t0) / 1_000_000);
                    }
                }
            }
            DryRunResult sample = helm.upgrade("web").chart(chart).set("logLevel", "debug").dryRun();
            System.out.printf("podinfo on the control plane, %d rounds after %d warm-up; the SDK's report: %d changes, %d findings, %s%n",
                    rounds, warmup, sample.changes().size(), sample.findings().size(), sample.verdict().tag());
            millis.forEach((name, ms) -> System.out.printf("%-50s median %5d ms  (min %d, max %d)%n", name, median(ms),
                    Collections.min(ms), Collections.max(ms)));
            System.out.printf("ratio sdk/helm: changed values %.2f, no-op %.2f%n",
                    (double) median(millis.get("sdk upgrade (changed values)")) / median(millis.get("helm upgrade --dry-run=server (changed values)")),
                    (double) median(millis.get("sdk upgrade (no-op)")) / median(millis.get("helm upgrade --dry-run=server (no-op)")));
        }
    }

    /** Fails the bench when the report is not what it should be: a timing of a wrong answer is worth nothing. */
    private static void expect(DryRunResult r, boolean changes) {
        if (r.hasChanges() != changes || r.verdict() == dev.helmsdk.api.report.Verdict.FAIL) {
            throw new IllegalStateException("unexpected report: " + r.changes().size() + " changes, findings " + r.findings());
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
