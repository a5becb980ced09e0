package dev.helmsdk.core.internal.readiness;

/**
 * Thrown when the waiting thread is interrupted (for example by the SDK's watchdog). The thread's interrupt flag is
 * set again before this is thrown, so callers up the stack still see it.
 */
public class ReadinessInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ReadinessSnapshot snapshot;

    public ReadinessInterruptedException(ReadinessSnapshot snapshot, Throwable cause) {
        super("readiness wait interrupted" + (snapshot == null ? "" : ": " + snapshot), cause);
        this.snapshot = snapshot;
    }

    /** The last readiness seen, or {@code null} when interrupted before the first poll finished. */
    public ReadinessSnapshot snapshot() {
        return snapshot;
    }
}
