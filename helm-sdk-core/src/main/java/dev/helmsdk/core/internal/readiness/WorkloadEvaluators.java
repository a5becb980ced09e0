package dev.helmsdk.core.internal.readiness;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.ArrayList;
import java.util.List;

import static dev.helmsdk.core.internal.readiness.KindEvaluators.generation;
import static dev.helmsdk.core.internal.readiness.KindEvaluators.join;
import static dev.helmsdk.core.internal.readiness.KindEvaluators.list;
import static dev.helmsdk.core.internal.readiness.KindEvaluators.n;
import static dev.helmsdk.core.internal.readiness.KindEvaluators.oldReplicas;

/**
 * The readiness rules of the workload controllers' kinds (Deployment, StatefulSet, DaemonSet,
 * ReplicaSet), with kstatus' meaning of "ready"; {@link KindEvaluators} dispatches to them.
 */
final class WorkloadEvaluators {

    private WorkloadEvaluators() {
    }

    /**
     * Ready when the controller has observed the current generation, every replica is updated, ready and available,
     * and no old replica is left. {@code Progressing=False} with reason {@code ProgressDeadlineExceeded} is a failure.
     * A paused Deployment is ready (as for Helm: nothing will progress).
     */
    public static Evaluation deployment(Deployment d) {
        DeploymentStatus st = d.getStatus();
        if (st == null) {
            return Evaluation.waiting("waiting for the controller");
        }
        Evaluation stale = generation(d, st.getObservedGeneration());
        if (stale != null) {
            return stale;
        }
        for (DeploymentCondition c : list(st.getConditions())) {
            if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())
                    && "ProgressDeadlineExceeded".equals(c.getReason())) {
                return Evaluation.failed("ProgressDeadlineExceeded", c.getMessage());
            }
        }
        if (d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused())) {
            return Evaluation.ready("paused");
        }
        int replicas = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int current = n(st.getReplicas());
        int updated = n(st.getUpdatedReplicas());
        int ready = n(st.getReadyReplicas());
        int available = n(st.getAvailableReplicas());
        String counts = ready + "/" + replicas + " ready";
        List<String> more = new ArrayList<>();
        if (updated < replicas) {
            more.add(updated + "/" + replicas + " updated");
        }
        if (current > replicas) {
            more.add(oldReplicas(current - replicas));
        }
        if (ready >= replicas && available < replicas) {
            more.add(available + "/" + replicas + " available");
        }
        if (ready < replicas || !more.isEmpty()) {
            String why = "";
            for (DeploymentCondition c : list(st.getConditions())) {
                if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
                    why = "ReplicaFailure: " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
                }
            }
            return Evaluation.waiting(join(counts, more), why);
        }
        return Evaluation.ready(counts);
    }

    /**
     * Ready when the controller has observed the current generation and every replica is ready; for the
     * RollingUpdate strategy also updated and current, with {@code currentRevision == updateRevision} (with a
     * partition: the replicas from the partition up are updated). OnDelete: ready replicas suffice.
     */
    public static Evaluation statefulSet(StatefulSet s) {
        StatefulSetStatus st = s.getStatus();
        if (st == null) {
            return Evaluation.waiting("waiting for the controller");
        }
        Evaluation stale = generation(s, st.getObservedGeneration());
        if (stale != null) {
            return stale;
        }
        int replicas = s.getSpec() == null || s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        int current = n(st.getReplicas());
        int ready = n(st.getReadyReplicas());
        int updated = n(st.getUpdatedReplicas());
        int currentReplicas = n(st.getCurrentReplicas());
        String counts = ready + "/" + replicas + " ready";
        if (current > replicas) {
            return Evaluation.waiting(join(counts, List.of(oldReplicas(current - replicas))));
        }
        if (ready < replicas) {
            return Evaluation.waiting(updated < replicas ? join(counts, List.of(updated + "/" + replicas + " updated")) : counts);
        }
        var strategy = s.getSpec() == null ? null : s.getSpec().getUpdateStrategy();
        if (strategy != null && "OnDelete".equals(strategy.getType())) {
            return Evaluation.ready(counts);
        }
        int partition = strategy == null || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getPartition() == null ? 0 : strategy.getRollingUpdate().getPartition();
        if (partition > 0) {
            int expected = Math.max(0, replicas - partition);
            return updated < expected ? Evaluation.waiting(join(counts, List.of(updated + "/" + expected + " updated")))
                    : Evaluation.ready(counts);
        }
        if (updated < replicas) {
            return Evaluation.waiting(join(counts, List.of(updated + "/" + replicas + " updated")));
        }
        String cur = st.getCurrentRevision();
        String upd = st.getUpdateRevision();
        if (cur != null && upd != null && !cur.equals(upd)) {
            return Evaluation.waiting(join(counts, List.of("rolling out revision " + upd)));
        }
        if (currentReplicas < replicas) {
            return Evaluation.waiting(join(counts, List.of(currentReplicas + "/" + replicas + " current")));
        }
        return Evaluation.ready(counts);
    }

    /** Ready when every node that should run a pod runs an updated, ready and available one. */
    public static Evaluation daemonSet(DaemonSet d) {
        DaemonSetStatus st = d.getStatus();
        if (st == null || st.getDesiredNumberScheduled() == null) {
            return Evaluation.waiting("waiting for the controller");
        }
        Evaluation stale = generation(d, st.getObservedGeneration());
        if (stale != null) {
            return stale;
        }
        int desired = st.getDesiredNumberScheduled();
        int ready = n(st.getNumberReady());
        int updated = n(st.getUpdatedNumberScheduled());
        int available = n(st.getNumberAvailable());
        String counts = ready + "/" + desired + " ready";
        List<String> more = new ArrayList<>();
        if (updated < desired) {
            more.add(updated + "/" + desired + " updated");
        }
        if (ready >= desired && available < desired) {
            more.add(available + "/" + desired + " available");
        }
        if (ready < desired || !more.isEmpty()) {
            return Evaluation.waiting(join(counts, more));
        }
        return Evaluation.ready(counts);
    }

    /** Ready when the controller has observed the current generation and every replica is ready and available. */
    public static Evaluation replicaSet(ReplicaSet r) {
        ReplicaSetStatus st = r.getStatus();
        if (st == null) {
            return Evaluation.waiting("waiting for the controller");
        }
        Evaluation stale = generation(r, st.getObservedGeneration());
        if (stale != null) {
            return stale;
        }
        int replicas = r.getSpec() == null || r.getSpec().getReplicas() == null ? 1 : r.getSpec().getReplicas();
        int ready = n(st.getReadyReplicas());
        int available = n(st.getAvailableReplicas());
        int current = n(st.getReplicas());
        String counts = ready + "/" + replicas + " ready";
        if (current > replicas) {
            return Evaluation.waiting(join(counts, List.of(oldReplicas(current - replicas))));
        }
        if (ready < replicas || available < replicas) {
            String why = "";
            for (var c : list(st.getConditions())) {
                if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
                    why = "ReplicaFailure: " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
                }
            }
            return Evaluation.waiting(ready < replicas ? counts : join(counts, List.of(available + "/" + replicas + " available")), why);
        }
        return Evaluation.ready(counts);
    }
}
