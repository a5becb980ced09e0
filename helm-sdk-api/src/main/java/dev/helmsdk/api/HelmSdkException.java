package dev.helmsdk.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Root of every exception the SDK throws. Unchecked, so call sites catch only what they can handle.
 *
 * <p>Every instance says which {@link #operation()} failed, on which {@link #releaseName()} (when
 * the operation concerns one release) and whether a {@link #retryable()} retry of the same call
 * could succeed. Messages never contain secret values.
 */
public class HelmSdkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Operation operation;
    private final String releaseName;
    private final boolean retryable;

    /**
     * @param operation   the operation that failed
     * @param releaseName the release concerned, or {@code null} when none (list, lint, configuration)
     * @param message     what went wrong and what to do about it
     * @param retryable   whether repeating the same call may succeed
     * @param cause       the underlying cause, or {@code null}
     */
    public HelmSdkException(Operation operation, String releaseName, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.operation = Objects.requireNonNull(operation, "operation");
        this.releaseName = releaseName;
        this.retryable = retryable;
    }

    /** The operation that failed. */
    public Operation operation() {
        return operation;
    }

    /** The release the failed operation concerned, if any. */
    public Optional<String> releaseName() {
        return Optional.ofNullable(releaseName);
    }

    /** {@code true} when repeating the same call unchanged may succeed (e.g. a timeout, an API outage). */
    public boolean retryable() {
        return retryable;
    }
}
