package dev.helmsdk.api;

import java.time.Duration;

/**
 * Time limits for operations.
 *
 * <ul>
 *   <li>{@code start}: submitting the change (rendering, API calls, hooks when not waiting) or a read;
 *       default {@value #DEFAULT_START_MINUTES} minutes. A change may first wait as long again for
 *       another operation on the same release to finish (then {@link ReleaseBusyException}).</li>
 *   <li>{@code readiness}: waiting for the released resources to become ready, when waiting was asked
 *       for; default {@value #DEFAULT_READINESS_MINUTES} minutes.</li>
 *   <li>{@code cleanup}: undoing a failed change (rollback, uninstall of a failed first install)
 *       when {@code rollbackOnFailure()} was asked for; default {@value #DEFAULT_CLEANUP_MINUTES} minutes.</li>
 * </ul>
 *
 * Set on the manager's builder and overridden per call. Each value must be positive and at most
 * {@link #MAX} (24 hours): anything else is a configuration mistake and is rejected with an
 * {@link InvalidRequestException} that quotes it.
 *
 * @param start     limit for submitting a change or reading
 * @param readiness limit for the readiness wait
 * @param cleanup   limit for cleaning up after a failure
 */
public record Timeouts(Duration start, Duration readiness, Duration cleanup) {

    /** Default start limit, in minutes. */
    public static final long DEFAULT_START_MINUTES = 5;
    /** Default readiness limit, in minutes. */
    public static final long DEFAULT_READINESS_MINUTES = 10;
    /** Default cleanup limit, in minutes. */
    public static final long DEFAULT_CLEANUP_MINUTES = 5;
    /** The largest accepted value for any limit. */
    public static final Duration MAX = Duration.ofHours(24);

    private static final Timeouts DEFAULTS = new Timeouts(
            Duration.ofMinutes(DEFAULT_START_MINUTES),
            Duration.ofMinutes(DEFAULT_READINESS_MINUTES),
            Duration.ofMinutes(DEFAULT_CLEANUP_MINUTES));

    /** Validates every limit; the message names the limit and quotes the rejected value. */
    public Timeouts {
        check("start", start);
        check("readiness", readiness);
        check("cleanup", cleanup);
    }

    /** Start 5m, readiness 10m, cleanup 5m. */
    public static Timeouts ofDefaults() {
        return DEFAULTS;
    }

    /** A copy with another start limit. */
    public Timeouts withStart(Duration value) {
        java.util.Objects.requireNonNull(value, "value");
        return new Timeouts(value, readiness, cleanup);
    }

    /** A copy with another readiness limit. */
    public Timeouts withReadiness(Duration value) {
        java.util.Objects.requireNonNull(value, "value");
        return new Timeouts(start, value, cleanup);
    }

    /** A copy with another cleanup limit. */
    public Timeouts withCleanup(Duration value) {
        java.util.Objects.requireNonNull(value, "value");
        return new Timeouts(start, readiness, value);
    }

    /** The limit for a whole operation: start, plus readiness when the operation waits. */
    public Duration total(boolean waiting) {
        return waiting ? start.plus(readiness) : start;
    }

    private static void check(String which, Duration value) {
        java.util.Objects.requireNonNull(value, which);
        if (value.isZero() || value.isNegative()) {
            throw new InvalidRequestException(Operation.CONFIGURE, null,
                    which + " timeout must be positive, was " + value + "; use e.g. Duration.ofMinutes(5)");
        }
        if (value.compareTo(MAX) > 0) {
            throw new InvalidRequestException(Operation.CONFIGURE, null,
                    which + " timeout " + value + " exceeds the maximum of " + MAX + "; a bound that large is almost certainly a unit mistake");
        }
    }
}
