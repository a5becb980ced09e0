package dev.helmsdk.api.spi;

import dev.helmsdk.api.HelmSdkException;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an operation ended, as {@link OperationInterceptor#after} sees it.
 *
 * @param duration how long it took
 * @param failure  why it failed; empty when it succeeded
 */
public record OperationOutcome(Duration duration, Optional<HelmSdkException> failure) {

    /** Checks the components. */
    public OperationOutcome {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(failure, "failure");
    }

    /** Whether the operation succeeded. */
    public boolean succeeded() {
        return failure.isEmpty();
    }
}
