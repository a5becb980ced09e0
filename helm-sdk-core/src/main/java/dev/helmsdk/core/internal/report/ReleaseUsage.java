package dev.helmsdk.core.internal.report;

import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a set of objects counts against ResourceQuota, per namespace, by quota resource name: object counts
 * ({@code count/deployments.apps}, and the core names {@code services}, {@code secrets}, ...), the pods their
 * controllers will run ({@code pods}) times each pod's effective requests and limits ({@code requests.cpu},
 * {@code cpu}, {@code limits.memory}, ...), and the claims' storage ({@code requests.storage}).
 */
final class ReleaseUsage {

    /** Core resources quota also counts under their bare name. */
    private static final Set<String> BARE_COUNTS = Set.of("services", "secrets", "configmaps", "persistentvolumeclaims",
            "replicationcontrollers", "resourcequotas");
    private static final Quantity ONE = new Quantity("1");

    private ReleaseUsage() {
    }

    /**
     * The usage of {@code objects}.
     *
     * @param limitRanges the LimitRange items of a namespace, whose defaults apply to containers
     * @param nodes       how many pods a DaemonSet runs
     */
    static Map<String, Map<String, Quantity>> of(List<Map<String, Object>> objects, String releaseNamespace, ApiResources resources,
                                                 Function<String, List<LimitRangeItem>> limitRanges, int nodes) {
        return of(objects, releaseNamespace, resources, limitRanges, nodes, null);
    }

    /**
     * The usage of {@code objects} that a scoped quota is charged: only the pods it selects, with their requests and
     * limits ({@code null}: every object, as an unscoped quota counts them).
     */
    static Map<String, Map<String, Quantity>> of(List<Map<String, Object>> objects, String releaseNamespace, ApiResources resources,
                                                 Function<String, List<LimitRangeItem>> limitRanges, int nodes, Charged charged) {
        Map<String, Map<String, Quantity>> out = new TreeMap<>();
        for (Map<String, Object> o : objects) {
            if (KubeObjects.testHook(o)) {
                continue;
            }
            String kind = KubeObjects.string(o, "kind");
            ApiResources.Resource r = resources.resource(KubeObjects.string(o, "apiVersion"), kind);
            if (!r.namespaced()) {
                continue;   // quota is per namespace
            }
            String ns = KubeObjects.namespaceOf(o, releaseNamespace);
            Map<String, Quantity> usage = out.computeIfAbsent(ns, k -> new TreeMap<>());
            if (charged != null) {
                Workloads.of(o, ns, nodes).ifPresent(w -> {
                    List<PodResources.Defaulted> containers = PodResources.defaulted(w.spec(), limitRanges.apply(ns));
                    if (charged.test(w, containers)) {
                        perPod(w, limitRanges.apply(ns)).forEach((k, v) -> add(usage, k, v.multiply(w.pods())));
                    }
                });
                continue;
            }
            if (!"Pod".equals(kind)) {
                count(usage, r);
            }
            if ("Service".equals(kind)) {
                service(usage, KubeObjects.map(o, "spec"));
            } else if ("PersistentVolumeClaim".equals(kind)) {
                claim(usage, Workloads.claim(o), 1);
            }
            Optional<Workloads.Workload> w = Workloads.of(o, ns, nodes);
            if (w.isPresent()) {
                pods(usage, w.get(), limitRanges.apply(ns));
            }
        }
        return out;
    }

    /** {@code after - before}, per namespace and resource (negative where the upgrade frees something). */
    static Map<String, Map<String, Quantity>> delta(Map<String, Map<String, Quantity>> after,
                                                    Map<String, Map<String, Quantity>> before) {
        Map<String, Map<String, Quantity>> out = new TreeMap<>();
        after.forEach((ns, usage) -> out.put(ns, new TreeMap<>(usage)));
        before.forEach((ns, usage) -> usage.forEach((k, v) ->
                out.computeIfAbsent(ns, n -> new TreeMap<>()).merge(k, v.multiply(-1), Quantity::add)));
        return out;
    }

    static void add(Map<String, Quantity> usage, String key, Quantity amount) {
        usage.merge(key, amount, Quantity::add);
    }

    private static void count(Map<String, Quantity> usage, ApiResources.Resource r) {
        add(usage, "count/" + r.qualified(), ONE);
        if (r.group().isEmpty() && BARE_COUNTS.contains(r.resource())) {
            add(usage, r.resource(), ONE);
        }
    }

    private static void service(Map<String, Quantity> usage, Map<String, Object> spec) {
        String type = KubeObjects.string(spec, "type");
        if ("LoadBalancer".equals(type)) {
            add(usage, "services.loadbalancers", ONE);
        }
        if ("LoadBalancer".equals(type) || "NodePort".equals(type)) {
            int ports = spec.get("ports") instanceof List<?> l ? l.size() : 0;
            add(usage, "services.nodeports", new Quantity(Integer.toString(ports)));
        }
    }

    private static void claim(Map<String, Quantity> usage, PersistentVolumeClaim claim, int times) {
        Quantity storage = claim.getSpec() == null || claim.getSpec().getResources() == null
                || claim.getSpec().getResources().getRequests() == null ? null
                : claim.getSpec().getResources().getRequests().get("storage");
        Quantity n = new Quantity(Integer.toString(times));
        String storageClass = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
        if (times > 0 && storage != null) {
            add(usage, "requests.storage", storage.multiply(times));
            if (storageClass != null) {
                add(usage, storageClass + ".storageclass.storage.k8s.io/requests.storage", storage.multiply(times));
            }
        }
        if (storageClass != null) {
            add(usage, storageClass + ".storageclass.storage.k8s.io/persistentvolumeclaims", n);
        }
    }

    /** Whether a scoped quota is charged a workload's pods, given their containers after LimitRange defaults. */
    @FunctionalInterface
    interface Charged {
        boolean test(Workloads.Workload workload, List<PodResources.Defaulted> containers);
    }

    /** What one pod of {@code w} counts: itself, and its effective requests and limits under every quota name. */
    static Map<String, Quantity> perPod(Workloads.Workload w, List<LimitRangeItem> limitRanges) {
        Map<String, Quantity> usage = new TreeMap<>();
        add(usage, "pods", ONE);
        add(usage, "count/pods", ONE);
        PodResources.effective(w.spec(), PodResources.defaulted(w.spec(), limitRanges)).forEach((k, v) -> {
            add(usage, k, v);
            if (k.startsWith("requests.")) {
                add(usage, k.substring("requests.".length()), v);   // quota's bare cpu is requests.cpu
            }
        });
        return usage;
    }

    private static void pods(Map<String, Quantity> usage, Workloads.Workload w, List<LimitRangeItem> limitRanges) {
        Quantity n = new Quantity(Integer.toString(w.pods()));
        perPod(w, limitRanges).forEach((k, v) -> add(usage, k, v.multiply(w.pods())));
        for (PersistentVolumeClaim c : w.claims()) {
            add(usage, "persistentvolumeclaims", n);
            add(usage, "count/persistentvolumeclaims", n);
            claim(usage, c, w.pods());
        }
    }
}
