package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The readiness rule of each kind, with the meaning kstatus gives "ready" ({@code Current}): pure functions of an
 * object's spec and status. Kinds without a rule (ConfigMap, Secret, ServiceAccount, RBAC, ...) are ready once they
 * exist. These rules look at the object alone; failures seen only on pods (crash loops, image pulls) are
 * {@link PodProblems}'s.
 */
final class KindEvaluators {

    private KindEvaluators() {
    }

    /** Whether readiness of this object is more than its existence, i.e. its status must be read again each poll. */
    public static boolean hasStatusRule(Class<?> type) {
        return type == Deployment.class || type == StatefulSet.class || type == DaemonSet.class
                || type == ReplicaSet.class || type == Job.class || type == Pod.class
                || type == PersistentVolumeClaim.class || type == Service.class
                || type == CustomResourceDefinition.class || type == GenericKubernetesResource.class;
    }

    /** Applies the rule of the object's kind. */
    public static Evaluation evaluate(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        if (object.getMetadata() != null && object.getMetadata().getDeletionTimestamp() != null) {
            return Evaluation.waiting("being deleted");
        }
        if (object instanceof Deployment d) {
            return WorkloadEvaluators.deployment(d);
        } else if (object instanceof StatefulSet s) {
            return WorkloadEvaluators.statefulSet(s);
        } else if (object instanceof DaemonSet d) {
            return WorkloadEvaluators.daemonSet(d);
        } else if (object instanceof ReplicaSet r) {
            return WorkloadEvaluators.replicaSet(r);
        } else if (object instanceof Job j) {
            return job(j);
        } else if (object instanceof Pod p) {
            return pod(p);
        } else if (object instanceof PersistentVolumeClaim c) {
            return persistentVolumeClaim(c);
        } else if (object instanceof Service s) {
            return service(s);
        } else if (object instanceof CustomResourceDefinition c) {
            return customResourceDefinition(c);
        } else if (object instanceof GenericKubernetesResource g) {
            return customResource(g);
        }
        return Evaluation.ready("exists");
    }

    // ---- other kinds ----------------------------------------------------------------------------

    /**
     * Ready with the condition {@code Complete=True}; failed with {@code Failed=True} (e.g. BackoffLimitExceeded,
     * DeadlineExceeded) or {@code FailureTarget=True} (the controller has decided the Job fails and is ending its
     * pods).
     */
    public static Evaluation job(Job j) {
        JobStatus st = j.getStatus();
        List<JobCondition> conditions = st == null ? List.of() : list(st.getConditions());
        for (String type : new String[] {"Failed", "FailureTarget"}) {
            for (JobCondition c : conditions) {
                if (type.equals(c.getType()) && "True".equals(c.getStatus())) {
                    return Evaluation.failed(c.getReason() == null ? "JobFailed" : c.getReason(), c.getMessage());
                }
            }
        }
        for (JobCondition c : conditions) {
            if ("Complete".equals(c.getType()) && "True".equals(c.getStatus())) {
                return Evaluation.ready("Complete");
            }
        }
        if (j.getSpec() != null && Boolean.TRUE.equals(j.getSpec().getSuspend())) {
            return Evaluation.waiting("suspended");
        }
        int completions = j.getSpec() == null || j.getSpec().getCompletions() == null ? 1 : j.getSpec().getCompletions();
        int succeeded = st == null ? 0 : n(st.getSucceeded());
        int active = st == null ? 0 : n(st.getActive());
        int failed = st == null ? 0 : n(st.getFailed());
        List<String> more = new ArrayList<>();
        more.add(active + " active");
        if (failed > 0) {
            more.add(failed + " failed");
        }
        return Evaluation.waiting(join(succeeded + "/" + completions + " succeeded", more));
    }

