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
    private final dev.helmsdk.api.spi.OperationPhase phase;

    /** Creates the exception for an operation that exceeded {@code timeout}. */
    public OperationTimeoutException(Operation operation, String releaseName, Duration timeout, String message, Throwable cause) {
        this(operation, releaseName, timeout, null, message, cause);
    }

    /**
     * Creates the exception for an operation that exceeded {@code timeout} during {@code phase}.
     *
     * @param phase the phase its time ran out in, or {@code null} when not known
     */
    public OperationTimeoutException(Operation operation, String releaseName, Duration timeout,
                                     dev.helmsdk.api.spi.OperationPhase phase, String message, Throwable cause) {
        super(operation, releaseName, message, cause);
        this.timeout = timeout;
        this.phase = phase;
    }

    /** The phase the operation's time ran out in, when known. */
    public java.util.Optional<dev.helmsdk.api.spi.OperationPhase> phase() {
        return java.util.Optional.ofNullable(phase);
    }

    /** The limit that was exceeded. */
    public Duration timeout() {
        return timeout;
    }
}
