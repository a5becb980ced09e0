package dev.helmsdk.api;

import java.net.URI;
import java.util.Objects;

/**
 * A chart repository or OCI registry could not be used: it refused the credentials, the TLS
 * handshake failed, the proxy refused the connection, or it could not be reached. Thrown before
 * anything is sent to the cluster. The message names the repository and the authentication method
 * that was tried ({@link #method()}), never a secret.
 *
 * <p>A chart or version that the repository does not have is a {@link ChartNotFoundException}
 * instead. Whether it is {@link #retryable()} follows from the {@link #reason()} ({@link Retryability}).
 */
public class ChartSourceException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    /** Why the source could not be used. */
    public enum Reason {
        /** 401: no credentials, or the credentials were rejected. */
        UNAUTHORIZED,
        /** 403: the credentials are valid but may not read this chart. */
        FORBIDDEN,
        /** The TLS handshake failed: unknown CA, wrong host name, or a client certificate that is missing or refused. */
        TLS,
        /** The proxy refused the connection or the proxy credentials. */
        PROXY,
        /** Plain HTTP to a host that was not allowed to use it, or a similar configuration refusal. */
        INSECURE_TRANSPORT,
        /** The host could not be reached (DNS, connection refused, timeout, a response cut short). Retryable. */
        UNREACHABLE,
        /** The server answered a status that says "try later": 408, 429 or 5xx but 501 ({@link Retryability#ofHttpStatus}). Retryable. */
        SERVER_ERROR,
        /** The server answered, but with content that is not a valid index, manifest or archive (or a digest mismatch), or an archive that fails {@link ChartRef}'s archive check. */
        INVALID_CONTENT
    }

    private final Reason reason;
    private final URI repository;
    private final String method;

    /**
     * @param operation  the operation that needed the chart
     * @param release    the release concerned, or {@code null}
     * @param reason     why the source could not be used
     * @param repository the repository or registry URL
     * @param method     the authentication method tried ({@code anonymous}, {@code basic}, {@code bearer},
     *                   {@code client-certificate}, ...), never a secret
     * @param message    what happened and what to do about it
     * @param cause      the underlying cause, or {@code null}
     */
    public ChartSourceException(Operation operation, String release, Reason reason, URI repository, String method,
                                String message, Throwable cause) {
        super(operation, release, message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.method = Objects.requireNonNull(method, "method");
    }

    /** Why the source could not be used. */
    public Reason reason() {
        return reason;
    }

    /** The repository or registry URL. */
    public URI repository() {
        return repository;
    }

    /** The authentication method that was tried, e.g. {@code basic} or {@code anonymous}. */
    public String method() {
        return method;
    }
}
