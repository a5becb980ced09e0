package dev.helmsdk.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Root of every exception the SDK throws. Unchecked, so call sites catch only what they can handle.
 *
 * <p>Every instance says which {@link #operation()} failed, on which {@link #releaseName()} (when
 * the operation concerns one release) and whether a {@link #retryable()} retry of the same call
 * could succeed. Messages never contain secret values.
 *
 * <p>{@link #retryable()} is decided in one place, the table in {@link Retryability}: in short, busy
 * releases, timeouts, an unreachable or overloaded API server or repository (no response, 408, 429,
 * 5xx) and optimistic-concurrency conflicts (409 {@code Conflict}) are retryable; bad input,
 * credentials, missing releases or charts, stuck releases and failed readiness are not.
 */
public class HelmSdkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Operation operation;
    private final String releaseName;

    /**
     * @param operation   the operation that failed
     * @param releaseName the release concerned, or {@code null} when none (list, lint, configuration)
     * @param message     what went wrong and what to do about it
     * @param cause       the underlying cause, or {@code null}
     */
    public HelmSdkException(Operation operation, String releaseName, String message, Throwable cause) {
        super(message, cause);
        this.operation = Objects.requireNonNull(operation, "operation");
        this.releaseName = releaseName;
    }

    /** The operation that failed. */
    public Operation operation() {
        return operation;
    }

    /** The release the failed operation concerned, if any. */
    public Optional<String> releaseName() {
        return Optional.ofNullable(releaseName);
    }

    /**
     * {@code true} when repeating the same call unchanged may succeed (e.g. a timeout, an API outage),
     * as {@link Retryability} decides for this failure's type, status or reason.
     */
    public final boolean retryable() {
        return Retryability.of(this);
    }
}
