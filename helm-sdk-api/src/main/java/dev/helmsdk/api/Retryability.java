package dev.helmsdk.api;

import dev.helmsdk.api.audit.AuditUnavailableException;
import dev.helmsdk.api.auth.CredentialResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException;

import java.util.Objects;

/**
 * The one table that decides {@link HelmSdkException#retryable()}: whether repeating the same call,
 * unchanged, may succeed. No exception and no translator decides it anywhere else. The rule, as in
 * the AWS SDK and client-go: a failure caused by the moment (a busy release, a slow cluster, a
 * server that is overloaded, restarting or lost a race) is retryable; a failure caused by the input,
 * the credentials or the release's state is not, because the same call meets the same answer.
 *
 * <table class="striped">
 * <caption>Retryability of each failure</caption>
 * <thead><tr><th>Failure</th><th>Retryable</th><th>Why</th></tr></thead>
 * <tbody>
 * <tr><td>{@link ReleaseBusyException}</td><td>yes</td><td>the other operation will finish</td></tr>
 * <tr><td>{@link OperationTimeoutException}</td><td>yes</td><td>the cluster may just have been slow (check the release's status first)</td></tr>
 * <tr><td>{@link KubernetesApiException}, no response</td><td>yes</td><td>unreachable, connection reset, I/O timeout</td></tr>
 * <tr><td>{@link KubernetesApiException} 408, 429, 5xx but 501</td><td>yes</td><td>request timeout, throttling, API server or etcd trouble</td></tr>
 * <tr><td>{@link KubernetesApiException} 409 {@code Conflict}</td><td>yes</td><td>optimistic concurrency: the object (a Lease, a release record) changed meanwhile;
 *     the next read sees the new version (client-go's {@code IsConflict}: any 409 whose reason is not {@code AlreadyExists})</td></tr>
 * <tr><td>{@link KubernetesApiException} 409 {@code AlreadyExists}</td><td>no</td><td>the same create meets the same object</td></tr>
 * <tr><td>{@link KubernetesApiException} any other status (400, 401, 403, 404, 422, 501, ...)</td><td>no</td><td>malformed, unauthenticated,
 *     forbidden, missing, invalid or unsupported: fix the request or the credentials</td></tr>
 * <tr><td>{@link ClusterCredentialException} {@code TIMED_OUT}</td><td>yes</td><td>the
 *     plugin (often a call to a cloud's token service) may just have been slow</td></tr>
 * <tr><td>{@link ClusterCredentialException} {@code FAILED}, {@code NO_CREDENTIAL}</td><td>no</td><td>the plugin fails or answers the same way until its configuration
 *     or login is fixed</td></tr>
 * <tr><td>{@link ChartSourceException} {@code UNREACHABLE}, {@code SERVER_ERROR}</td><td>yes</td><td>the repository is down, slow or overloaded (HTTP 408, 429, 5xx but 501)</td></tr>
 * <tr><td>{@link ChartSourceException} {@code UNAUTHORIZED}, {@code FORBIDDEN}, {@code TLS}, {@code PROXY},
 *     {@code INSECURE_TRANSPORT}, {@code INVALID_CONTENT}</td><td>no</td><td>configuration or content: it will be refused again</td></tr>
 * <tr><td>{@link ChartVerificationException}</td><td>no</td><td>the same archive, provenance and keyring give the same answer</td></tr>
 * <tr><td>{@link HelmOperationException}</td><td>no, except Helm's "another operation is in progress"</td><td>templates, hooks and
 *     resource conflicts fail again with the same chart and values; a release another Helm client is changing is busy</td></tr>
 * <tr><td>{@link ReleaseAlreadyExistsException}</td><td>no</td><td>the name is taken: upgrade it instead</td></tr>
 * <tr><td>{@link ReleaseNotFoundException}, {@link ChartNotFoundException}</td><td>no</td><td>it will still be missing</td></tr>
 * <tr><td>{@link ReleaseStuckException}</td><td>no</td><td>not until the pending revision is recovered or repaired</td></tr>
 * <tr><td>{@link ReadinessFailedException}, {@link HealthCheckFailedException}</td><td>no</td><td>the same chart and values fail the same way
 *     (a crash loop, an image that cannot be pulled)</td></tr>
 * <tr><td>{@link AutoRollbackException}</td><td>as its {@link AutoRollbackException#failure() failure}, when the rollback succeeded; no when it
 *     failed</td><td>the release is back where it was, or in a state to look at first</td></tr>
 * <tr><td>{@link SecretResolutionException} {@code UNREACHABLE}, {@code TIMEOUT}</td><td>yes</td><td>the secret store was down, slow or overloaded</td></tr>
 * <tr><td>{@link SecretResolutionException} {@code UNKNOWN_SCHEME}, {@code NOT_FOUND}, {@code MISSING_KEY}, {@code DENIED},
 *     {@code INVALID_REFERENCE}</td><td>no</td><td>fix the reference, the store's content or its permissions, or add the resolver</td></tr>
 * <tr><td>{@link AuditUnavailableException}</td><td>yes</td><td>the change was refused before it started; once the audit sink
 *     is back (room on the disk, the service answers) the same call goes through</td></tr>
 * <tr><td>{@link InvalidRequestException}, {@link CredentialResolutionException}</td><td>no</td><td>fix the request, or create the credentials</td></tr>
 * <tr><td>{@link HelmSdkException} itself</td><td>no</td><td>an unexpected failure, or the calling thread was interrupted (a request to stop,
 *     not to try again)</td></tr>
 * </tbody>
 * </table>
 */
