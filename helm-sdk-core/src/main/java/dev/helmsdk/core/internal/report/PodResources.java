package dev.helmsdk.core.internal.report;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A pod's requests and limits as Kubernetes computes them: each container's after the API server's defaulting
 * (a limit without a request is also the request) and the LimitRange admission's ({@code default} for a missing limit,
 * {@code defaultRequest} for a missing request), then the pod's effective value per resource: the larger of the
 * app containers' sum (sidecars included) and the largest init container's (with the sidecars started before it),
 * plus the pod overhead. Arithmetic in fabric8's {@link Quantity}, exact.
 */
final class PodResources {

    /** The quota resources cpu and memory that ResourceQuota admission requires every container to state. */
    private static final Set<String> REQUIRED_BY_QUOTA = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
            "limits.cpu", "limits.memory");

    /**
     * One container's resources after defaulting.
     *
     * @param name     the container's name
     * @param init     an init container
     * @param sidecar  an init container that keeps running ({@code restartPolicy: Always})
     * @param requests by resource name ({@code cpu})
     * @param limits   by resource name
     */
    record Defaulted(String name, boolean init, boolean sidecar, Map<String, Quantity> requests, Map<String, Quantity> limits) {
    }

    private PodResources() {
    }

    /** Every container of {@code spec} (init containers first, as the pod lists them), defaulted. */
    static List<Defaulted> defaulted(PodSpec spec, List<LimitRangeItem> limitRanges) {
        List<Defaulted> out = new ArrayList<>();
        for (Container c : nullSafe(spec.getInitContainers())) {
            out.add(defaulted(c, true, limitRanges));
        }
        for (Container c : nullSafe(spec.getContainers())) {
            out.add(defaulted(c, false, limitRanges));
        }
        return out;
    }

    private static Defaulted defaulted(Container c, boolean init, List<LimitRangeItem> limitRanges) {
        Map<String, Quantity> requests = new TreeMap<>();
        Map<String, Quantity> limits = new TreeMap<>();
        if (c.getResources() != null) {
            requests.putAll(nullSafe(c.getResources().getRequests()));
            limits.putAll(nullSafe(c.getResources().getLimits()));
        }
        limits.forEach(requests::putIfAbsent);   // the API server's defaulting, before admission
        for (LimitRangeItem item : limitRanges) {
            if ("Container".equals(item.getType())) {
                nullSafe(item.getDefault()).forEach(limits::putIfAbsent);
                nullSafe(item.getDefaultRequest()).forEach(requests::putIfAbsent);
            }
        }
        return new Defaulted(c.getName(), init, init && "Always".equals(c.getRestartPolicy()), requests, limits);
    }

    /** The pod's effective requests ({@code requests.cpu}, ...) and limits ({@code limits.cpu}, ...). */
    static Map<String, Quantity> effective(PodSpec spec, List<Defaulted> containers) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        effective(containers, Defaulted::requests, nullSafe(spec.getOverhead())).forEach((k, v) -> out.put("requests." + k, v));
        effective(containers, Defaulted::limits, nullSafe(spec.getOverhead())).forEach((k, v) -> out.put("limits." + k, v));
        return out;
    }

    /** Kubernetes' PodRequests / PodLimits (resourcehelper), for one of requests or limits. */
    static Map<String, Quantity> effective(List<Defaulted> containers, Function<Defaulted, Map<String, Quantity>> of,
                                           Map<String, Quantity> overhead) {
        Map<String, Quantity> sum = new TreeMap<>();
        Map<String, Quantity> sidecars = new TreeMap<>();
        Map<String, Quantity> initMax = new TreeMap<>();
        for (Defaulted c : containers) {
            if (!c.init()) {
                addAll(sum, of.apply(c));
            }
        }
        for (Defaulted c : containers) {
            if (!c.init()) {
                continue;
            }
            Map<String, Quantity> during;
            if (c.sidecar()) {
                addAll(sum, of.apply(c));
                addAll(sidecars, of.apply(c));
                during = sidecars;
            } else {
                during = new TreeMap<>(sidecars);
                addAll(during, of.apply(c));
            }
            during.forEach((k, v) -> initMax.merge(k, v, PodResources::max));
        }
        initMax.forEach((k, v) -> sum.merge(k, v, PodResources::max));
        addAll(sum, overhead);
        return sum;
    }

    /**
     * The quota resources (of {@code hard}) that a container does not state although ResourceQuota admission requires
     * it (cpu and memory, requests and limits): {@code resource -> containers}. The API server would refuse the pods.
     */
    static Map<String, List<String>> missingForQuota(List<Defaulted> containers, Set<String> hard) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String key : hard) {
            if (!REQUIRED_BY_QUOTA.contains(key)) {
                continue;
            }
            boolean limit = key.startsWith("limits.");
            String resource = key.substring(key.indexOf('.') + 1);
            for (Defaulted c : containers) {
                if (!(limit ? c.limits() : c.requests()).containsKey(resource)) {
                    out.computeIfAbsent(limit ? key : "requests." + resource, k -> new ArrayList<>()).add(c.name());
                }
            }
        }
        out.replaceAll((k, v) -> v.stream().distinct().toList());
        return out;
    }

    static void addAll(Map<String, Quantity> into, Map<String, Quantity> add) {
        add.forEach((k, v) -> into.merge(k, v, Quantity::add));
    }

    static Quantity max(Quantity a, Quantity b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static <K, V> Map<K, V> nullSafe(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }
}
