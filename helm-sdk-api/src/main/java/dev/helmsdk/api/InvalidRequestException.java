package dev.helmsdk.api;

/**
 * The request itself is wrong (bad release name, malformed values, missing chart path, absurd
 * timeout) and was rejected before anything was sent to the cluster. Never retryable as is.
 */
public class InvalidRequestException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; {@code message} names the bad input and says how to fix it. */
    public InvalidRequestException(Operation operation, String releaseName, String message) {
        this(operation, releaseName, message, null);
    }

    /** Creates the exception with the parse error or I/O error behind it. */
    public InvalidRequestException(Operation operation, String releaseName, String message, Throwable cause) {
        super(operation, releaseName, message, cause);
    }
}
