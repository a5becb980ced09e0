package dev.helmsdk.core.internal;

import dev.helmsdk.api.ClusterCredentialException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.Operation;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Turns fabric8's exceptions into the SDK's typed ones: a {@link KubernetesApiException} with the
 * status and reason {@code Retryability} decides from, or, when no request was sent because the
 * kubeconfig's credential plugin failed, a {@link ClusterCredentialException}.
 */
final class KubeErrors {

    private KubeErrors() {
    }

    static HelmSdkException translate(Operation op, String release, KubernetesClientException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ExecCredentialPlugin.Failure f) {
                return new ClusterCredentialException(op, release, f.command(), f.reason(), op.tag() + " failed: no credential for the"
                        + " Kubernetes API: " + f.getMessage(), e);
            }
        }
        return api(op, release, e);
    }

    /** The API's answer (or its absence) as a typed exception. */
    static KubernetesApiException api(Operation op, String release, KubernetesClientException e) {
        int code = Math.max(e.getCode(), 0);
        String what = code == 0 ? "the Kubernetes API could not be reached" : "the Kubernetes API answered " + code;
        String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        String reason = e.getStatus() == null ? null : e.getStatus().getReason();
        return new KubernetesApiException(op, release, code, reason, op.tag() + " failed: " + what + ": " + detail, e);
    }
}
