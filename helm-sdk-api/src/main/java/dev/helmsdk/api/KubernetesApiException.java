package dev.helmsdk.api;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Kubernetes API failed or refused the request (unreachable, unauthorized, forbidden, conflict,
 * server error). {@link #statusCode()} carries the HTTP status when one was received and
 * {@link #reason()} the API server's reason for it; {@link Retryability} decides from the two
 * whether it is {@link #retryable()}.
 */
public class KubernetesApiException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String reason;

    /**
     * @param statusCode the HTTP status from the API server, or 0 when none was received
     */
    public KubernetesApiException(Operation operation, String releaseName, int statusCode, String message, Throwable cause) {
        this(operation, releaseName, statusCode, null, message, cause);
    }

    /**
     * @param statusCode the HTTP status from the API server, or 0 when none was received
     * @param reason     the reason of the API server's {@code Status} ({@code Conflict}, {@code AlreadyExists},
     *                   {@code Forbidden}, ...), or {@code null} when it gave none
     */
    public KubernetesApiException(Operation operation, String releaseName, int statusCode, String reason, String message, Throwable cause) {
        super(operation, releaseName, message, cause);
        this.statusCode = statusCode;
        this.reason = reason;
    }

    /** The HTTP status the API server answered with, if it answered. */
    public OptionalInt statusCode() {
        return statusCode == 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
    }

    /** The reason the API server gave for its status, e.g. {@code Conflict} or {@code AlreadyExists} for a 409. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }
}
