package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a pod's status says about its future: the container and scheduling states after which it will not become
 * ready without a change to the release or the cluster. Pure functions of the pod; how long a problem has lasted is
 * the caller's to track.
 */
final class PodProblems {

    /** How sure a problem is. */
    public enum Certainty {
        /** Fails the wait at once: CrashLoopBackOff, ImagePullBackOff, InvalidImageName, ErrImageNeverPull. */
        CERTAIN,
        /** ErrImagePull: fails once it has lasted {@link ReadinessOptions#imagePullGrace()}. */
        AFTER_IMAGE_PULL_GRACE,
        /** CreateContainerConfigError: fails once it has lasted {@link ReadinessOptions#configErrorGrace()}. */
        AFTER_CONFIG_ERROR_GRACE,
        /** PodScheduled=False, Unschedulable: fails once it has lasted {@link ReadinessOptions#unschedulableGrace()}. */
        AFTER_UNSCHEDULABLE_GRACE
    }

    /**
     * One problem of one pod.
     *
     * @param pod       pod name
     * @param podUid    pod uid (a pod recreated under the same name is another pod)
     * @param container container name, {@code ""} for the pod as a whole
     * @param reason    Kubernetes's reason
     * @param message   Kubernetes's message, tidied
     * @param certainty how sure
     */
    public record Problem(String pod, String podUid, String container, String reason, String message, Certainty certainty) {

        /** Identifies the problem across polls, to measure how long it lasts. */
        public String trackingKey() {
            return podUid + "/" + pod + "/" + container + "/" + certainty;
        }
    }

    private static final Set<String> CERTAIN = Set.of("ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    /** The kubelet's {@code back-off 10s restarting failed container=web pod=web-abc_ns(uid)}: the tail repeats what we say. */
    private static final Pattern KUBELET_SUFFIX = Pattern.compile("(restarting failed container)=\\S+ pod=\\S+$");

    private PodProblems() {
    }

    /**
     * The problems of a pod that is not ready, containers in spec order (init containers first).
     *
     * @param crashLoopIsFailure whether {@code CrashLoopBackOff} counts: not for the pods of a Job, whose restarts are
     *                           bounded by its backoffLimit and whose outcome is the Job's {@code Failed} condition
     */
    public static List<Problem> find(Pod pod, boolean crashLoopIsFailure) {
        List<Problem> out = new ArrayList<>();
        if (pod.getStatus() == null || terminating(pod)) {
            return out;
        }
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid() == null ? "" : pod.getMetadata().getUid();
        for (PodCondition c : KindEvaluators.list(pod.getStatus().getConditions())) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())) {
                out.add(new Problem(name, uid, "", "Unschedulable", nz(c.getMessage()), Certainty.AFTER_UNSCHEDULABLE_GRACE));
            }
        }
        List<ContainerStatus> statuses = new ArrayList<>(KindEvaluators.list(pod.getStatus().getInitContainerStatuses()));
        statuses.addAll(KindEvaluators.list(pod.getStatus().getContainerStatuses()));
        for (ContainerStatus cs : statuses) {
            ContainerStateWaiting w = cs.getState() == null ? null : cs.getState().getWaiting();
            if (w == null || w.getReason() == null) {
                continue;
            }
            String reason = w.getReason();
            String message = nz(w.getMessage());
            Certainty certainty = null;
            if ("CrashLoopBackOff".equals(reason)) {
                if (crashLoopIsFailure) {
                    certainty = Certainty.CERTAIN;
                    message = KUBELET_SUFFIX.matcher(message).replaceFirst("$1") + lastTermination(cs);
                }
            } else if (CERTAIN.contains(reason)) {
                certainty = Certainty.CERTAIN;
            } else if ("ErrImagePull".equals(reason)) {
                certainty = Certainty.AFTER_IMAGE_PULL_GRACE;
            } else if ("CreateContainerConfigError".equals(reason)) {
                certainty = Certainty.AFTER_CONFIG_ERROR_GRACE;
            }
            if (certainty != null) {
                out.add(new Problem(name, uid, nz(cs.getName()), reason, message.strip(), certainty));
            }
        }
        return out;
    }

    /**
     * Why a pod is not ready, briefly, for progress and timeout messages: the first waiting container's reason, or
     * the pod's phase and Ready condition; {@code ""} for a ready or finished pod.
     */
    public static String whyNotReady(Pod pod) {
        String name = pod.getMetadata().getName();
        if (terminating(pod)) {
            return "pod " + name + ": terminating";
        }
        var st = pod.getStatus();
        if (st == null) {
            return "pod " + name + ": no status yet";
        }
        String phase = st.getPhase() == null ? "Pending" : st.getPhase();
        if ("Succeeded".equals(phase)) {
            return "";
        }
        for (PodCondition c : KindEvaluators.list(st.getConditions())) {
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                return "pod " + name + ": not scheduled" + suffix(c.getReason(), c.getMessage());
            }
        }
        List<ContainerStatus> statuses = new ArrayList<>(KindEvaluators.list(st.getInitContainerStatuses()));
        statuses.addAll(KindEvaluators.list(st.getContainerStatuses()));
        for (ContainerStatus cs : statuses) {
            ContainerStateWaiting w = cs.getState() == null ? null : cs.getState().getWaiting();
            if (w != null && w.getReason() != null) {
                return "pod " + name + " container " + cs.getName() + ": " + w.getReason();
            }
        }
        for (PodCondition c : KindEvaluators.list(st.getConditions())) {
            if ("Ready".equals(c.getType())) {
                if ("True".equals(c.getStatus())) {
                    return "";
                }
                return "pod " + name + ": not ready" + suffix(c.getReason(), c.getMessage());
            }
        }
        return "pod " + name + ": " + phase;
    }

    /** Whether the pod is ready (condition Ready=True). */
    public static boolean isReady(Pod pod) {
        if (pod.getStatus() == null) {
            return false;
        }
        for (PodCondition c : KindEvaluators.list(pod.getStatus().getConditions())) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    static boolean terminating(Pod pod) {
        return pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
    }

    private static String lastTermination(ContainerStatus cs) {
        ContainerStateTerminated t = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
        if (t == null || t.getExitCode() == null) {
            return "";
        }
        // The reason only (Error, OOMKilled): a termination message is the program's output and may hold anything.
        return " (last exit code " + t.getExitCode() + (t.getReason() == null ? "" : ", " + t.getReason()) + ")";
    }

    private static String suffix(String reason, String message) {
        String r = reason == null ? "" : reason;
        String m = message == null ? "" : message;
        if (r.isEmpty() && m.isEmpty()) {
            return "";
        }
        return ": " + (r.isEmpty() ? m : m.isEmpty() ? r : r + ": " + m);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
