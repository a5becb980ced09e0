package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.ObjectRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pod specs inside rendered objects, located by JSON pointer, for the built-in validators. */
final class PodTemplates {

    private static final Set<String> TEMPLATED = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "ReplicationController", "Job");

    private PodTemplates() {
    }

    /**
     * A pod spec in an object.
     *
     * @param object      the object
     * @param at          the pod spec's JSON pointer in it ({@code /spec/template/spec})
     * @param spec        the pod spec
     * @param longRunning whether its pods are meant to keep running (not a Job's or CronJob's)
     */
    record PodSpec(ObjectRef object, String at, Map<String, Object> spec, boolean longRunning) {
    }

    /**
     * A container of a pod spec.
     *
     * @param at   its JSON pointer in the object ({@code /spec/template/spec/containers/0})
     * @param init whether it is an init container
     */
    record Container(PodSpec pod, String at, String name, Map<String, Object> container, boolean init) {
    }

    static List<PodSpec> of(List<Map<String, Object>> objects, String defaultNamespace) {
        List<PodSpec> out = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            String kind = String.valueOf(o.get("kind"));
            String at;
            if ("Pod".equals(kind)) {
                at = "/spec";
            } else if ("CronJob".equals(kind)) {
                at = "/spec/jobTemplate/spec/template/spec";
            } else if (TEMPLATED.contains(kind)) {
                at = "/spec/template/spec";
            } else {
                continue;
            }
            if (get(o, at) instanceof Map<?, ?> spec) {
                @SuppressWarnings("unchecked")
                Map<String, Object> podSpec = (Map<String, Object>) spec;
                out.add(new PodSpec(ref(o, defaultNamespace), at, podSpec, !"Job".equals(kind) && !"CronJob".equals(kind)));
            }
        }
        return out;
    }

    static List<Container> containers(List<Map<String, Object>> objects, String defaultNamespace) {
        List<Container> out = new ArrayList<>();
        for (PodSpec pod : of(objects, defaultNamespace)) {
            for (String list : List.of("initContainers", "containers")) {
                if (pod.spec().get(list) instanceof List<?> cs) {
                    for (int i = 0; i < cs.size(); i++) {
                        if (cs.get(i) instanceof Map<?, ?> c) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> container = (Map<String, Object>) c;
                            out.add(new Container(pod, pod.at() + "/" + list + "/" + i, String.valueOf(container.get("name")),
                                    container, list.equals("initContainers")));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The object's reference; a namespaced object without a namespace is in the release's. */
    static ObjectRef ref(Map<String, Object> o, String defaultNamespace) {
        Object ns = get(o, "/metadata/namespace");
        Object name = get(o, "/metadata/name");
        return new ObjectRef(String.valueOf(o.getOrDefault("apiVersion", "")), String.valueOf(o.getOrDefault("kind", "")),
                ns != null ? String.valueOf(ns) : defaultNamespace, name == null ? "" : String.valueOf(name));
    }

    /** The value at a JSON pointer (without escapes), or {@code null}. */
    static Object get(Object root, String pointer) {
        Object at = root;
        for (String token : pointer.substring(1).split("/")) {
            if (at instanceof Map<?, ?> m) {
                at = m.get(token);
            } else {
                return null;
            }
        }
        return at;
    }
}
