package dev.helmsdk.api;

import java.time.Duration;

/**
 * The operation did not finish within its time limit. Retryable: the cluster may simply have been slow.
 * Check the release's status before retrying an install or upgrade: the work may have completed
 * after the caller stopped waiting.
 */
public class OperationTimeoutException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /** Creates the exception for an operation that exceeded {@code timeout}. */
    public OperationTimeoutException(Operation operation, String releaseName, Duration timeout, String message, Throwable cause) {
        super(operation, releaseName, message, cause);
        this.timeout = timeout;
    }

    /** The limit that was exceeded. */
    public Duration timeout() {
        return timeout;
    }
}
