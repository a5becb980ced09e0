package dev.helmsdk.core.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one bound of an operation: the instant it must be over by, on the monotonic clock, and what
 * it is doing meanwhile. Every bounded call the operation makes (its Kubernetes API requests, a
 * credential plugin's process, a credential provider, a chart download, a health check's HTTP
 * request) takes its time from what is left of it, and {@link OperationRunner} ends the operation
 * at it; a timeout names the phase ({@link #during}) the operation was in when its time ran out.
 * A deadline also has a short cleanup window after it, for the one thing an operation still does
 * once its time is up: giving back its release's Lease before the caller gets the timeout.
 */
public final class Deadline {

    /** How long after the deadline the caller may still be kept for cleanup (releasing the Lease). */
    public static final Duration CLEANUP = Duration.ofMillis(500);

    private final long endNanos;
    /** The operation's own deadline, of which this one may be a part ({@link #atMost}). */
    private final long operationEndNanos;
    /** What the operation is doing now; shared by the deadlines derived from one operation's. */
    private final AtomicReference<String> phase;
    /** The innermost phase that was still running when the operation's time ran out. */
    private final AtomicReference<String> expiredIn;

    private Deadline(long endNanos, long operationEndNanos, AtomicReference<String> phase, AtomicReference<String> expiredIn) {
        this.endNanos = endNanos;
        this.operationEndNanos = operationEndNanos;
        this.phase = phase;
        this.expiredIn = expiredIn;
    }

    /** A deadline {@code limit} from now. */
    public static Deadline after(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        return new Deadline(end, end, new AtomicReference<>(), new AtomicReference<>());
    }

    /** What is left, zero once passed. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /**
     * What is left for {@code what} (a request, a process) to be sent or run in; once passed,
     * nothing is: the operation's timeout follows.
     *
     * @param what what would be sent, for the message ("a request to the Kubernetes API")
     */
    public Duration remainingFor(String what) {
        Duration left = remaining();
        if (left.isZero()) {
            throw new DeadlinePassedException(what);
        }
        return left;
    }

    public boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** The end of the cleanup window that follows this deadline. */
    public Deadline cleanup() {
        return new Deadline(endNanos + CLEANUP.toNanos(), operationEndNanos, phase, expiredIn);
    }

    /** The earlier of this deadline and {@code limit} from now, in the same operation. */
    public Deadline atMost(Duration limit) {
        return new Deadline(Math.min(endNanos, System.nanoTime() + limit.toNanos()), operationEndNanos, phase, expiredIn);
    }

    /**
     * Runs {@code body} as phase {@code what} of the operation (a gerund: "running Helm's install"),
     * so that a timeout meanwhile says what the operation was doing.
     */
    public <T> T during(String what, Supplier<T> body) {
        String outer = phase.getAndSet(what);
        try {
            return body.get();
        } finally {
            leave(what, outer);
        }
    }

    /** As {@link #during(String, Supplier)}, for a body that throws checked exceptions (a user's health check). */
    public <T> T call(String what, Callable<T> body) throws Exception {
        String outer = phase.getAndSet(what);
        try {
            return body.call();
        } finally {
            leave(what, outer);
        }
    }

    private void leave(String what, String outer) {
        if (operationEndNanos - System.nanoTime() <= 0) {
            expiredIn.compareAndSet(null, what); // the innermost phase ends first
        }
        phase.set(outer);
    }

    /** As {@link #during(String, Supplier)} in the operation {@code current} gives, if any. */
    public static <T> T during(Optional<Deadline> current, String what, Supplier<T> body) {
        return current.isPresent() ? current.get().during(what, body) : body.get();
    }

    /** The phase the operation was in when its time ran out, else the one it is in now. */
    public Optional<String> phase() {
        String p = expiredIn.get();
        return Optional.ofNullable(p != null ? p : phase.get());
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + " ms left" + phase().map(p -> ", " + p).orElse("") + "]";
    }
}
