package dev.helmsdk.api.secrets;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One secret access of an operation, for the audit trail: which reference, through which resolver,
 * with what outcome and how long it took. Seen by
 * {@link dev.helmsdk.api.spi.OperationInterceptor#secretAccessed}, with the operation and release
 * it was for. Never holds the value.
 *
 * @param reference the reference as written ({@code ref+vault://secret/app#/password})
 * @param scheme    its scheme
 * @param resolver  the resolver's class name
 * @param outcome   resolved from the store, served from the cache, or failed
 * @param failure   why it failed, when it did
 * @param took      how long it took
 */
public record SecretAccess(String reference, String scheme, String resolver, Outcome outcome,
                           Optional<SecretResolutionException.Reason> failure, Duration took) {

    /** What came of an access. */
    public enum Outcome {
        /** The resolver answered. */
        RESOLVED,
        /** The value came from the cache of values resolved earlier (within the scheme's cache TTL). */
        CACHED,
        /** It could not be resolved: the operation fails. */
        FAILED
    }

    /** Requires every field; a failure exactly when the outcome is {@code FAILED}. */
    public SecretAccess {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(took, "took");
        if (failure.isPresent() != (outcome == Outcome.FAILED)) {
            throw new IllegalArgumentException("a failure reason exactly when the outcome is FAILED");
        }
    }
}
