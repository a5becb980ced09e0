package dev.helmsdk.core.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields the API server lets no update change, compared between the live object and what the change renders:
 * workload selectors, a Service's assigned cluster IPs, a Job's pod template, and a StatefulSet's spec beyond the
 * fields it allows to change (the server: "updates to statefulset spec for fields other than 'replicas', 'ordinals',
 * 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden").
 */
final class ImmutableFieldRules {

    private static final Set<String> SELECTED = Set.of("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet");
    /** StatefulSet spec fields an update may change; {@code revisionHistoryLimit} too, by the API's own validation. */
    private static final Set<String> STATEFULSET_MUTABLE = Set.of("replicas", "ordinals", "template", "updateStrategy",
            "persistentVolumeClaimRetentionPolicy", "minReadySeconds", "revisionHistoryLimit");

    private ImmutableFieldRules() {
    }

    /** The JSON pointers of the immutable fields {@code rendered} would change in {@code live}; empty when none. */
    static List<String> changed(String kind, Map<String, Object> live, Map<String, Object> rendered) {
        Map<?, ?> was = spec(live);
        Map<?, ?> will = spec(rendered);
        List<String> out = new ArrayList<>();
        if (SELECTED.contains(kind) && will.containsKey("selector") && !ObjectDiff.same("/spec/selector", was.get("selector"), will.get("selector"))) {
            out.add("/spec/selector");
        }
        switch (kind) {
            case "Service" -> {
                if (assigned(was.get("clusterIP")) && assigned(will.get("clusterIP")) && !was.get("clusterIP").equals(will.get("clusterIP"))) {
                    out.add("/spec/clusterIP");
                }
                if (was.get("clusterIPs") instanceof List<?> a && !a.isEmpty() && will.get("clusterIPs") instanceof List<?> b && !b.isEmpty()
                        && !a.equals(b)) {
                    out.add("/spec/clusterIPs");
                }
            }
            // the server adds labels and defaults to a Job's template: only what the chart sets must match
            case "Job" -> {
                if (will.containsKey("template") && !ObjectDiff.covers("/spec/template", was.get("template"), will.get("template"))) {
                    out.add("/spec/template");
                }
            }
            case "StatefulSet" -> {
                for (Map.Entry<?, ?> e : will.entrySet()) {
                    String field = String.valueOf(e.getKey());
                    String pointer = JsonPointers.child("/spec", field);
                    if (!STATEFULSET_MUTABLE.contains(field) && !field.equals("selector")
                            && !ObjectDiff.covers(pointer, was.get(field), e.getValue())) {
                        out.add(pointer);
                    }
                }
            }
            default -> { }
        }
        return out;
    }

    private static boolean assigned(Object ip) {
        return ip instanceof String s && !s.isEmpty();
    }

    private static Map<?, ?> spec(Map<String, Object> object) {
        return object.get("spec") instanceof Map<?, ?> m ? m : Map.of();
    }
}
