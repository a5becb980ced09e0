package dev.helmsdk.api;

/**
 * Another operation on the same release (in this JVM, or in another process holding the release's
 * Kubernetes {@code Lease}) did not finish within this operation's start time limit. Retryable.
 */
public class ReleaseBusyException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final String holder;

    /** Creates the exception; {@code holder} identifies who holds the release, when known. */
    public ReleaseBusyException(Operation operation, String releaseName, String holder, String message) {
        super(operation, releaseName, message, null);
        this.holder = holder;
    }

    /** Who held the release: this JVM, or the holder identity recorded in its Lease. */
    public String holder() {
        return holder;
    }
}
