package dev.helmsdk.core.internal;

import dev.helmsdk.api.spi.OperationPhase;

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

    /**
     * Hears the typed phases ({@link OperationPhase}) an operation starts and ends, on the thread that
     * runs them: how {@link OperationRunner} shows them to interceptors (metrics, spans, audit).
     */
    public interface PhaseListener {
        /** Hears nothing. */
        PhaseListener NONE = new PhaseListener() {
            @Override
            public void started(OperationPhase phase) {
            }

            @Override
            public void ended(OperationPhase phase, Duration took, Throwable failure) {
            }
        };

        /** {@code phase} starts now. */
        void started(OperationPhase phase);

        /** {@code phase} ended after {@code took}; {@code failure} is what it threw, or {@code null}. */
        void ended(OperationPhase phase, Duration took, Throwable failure);
    }

    /** A phase as the deadline keeps it: its kind ({@code null} for one that is only named) and its words. */
    private record Step(OperationPhase kind, String what) {
    }

    private final long endNanos;
    /** The operation's own deadline, of which this one may be a part ({@link #atMost}). */
    private final long operationEndNanos;
    /** What the operation is doing now; shared by the deadlines derived from one operation's. */
    private final AtomicReference<Step> phase;
    /** The innermost phase that was still running when the operation's time ran out. */
    private final AtomicReference<Step> expiredIn;
    private final PhaseListener listener;

    private Deadline(long endNanos, long operationEndNanos, AtomicReference<Step> phase, AtomicReference<Step> expiredIn,
                     PhaseListener listener) {
        this.endNanos = endNanos;
        this.operationEndNanos = operationEndNanos;
        this.phase = phase;
        this.expiredIn = expiredIn;
        this.listener = listener;
    }

    /** A deadline {@code limit} from now. */
    public static Deadline after(Duration limit) {
        return after(limit, PhaseListener.NONE);
    }

    /** A deadline {@code limit} from now whose typed phases {@code listener} hears. */
    public static Deadline after(Duration limit, PhaseListener listener) {
        long end = System.nanoTime() + limit.toNanos();
        return new Deadline(end, end, new AtomicReference<>(), new AtomicReference<>(), listener);
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
        return new Deadline(endNanos + CLEANUP.toNanos(), operationEndNanos, phase, expiredIn, listener);
    }

    /** The earlier of this deadline and {@code limit} from now, in the same operation. */
    public Deadline atMost(Duration limit) {
        return new Deadline(Math.min(endNanos, System.nanoTime() + limit.toNanos()), operationEndNanos, phase, expiredIn, listener);
    }

    /**
     * Runs {@code body} as phase {@code kind} of the operation, described by {@code what} (a gerund:
     * "running Helm's install"), so that a timeout meanwhile says what the operation was doing, and
     * the listener hears the phase start and end. {@code kind} {@code null}: only named, not signalled
     * (a step inside a phase of its kind, as a health check inside the readiness wait).
     */
    public <T> T during(OperationPhase kind, String what, Supplier<T> body) {
        Step step = new Step(kind, what);
        Step outer = enter(step);
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            leave(step, outer, start, failure);
        }
    }

    /** As {@link #during(OperationPhase, String, Supplier)}, for a body that throws checked exceptions (a user's health check). */
    public <T> T call(OperationPhase kind, String what, Callable<T> body) throws Exception {
        Step step = new Step(kind, what);
        Step outer = enter(step);
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            return body.call();
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            leave(step, outer, start, failure);
        }
    }

    private Step enter(Step step) {
        Step outer = phase.getAndSet(step);
        if (step.kind() != null) {
            listener.started(step.kind());
        }
        return outer;
    }

    private void leave(Step step, Step outer, long startNanos, Throwable failure) {
        if (operationEndNanos - System.nanoTime() <= 0) {
            expiredIn.compareAndSet(null, step); // the innermost phase ends first
        }
        phase.set(outer);
        if (step.kind() != null) {
            listener.ended(step.kind(), Duration.ofNanos(System.nanoTime() - startNanos), failure);
        }
    }

    /** As {@link #during(OperationPhase, String, Supplier)} in the operation {@code current} gives, if any. */
    public static <T> T during(Optional<Deadline> current, OperationPhase kind, String what, Supplier<T> body) {
        return current.isPresent() ? current.get().during(kind, what, body) : body.get();
    }

    /** The phase the operation was in when its time ran out, else the one it is in now, in words. */
    public Optional<String> phase() {
        return step().map(Step::what);
    }

    /** The innermost typed phase the operation was in when its time ran out, else the one it is in now. */
    public Optional<OperationPhase> phaseKind() {
        return step().map(Step::kind);
    }

    private Optional<Step> step() {
        Step p = expiredIn.get();
        return Optional.ofNullable(p != null ? p : phase.get());
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + " ms left" + phase().map(p -> ", " + p).orElse("") + "]";
    }
}
