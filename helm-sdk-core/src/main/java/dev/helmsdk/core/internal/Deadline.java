package dev.helmsdk.core.internal;

import java.time.Duration;

/**
 * The instant an operation must be over by, on the monotonic clock; every request the operation
 * sends is bounded by what is left of it. A deadline also has a short cleanup window after it, for
 * the one thing an operation still does once its time is up: giving back its release's Lease
 * before the caller gets the timeout.
 */
public final class Deadline {

    /** How long after the deadline the caller may still be kept for cleanup (releasing the Lease). */
    public static final Duration CLEANUP = Duration.ofMillis(500);

    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /** A deadline {@code limit} from now. */
    public static Deadline after(Duration limit) {
        return new Deadline(System.nanoTime() + limit.toNanos());
    }

    /** What is left, zero once passed. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    public boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** The end of the cleanup window that follows this deadline. */
    public Deadline cleanup() {
        return new Deadline(endNanos + CLEANUP.toNanos());
    }

    /** The earlier of this deadline and {@code limit} from now. */
    public Deadline atMost(Duration limit) {
        return new Deadline(Math.min(endNanos, System.nanoTime() + limit.toNanos()));
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + " ms left]";
    }
}
