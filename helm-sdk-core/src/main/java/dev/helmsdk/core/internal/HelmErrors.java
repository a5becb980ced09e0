package dev.helmsdk.core.internal;

import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ClusterCredentialException;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReleaseAlreadyExistsException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.core.internal.secrets.Redactor;

import java.time.Duration;
import java.util.Locale;

/**
 * Translates helm-java's bare {@code IllegalStateException(text)} into the SDK's typed exceptions,
 * by the wording of Helm v3's errors. It decides only the type (and, for errors the Kubernetes API
 * gave Helm, the HTTP status and reason), never whether a retry may help: that is
 * {@link dev.helmsdk.api.Retryability}'s table. Unrecognised text becomes a
 * {@link HelmOperationException} that still carries Helm's words.
 */
public final class HelmErrors {

    private static final java.util.regex.Pattern EXECUTABLE = java.util.regex.Pattern.compile("exec: executable (\\S+)");

    private HelmErrors() {
    }

    public static HelmSdkException translate(Operation op, String release, String namespace, Duration helmTimeout, RuntimeException e) {
        return translate(op, release, namespace, helmTimeout, e, Redactor.NONE);
    }

    /**
     * As {@link #translate(Operation, String, String, Duration, RuntimeException)}, with the
     * operation's resolved secrets masked in Helm's text and in the cause that carries it.
     */
    public static HelmSdkException translate(Operation op, String release, String namespace, Duration helmTimeout, RuntimeException raw,
                                             Redactor redactor) {
        if (raw instanceof HelmSdkException typed) {
            return typed;
        }
        String text = redactor.mask(raw.getMessage() == null ? raw.toString() : raw.getMessage().strip());
        Throwable e = redactor.sanitize(raw);
        String t = text.toLowerCase(Locale.ROOT);
        String where = release == null ? "" : " of release '" + release + "' in namespace '" + namespace + "'";
        if (t.contains("release: not found") || t.contains("has no deployed releases")) {
            return new ReleaseNotFoundException(op, release, op.tag() + where + " failed: the release does not exist"
                    + (op == Operation.UPGRADE ? "; use installIfAbsent() to install it" : "") + " (Helm: " + text + ")");
        }
        if (t.contains("cannot re-use a name that is still in use")) {
            return new ReleaseAlreadyExistsException(op, release, op.tag() + where + " failed: the release already exists;"
                    + " use upgrade() to change it, or uninstall it first", text, e);
        }
        if (t.contains("another operation (install/upgrade/rollback) is in progress")) {
            return new HelmOperationException(op, release, op.tag() + where + " failed: another operation on the release"
                    + " is in progress; retry when it has finished", text, e);
        }
        if (t.contains("context deadline exceeded") || t.contains("timed out waiting for the condition")) {
            return new OperationTimeoutException(op, release, helmTimeout, op.tag() + where
                    + " did not finish within Helm's time limit of " + helmTimeout + " (Helm: " + text + ")", e);
        }
        if (t.contains("getting credentials: exec")) {
            // client-go's words when the kubeconfig's exec plugin failed; they name the executable, never its output.
            java.util.regex.Matcher m = EXECUTABLE.matcher(text);
            return new ClusterCredentialException(op, release, m.find() ? m.group(1) : "(the kubeconfig's exec plugin)",
                    ClusterCredentialException.Reason.FAILED,
                    op.tag() + where + " failed: Helm got no credential for the Kubernetes API from the kubeconfig's exec plugin"
                            + " (Helm: " + text + ")", e);
        }
        if (t.contains("kubernetes cluster unreachable") || t.contains("connection refused") || t.contains("no such host")
                || t.contains("i/o timeout") || t.contains("tls handshake timeout") || t.contains("connection reset")) {
            return new KubernetesApiException(op, release, 0, op.tag() + where + " failed: the Kubernetes API could not be reached"
                    + " (Helm: " + text + ")", e);
        }
        if (t.contains("is forbidden") || t.contains("forbidden:")) {
            return new KubernetesApiException(op, release, 403, "Forbidden", op.tag() + where + " failed: the Kubernetes API refused"
                    + " the request (Helm: " + text + ")", e);
        }
        if (t.contains("unauthorized") || t.contains("must be logged in to the server")) {
            return new KubernetesApiException(op, release, 401, "Unauthorized", op.tag() + where + " failed: the Kubernetes API did not"
                    + " accept the credentials (Helm: " + text + ")", e);
        }
        if ((t.contains("chart") || t.contains("oci") || t.contains("repo")) && (t.contains("not found") || t.contains("no chart version found")
                || t.contains("failed to fetch") || t.contains("failed to download") || t.contains("manifest unknown"))
                || t.startsWith("path ") && t.contains("not found")) {
            return new ChartNotFoundException(op, release, op.tag() + where + " failed: the chart could not be found (Helm: " + text + ")", e);
        }
        // Errors the API server gave Helm, which Helm passes on as text: typed with their status and reason,
        // so that they are retryable exactly when the same answer from fabric8 would be.
        if (t.contains("the object has been modified") || t.contains("operation cannot be fulfilled")) {
            return api(op, release, 409, "Conflict", op.tag() + where + " failed: a resource changed while Helm updated it", text, e);
        }
        if (t.contains("too many requests")) {
            return api(op, release, 429, "TooManyRequests", op.tag() + where + " failed: the Kubernetes API is throttling requests", text, e);
        }
        if (t.contains("the server is currently unable to handle the request")) {
            return api(op, release, 503, "ServiceUnavailable", op.tag() + where + " failed: the Kubernetes API is unavailable", text, e);
        }
        if (t.contains("etcdserver") || t.contains("internal error occurred")) {
            return api(op, release, 500, "InternalError", op.tag() + where + " failed: the Kubernetes API had an internal error", text, e);
        }
        return new HelmOperationException(op, release, op.tag() + where + " failed: " + text, text, e);
    }

    private static KubernetesApiException api(Operation op, String release, int status, String reason, String what, String text,
                                              Throwable e) {
        return new KubernetesApiException(op, release, status, reason, what + " (Helm: " + text + ")", e);
    }
}