public final class Retryability {

    /** Helm's words when the release's latest revision is pending because another client is changing it. */
    private static final String HELM_RELEASE_BUSY = "another operation (install/upgrade/rollback) is in progress";

    private Retryability() {
    }

    /**
     * Whether repeating the call that failed with {@code failure} may succeed, by the table above.
     *
     * @param failure the failure
     * @return {@code true} when a retry of the same call may succeed
     */
    public static boolean of(HelmSdkException failure) {
        Objects.requireNonNull(failure, "failure");
        if (failure instanceof ReleaseBusyException || failure instanceof OperationTimeoutException
                || failure instanceof AuditUnavailableException) {
            return true;
        }
        if (failure instanceof KubernetesApiException k) {
            return ofKubernetesStatus(k.statusCode().orElse(0), k.reason().orElse(null));
        }
        if (failure instanceof ClusterCredentialException c) {
            return c.reason() == ClusterCredentialException.Reason.TIMED_OUT;
        }
        if (failure instanceof ChartDependencyException d && d.getCause() instanceof HelmSdkException c) {
            return of(c);
        }
        if (failure instanceof ChartSourceException c) {
            return ofChartSource(c.reason());
        }
        if (failure instanceof SecretResolutionException s) {
            return ofSecretResolution(s.reason());
        }
        if (failure instanceof AutoRollbackException a) {
            return a.rolledBack() && of(a.failure());
        }
        if (failure instanceof ReleaseAlreadyExistsException) {
            return false;
        }
        if (failure instanceof HelmOperationException h) {
            return h.helmMessage() != null && h.helmMessage().contains(HELM_RELEASE_BUSY);
        }
        // InvalidRequest, ReleaseNotFound, ChartNotFound, ReleaseStuck, ReadinessFailed, HealthCheckFailed,
        // CredentialResolution and the base type: the same call meets the same answer.
        return false;
    }

    /**
     * Whether a Kubernetes API answer may be different next time.
     *
     * @param status the HTTP status, or 0 when no response was received
     * @param reason the {@code Status} reason the API server gave ({@code Conflict}, {@code AlreadyExists}, ...), or {@code null}
     * @return {@code true} for no response, 408, 429, 5xx but 501, and 409 unless the reason is {@code AlreadyExists}
     */
    public static boolean ofKubernetesStatus(int status, String reason) {
        if (status == 0) {
            return true;
        }
        if (status == 409) {
            return !"AlreadyExists".equals(reason);
        }
        return ofHttpStatus(status);
    }

    /**
     * Whether an HTTP server's answer may be different next time (chart repositories, registries, the API server).
     *
     * @param status the HTTP status
     * @return {@code true} for 408 (request timeout), 429 (throttled) and every 5xx but 501 (not implemented)
     */
    public static boolean ofHttpStatus(int status) {
        return status == 408 || status == 429 || status >= 500 && status <= 599 && status != 501;
    }

    /**
     * Whether a chart source failing for {@code reason} may work next time.
     *
     * @param reason why the source could not be used
     * @return {@code true} for {@code UNREACHABLE} and {@code SERVER_ERROR}
     */
    public static boolean ofChartSource(ChartSourceException.Reason reason) {
        Objects.requireNonNull(reason, "reason");
        return switch (reason) {
            case UNREACHABLE, SERVER_ERROR -> true;
            case UNAUTHORIZED, FORBIDDEN, TLS, PROXY, INSECURE_TRANSPORT, INVALID_CONTENT -> false;
        };
    }

    /**
     * Whether resolving a secret reference that failed for {@code reason} may work next time.
     *
     * @param reason why the reference could not be resolved
     * @return {@code true} for {@code UNREACHABLE} and {@code TIMEOUT}
     */
    public static boolean ofSecretResolution(SecretResolutionException.Reason reason) {
        Objects.requireNonNull(reason, "reason");
        return switch (reason) {
            case UNREACHABLE, TIMEOUT -> true;
            case UNKNOWN_SCHEME, NOT_FOUND, MISSING_KEY, DENIED, INVALID_REFERENCE -> false;
        };
    }
}