    /** Ready when {@code Ready=True} or in phase {@code Succeeded}; failed in phase {@code Failed}. */
    public static Evaluation pod(Pod p) {
        var st = p.getStatus();
        String phase = st == null || st.getPhase() == null ? "Pending" : st.getPhase();
        if ("Succeeded".equals(phase)) {
            return Evaluation.ready("Succeeded");
        }
        if ("Failed".equals(phase)) {
            String reason = st.getReason() != null && !st.getReason().isEmpty() ? st.getReason() : "PodFailed";
            String message = st.getMessage() != null && !st.getMessage().isEmpty() ? st.getMessage() : terminations(p);
            return Evaluation.failed(reason, message);
        }
        for (PodCondition c : st == null ? List.<PodCondition>of() : list(st.getConditions())) {
            if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
                return Evaluation.ready("Ready");
            }
        }
        return Evaluation.waiting("Running".equals(phase) ? "not ready" : phase);
    }

    /** Ready in phase {@code Bound}; failed in phase {@code Lost} (its volume is gone). */
    public static Evaluation persistentVolumeClaim(PersistentVolumeClaim c) {
        String phase = c.getStatus() == null || c.getStatus().getPhase() == null ? "Pending" : c.getStatus().getPhase();
        if ("Bound".equals(phase)) {
            return Evaluation.ready("Bound");
        }
        if ("Lost".equals(phase)) {
            return Evaluation.failed("Lost", "the claim's persistent volume no longer exists");
        }
        return Evaluation.waiting(phase);
    }

    /**
     * Ready when it has a cluster IP (headless and ExternalName services need none); a LoadBalancer also needs an
     * address in {@code status.loadBalancer.ingress}.
     */
    public static Evaluation service(Service s) {
        var spec = s.getSpec();
        String type = spec == null || spec.getType() == null ? "ClusterIP" : spec.getType();
        if ("ExternalName".equals(type)) {
            return Evaluation.ready("ExternalName");
        }
        String clusterIp = spec == null ? null : spec.getClusterIP();
        if ("LoadBalancer".equals(type)) {
            List<LoadBalancerIngress> ingress = s.getStatus() == null || s.getStatus().getLoadBalancer() == null ? List.of()
                    : list(s.getStatus().getLoadBalancer().getIngress());
            if (ingress.isEmpty()) {
                return Evaluation.waiting("waiting for a load balancer address");
            }
            LoadBalancerIngress first = ingress.get(0);
            return Evaluation.ready("load balancer " + (first.getIp() != null ? first.getIp() : first.getHostname()));
        }
        if ("None".equals(clusterIp)) {
            return Evaluation.ready("headless");
        }
        if (clusterIp == null || clusterIp.isEmpty()) {
            return Evaluation.waiting("waiting for a cluster IP");
        }
        return Evaluation.ready("cluster IP " + clusterIp);
    }

    /** Ready with {@code Established=True}; failed with {@code NamesAccepted=False} (a name conflict). */
    public static Evaluation customResourceDefinition(CustomResourceDefinition c) {
        List<CustomResourceDefinitionCondition> conditions = c.getStatus() == null ? List.of() : list(c.getStatus().getConditions());
        for (CustomResourceDefinitionCondition cond : conditions) {
            if ("NamesAccepted".equals(cond.getType()) && "False".equals(cond.getStatus())) {
                return Evaluation.failed(cond.getReason() == null ? "NamesNotAccepted" : cond.getReason(), cond.getMessage());
            }
        }
        for (CustomResourceDefinitionCondition cond : conditions) {
            if ("Established".equals(cond.getType()) && "True".equals(cond.getStatus())) {
                return Evaluation.ready("Established");
            }
        }
        return Evaluation.waiting("not established yet");
    }

    /**
     * Any other kind, with kstatus's conventions for {@code status.conditions}: {@code Stalled=True} is a failure
     * (typically with {@code Ready=False}); {@code Ready=True} is ready, once {@code status.observedGeneration} (when
     * present) has caught up; {@code Ready} not true, or {@code Reconciling=True}, is waiting. Without such
     * conditions the object is ready once it exists, as kstatus has it.
     */
    public static Evaluation customResource(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties() == null ? null : r.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> st)) {
            return Evaluation.ready("exists");
        }
        List<Map<?, ?>> conditions = new ArrayList<>();
        if (st.get("conditions") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    conditions.add(m);
                }
            }
        }
        Map<?, ?> stalled = condition(conditions, "Stalled");
        if (stalled != null && "True".equals(stalled.get("status"))) {
            return Evaluation.failed(text(stalled.get("reason"), "Stalled"), text(stalled.get("message"), ""));
        }
        Long observed = st.get("observedGeneration") instanceof Number num ? num.longValue() : null;
        if (observed != null) {
            Evaluation stale = generation(r, observed);
            if (stale != null) {
                return stale;
            }
        }
        Map<?, ?> reconciling = condition(conditions, "Reconciling");
        if (reconciling != null && "True".equals(reconciling.get("status"))) {
            return Evaluation.waiting("Reconciling" + suffix(reconciling.get("reason")), text(reconciling.get("message"), ""));
        }
        Map<?, ?> ready = condition(conditions, "Ready");
        if (ready == null) {
            return Evaluation.ready("exists");
        }
        if ("True".equals(ready.get("status"))) {
            return Evaluation.ready("Ready");
        }
        return Evaluation.waiting("Ready=" + text(ready.get("status"), "Unknown") + suffix(ready.get("reason")),
                text(ready.get("message"), ""));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static Evaluation generation(HasMetadata o, Long observedGeneration) {
        Long generation = o.getMetadata() == null ? null : o.getMetadata().getGeneration();
        if (generation != null && (observedGeneration == null || observedGeneration < generation)) {
            return Evaluation.waiting("waiting for the controller to observe generation " + generation);
        }
        return null;
    }

    /** How the containers of a failed pod ended, e.g. {@code container app exited with 1 (Error)}. */
    static String terminations(Pod p) {
        List<String> out = new ArrayList<>();
        if (p.getStatus() != null) {
            for (ContainerStatus cs : list(p.getStatus().getContainerStatuses())) {
                var t = cs.getState() == null ? null : cs.getState().getTerminated();
                if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
                    out.add("container " + cs.getName() + " exited with " + t.getExitCode()
                            + (t.getReason() == null ? "" : " (" + t.getReason() + ")"));
                }
            }
        }
        return String.join(", ", out);
    }

    static Map<?, ?> condition(List<Map<?, ?>> conditions, String type) {
        for (Map<?, ?> c : conditions) {
            if (type.equals(c.get("type"))) {
                return c;
            }
        }
        return null;
    }

    static String text(Object o, String fallback) {
        return o == null || o.toString().isEmpty() ? fallback : o.toString();
    }

    static String suffix(Object reason) {
        return reason == null || reason.toString().isEmpty() ? "" : ": " + reason;
    }

    static String oldReplicas(int n) {
        return n + (n == 1 ? " old replica" : " old replicas") + " pending termination";
    }

    static String join(String head, List<String> more) {
        return more.isEmpty() ? head : head + ", " + String.join(", ", more);
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    static int n(Integer i) {
        return i == null ? 0 : i;
    }
}
