package dev.helmsdk.api;

import java.util.OptionalInt;

/**
 * The Kubernetes API failed or refused the request (unreachable, unauthorized, forbidden, conflict,
 * server error). {@link #statusCode()} carries the HTTP status when one was received.
 */
public class KubernetesApiException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;

    /**
     * @param statusCode the HTTP status from the API server, or 0 when none was received
     */
    public KubernetesApiException(Operation operation, String releaseName, int statusCode, String message, Throwable cause) {
        super(operation, releaseName, message, statusCode == 0 || statusCode == 409 || statusCode == 429 || statusCode >= 500, cause);
        this.statusCode = statusCode;
    }

    /** The HTTP status the API server answered with, if it answered. */
    public OptionalInt statusCode() {
        return statusCode == 0 ? OptionalInt.empty() : OptionalInt.of(statusCode);
    }
}
