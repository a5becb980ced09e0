package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.Operation;

import java.time.Duration;
import java.util.Objects;

/**
 * One injected fault: what happens to the matching operation.
 *
 * @param kind      what happens
 * @param operation the operation it applies to
 * @param release   the release it applies to, or {@code null} for any
 * @param once      consumed by the first match ({@code false}: every match)
 * @param message   the failure's text (Helm's words in the real thing), for the kinds that fail
 * @param delay     how long the operation is slowed, for {@link Kind#SLOW}
 */
public record Fault(Kind kind, Operation operation, String release, boolean once, String message, Duration delay) {

    /** What a fault does. */
    public enum Kind {
        /** Helm fails while applying: the revision is recorded failed. */
        FAIL,
        /** The call runs out of time (while waiting for readiness, when it waits). */
        TIME_OUT,
        /** The process dies in the middle: the revision is left pending, the call times out. */
        LEAVE_PENDING,
        /** The released resources never become ready. */
        FAIL_READINESS,
        /** The chart cannot be found. */
        CHART_NOT_FOUND,
        /** The operation takes {@code delay} longer. */
        SLOW
    }

    /** Requires kind and operation. */
    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operation, "operation");
        message = Objects.requireNonNullElse(message, "");
        delay = Objects.requireNonNullElse(delay, Duration.ZERO);
    }

    boolean matches(Operation op, String name) {
        return operation == op && (release == null || release.equals(name));
    }
}
