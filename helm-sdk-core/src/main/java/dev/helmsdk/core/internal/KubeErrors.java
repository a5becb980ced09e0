package dev.helmsdk.core.internal;

import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.Operation;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Turns fabric8's exceptions into the SDK's typed one, with the status and reason {@code Retryability} decides from. */
final class KubeErrors {

    private KubeErrors() {
    }

    static KubernetesApiException translate(Operation op, String release, KubernetesClientException e) {
        int code = Math.max(e.getCode(), 0);
        String what = code == 0 ? "the Kubernetes API could not be reached" : "the Kubernetes API answered " + code;
        String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        String reason = e.getStatus() == null ? null : e.getStatus().getReason();
        return new KubernetesApiException(op, release, code, reason, op.tag() + " failed: " + what + ": " + detail, e);
    }
}
