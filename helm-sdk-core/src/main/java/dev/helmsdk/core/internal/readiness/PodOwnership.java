package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which pods belong to a workload: the ones whose state decides its readiness, and the selector that lists them.
 * Kept apart from {@link ReadinessLoop} because it is pure object inspection (owner references, revisions,
 * observed generations), with no cluster reads or wait bookkeeping.
 */
final class PodOwnership {

    private PodOwnership() {
    }

    /** The pods whose state decides the workload's: for a Deployment, those of its newest ReplicaSet. */
    static List<Pod> owned(HasMetadata workload, List<Pod> pods, List<ReplicaSet> replicaSets) {
        if (workload instanceof Pod p) {
            return List.of(p);
        }
        if (!controllerCaughtUp(workload)) {
            // Its controller has not acted on the current spec yet: the newest pods are still the
            // previous revision's (after a rollback from a crash loop, the crashing ones), not this one's.
            return List.of();
        }
        String ownerUid = workload.getMetadata().getUid();
        if (workload instanceof Deployment) {
            ReplicaSet newest = null;
            for (ReplicaSet rs : replicaSets) {
                if (controlledBy(rs, ownerUid) && (newest == null || newer(rs, newest))) {
                    newest = rs;
                }
            }
            if (newest == null) {
                return List.of();
            }
            ownerUid = newest.getMetadata().getUid();
        }
        List<Pod> out = new ArrayList<>();
        for (Pod pod : pods) {
            if (controlledBy(pod, ownerUid) && !PodProblems.terminating(pod)) {
                out.add(pod);
            }
        }
        // Not-ready pods first, so the detail names one of them; then by name, for stable messages.
        out.sort(Comparator.comparing(PodProblems::isReady).thenComparing(p -> p.getMetadata().getName()));
        return out;
    }

    /** {@code status.observedGeneration >= metadata.generation}, where both are known. */
    private static boolean controllerCaughtUp(HasMetadata workload) {
        Long generation = workload.getMetadata().getGeneration();
        Long observed = null;
        if (workload instanceof Deployment d && d.getStatus() != null) {
            observed = d.getStatus().getObservedGeneration();
        } else if (workload instanceof StatefulSet st && st.getStatus() != null) {
            observed = st.getStatus().getObservedGeneration();
        } else if (workload instanceof DaemonSet ds && ds.getStatus() != null) {
            observed = ds.getStatus().getObservedGeneration();
        } else if (workload instanceof ReplicaSet rs && rs.getStatus() != null) {
            observed = rs.getStatus().getObservedGeneration();
        } else {
            return true;
        }
        return generation == null || observed != null && observed >= generation;
    }

    private static boolean newer(ReplicaSet a, ReplicaSet b) {
        long ra = revision(a);
        long rb = revision(b);
        if (ra != rb) {
            return ra > rb;
        }
        String ca = a.getMetadata().getCreationTimestamp();
        String cb = b.getMetadata().getCreationTimestamp();
        return ca != null && cb != null && ca.compareTo(cb) > 0;
    }

    private static long revision(ReplicaSet rs) {
        Map<String, String> annotations = rs.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get("deployment.kubernetes.io/revision");
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean controlledBy(HasMetadata o, String ownerUid) {
        if (ownerUid == null || o.getMetadata() == null || o.getMetadata().getOwnerReferences() == null) {
            return false;
        }
        for (OwnerReference ref : o.getMetadata().getOwnerReferences()) {
            if (ownerUid.equals(ref.getUid())) {
                return true;
            }
        }
        return false;
    }

    static LabelSelector selector(HasMetadata o) {
        if (o instanceof Deployment d && d.getSpec() != null) {
            return d.getSpec().getSelector();
        } else if (o instanceof StatefulSet s && s.getSpec() != null) {
            return s.getSpec().getSelector();
        } else if (o instanceof DaemonSet d && d.getSpec() != null) {
            return d.getSpec().getSelector();
        } else if (o instanceof ReplicaSet r && r.getSpec() != null) {
            return r.getSpec().getSelector();
        } else if (o instanceof Job j && j.getSpec() != null) {
            return j.getSpec().getSelector();
        }
        return null;
    }
}
