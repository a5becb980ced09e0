package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.ObjectRef;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pods a rendered object makes the cluster run once its controller acts (which quota admission sees only then):
 * a Deployment's, ReplicaSet's, ReplicationController's or StatefulSet's replicas, a DaemonSet's one per node, a Job's
 * parallelism (at most its completions), a bare Pod; and the claims a StatefulSet's volume claim templates make.
 */
final class Workloads {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /**
     * Pods of one object.
     *
     * @param object  the object
     * @param pointer where its pod spec is ({@code /spec/template/spec})
     * @param spec    the pod spec
     * @param pods    how many pods run at once
     * @param claims  the PersistentVolumeClaims it makes (a StatefulSet's templates, once per replica)
     */
    record Workload(ObjectRef object, String pointer, PodSpec spec, int pods, List<PersistentVolumeClaim> claims) {
    }

    private Workloads() {
    }

    /**
     * The workload of {@code object}, if it runs pods.
     *
     * @param namespace the namespace it goes to
     * @param nodes     the cluster's node count, for a DaemonSet
     */
    static Optional<Workload> of(Map<String, Object> object, String namespace, int nodes) {
        String kind = KubeObjects.string(object, "kind");
        Map<String, Object> spec = KubeObjects.map(object, "spec");
        ObjectRef ref = KubeObjects.ref(object, namespace);
        return switch (kind) {
            case "Pod" -> Optional.of(new Workload(ref, "/spec", pod(spec), 1, List.of()));
            case "Deployment", "ReplicaSet", "ReplicationController" ->
                    Optional.of(new Workload(ref, "/spec/template/spec", template(spec), replicas(spec), List.of()));
            case "StatefulSet" -> Optional.of(new Workload(ref, "/spec/template/spec", template(spec), replicas(spec),
                    claims(spec.get("volumeClaimTemplates"))));
            case "DaemonSet" -> Optional.of(new Workload(ref, "/spec/template/spec", template(spec), nodes, List.of()));
            case "Job" -> Optional.of(new Workload(ref, "/spec/template/spec", template(spec), jobPods(spec), List.of()));
            default -> Optional.empty();
        };
    }

    private static PodSpec template(Map<String, Object> spec) {
        return pod(KubeObjects.map(KubeObjects.map(spec, "template"), "spec"));
    }

    private static PodSpec pod(Map<String, Object> spec) {
        return SERIALIZATION.convertValue(spec, PodSpec.class);
    }

    /** {@code spec.replicas}, 1 when absent (the API server's default). */
    private static int replicas(Map<String, Object> spec) {
        return integer(spec.get("replicas"), 1);
    }

    /** A Job runs {@code parallelism} pods at once (default 1), never more than its {@code completions}. */
    private static int jobPods(Map<String, Object> spec) {
        int parallelism = integer(spec.get("parallelism"), 1);
        Object completions = spec.get("completions");
        return completions == null ? parallelism : Math.min(parallelism, integer(completions, parallelism));
    }

    private static int integer(Object v, int absent) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        return v == null ? absent : Integer.parseInt(String.valueOf(v));
    }

    static List<PersistentVolumeClaim> claims(Object templates) {
        List<PersistentVolumeClaim> out = new ArrayList<>();
        if (templates instanceof List<?> list) {
            for (Object t : list) {
                out.add(SERIALIZATION.convertValue(t, PersistentVolumeClaim.class));
            }
        }
        return out;
    }

    static PersistentVolumeClaim claim(Map<String, Object> object) {
        return SERIALIZATION.convertValue(object, PersistentVolumeClaim.class);
    }
}
