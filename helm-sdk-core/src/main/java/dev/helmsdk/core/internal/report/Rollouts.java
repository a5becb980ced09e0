package dev.helmsdk.core.internal.report;

import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a Deployment's rolling update adds at its peak over the steady state quota is judged on: when an upgrade changes
 * the pod template, the controller runs old and new pods together, at most {@code replicas + maxSurge} of them (maxSurge
 * absolute or a percentage of replicas rounded up, 25% by default), the new ones at most {@code replicas}, the old ones
 * at most as many as ran. Quota must fit that peak, or the rollout stalls with pods refused. Recreate has no surge.
 */
final class Rollouts {

    /**
     * The extra usage per namespace, and why, by quota resource name.
     *
     * @param extra per namespace, what the peak adds over the rendered steady state
     * @param why   per namespace, each rolling Deployment and its surge, for a finding's message
     */
    record Surge(Map<String, Map<String, Quantity>> extra, Map<String, List<String>> why) {

        static final Surge NONE = new Surge(Map.of(), Map.of());
    }

    private Rollouts() {
    }

    /**
     * The surge of the Deployments that {@code rendered} changes from {@code deployed}.
     *
     * @param charged which pods count ({@code null}: all; a scoped quota's selection otherwise)
     */
    static Surge of(List<Map<String, Object>> rendered, List<Map<String, Object>> deployed, String releaseNamespace,
                    Function<String, List<LimitRangeItem>> limitRanges, ReleaseUsage.Charged charged) {
        Map<String, Map<String, Object>> before = new HashMap<>();
        for (Map<String, Object> d : deployed) {
            if ("Deployment".equals(KubeObjects.string(d, "kind"))) {
                before.put(id(d, releaseNamespace), d);
            }
        }
        Map<String, Map<String, Quantity>> extra = new TreeMap<>();
        Map<String, List<String>> why = new TreeMap<>();
        for (Map<String, Object> now : rendered) {
            Map<String, Object> old = before.get(id(now, releaseNamespace));
            if (!"Deployment".equals(KubeObjects.string(now, "kind")) || old == null) {
                continue;
            }
            Map<String, Object> spec = KubeObjects.map(now, "spec");
            Map<String, Object> strategy = KubeObjects.map(spec, "strategy");
            if ("Recreate".equals(KubeObjects.string(strategy, "type"))
                    || Objects.equals(KubeObjects.map(spec, "template"), KubeObjects.map(KubeObjects.map(old, "spec"), "template"))) {
                continue;   // no rollout: the same pods, at most scaled
            }
            String ns = KubeObjects.namespaceOf(now, releaseNamespace);
            Workloads.Workload next = Workloads.of(now, ns, 1).orElseThrow();
            Workloads.Workload prev = Workloads.of(old, ns, 1).orElseThrow();
            Object maxSurge = KubeObjects.map(strategy, "rollingUpdate").getOrDefault("maxSurge", "25%");
            int surge = surge(maxSurge, next.pods());
            if (surge == 0) {
                continue;
            }
            List<LimitRangeItem> items = limitRanges.apply(ns);
            Map<String, Quantity> a = charged(prev, items, charged);
            Map<String, Quantity> b = charged(next, items, charged);
            Map<String, Quantity> out = extra.computeIfAbsent(ns, k -> new TreeMap<>());
            Set<String> keys = new TreeSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String k : keys) {
                BigDecimal peakOverSteady = peak(value(a, k), value(b, k), prev.pods(), next.pods(), surge)
                        .subtract(value(b, k).multiply(BigDecimal.valueOf(next.pods())));
                if (peakOverSteady.signum() > 0) {
                    ReleaseUsage.add(out, k, new Quantity(peakOverSteady.toPlainString()));
                }
            }
            why.computeIfAbsent(ns, k -> new ArrayList<>()).add("Deployment " + next.object().name() + "'s rolling update runs up to "
                    + surge + " pod" + (surge == 1 ? "" : "s") + " beyond its " + next.pods() + " replicas (maxSurge " + maxSurge + ")");
        }
        return new Surge(extra, why);
    }

    /** maxSurge as a pod count: an integer, or a percentage of {@code replicas} rounded up (as the controller does). */
    static int surge(Object maxSurge, int replicas) {
        String s = String.valueOf(maxSurge).trim();
        if (s.endsWith("%")) {
            int percent = Integer.parseInt(s.substring(0, s.length() - 1).trim());
            return (int) Math.ceil(replicas * percent / 100.0);
        }
        return Integer.parseInt(s);
    }

    /**
     * The most {@code a * old + b * new} reaches with {@code old <= min(r0, r1 + s)}, {@code new <= r1} and
     * {@code old + new <= r1 + s}: the larger per-pod amount takes as many pods as it may, the other the rest.
     */
    static BigDecimal peak(BigDecimal a, BigDecimal b, int r0, int r1, int s) {
        int total = r1 + s;
        int oldCap = Math.min(r0, total);
        int oldPods;
        int newPods;
        if (a.compareTo(b) >= 0) {
            oldPods = oldCap;
            newPods = Math.min(r1, total - oldPods);
        } else {
            newPods = Math.min(r1, total);
            oldPods = Math.min(oldCap, total - newPods);
        }
        return a.multiply(BigDecimal.valueOf(oldPods)).add(b.multiply(BigDecimal.valueOf(newPods)));
    }

    private static Map<String, Quantity> charged(Workloads.Workload w, List<LimitRangeItem> items, ReleaseUsage.Charged charged) {
        if (charged != null && !charged.test(w, PodResources.defaulted(w.spec(), items))) {
            return Map.of();
        }
        return ReleaseUsage.perPod(w, items);
    }

    private static BigDecimal value(Map<String, Quantity> m, String k) {
        Quantity q = m.get(k);
        return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
    }

    private static String id(Map<String, Object> o, String releaseNamespace) {
        return KubeObjects.namespaceOf(o, releaseNamespace) + "/" + KubeObjects.string(KubeObjects.map(o, "metadata"), "name");
    }
}
