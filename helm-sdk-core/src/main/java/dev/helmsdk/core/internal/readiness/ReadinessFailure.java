package dev.helmsdk.core.internal.readiness;

import java.util.Objects;

/**
 * Why one resource will not become ready.
 *
 * @param resource  the release's resource that failed, e.g. {@code deployment/web}
 * @param pod       the pod that shows the failure, {@code ""} when the resource's own status does
 * @param container the container, {@code ""} when not about one container (e.g. an unschedulable pod)
 * @param reason    Kubernetes's reason: {@code CrashLoopBackOff}, {@code ImagePullBackOff}, {@code Unschedulable},
 *                  {@code BackoffLimitExceeded}, {@code ProgressDeadlineExceeded}, ...
 * @param message   Kubernetes's message (statuses and conditions only: never values of the release)
 */
public record ReadinessFailure(ResourceKey resource, String pod, String container, String reason, String message) {

    public ReadinessFailure {
        Objects.requireNonNull(resource, "resource");
        pod = pod == null ? "" : pod;
        container = container == null ? "" : container;
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
    }

    /** The resource's kind, e.g. {@code Deployment}. */
    public String kind() {
        return resource.kind();
    }

    /** The resource's name. */
    public String name() {
        return resource.name();
    }

    /**
     * {@code deployment/web: pod web-7c9-abcde container web: CrashLoopBackOff: back-off 10s restarting failed container},
     * or {@code job/migrate: BackoffLimitExceeded: Job has reached the specified backoff limit}.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(resource.id()).append(": ");
        if (!pod.isEmpty()) {
            sb.append("pod ").append(pod);
            sb.append(container.isEmpty() ? ": " : " container " + container + ": ");
        } else if (!container.isEmpty()) {
            sb.append("container ").append(container).append(": ");
        }
        sb.append(reason.isEmpty() ? "failed" : reason);
        if (!message.isEmpty()) {
            sb.append(": ").append(message);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
