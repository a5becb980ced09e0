package dev.helmsdk.api.spi;

/**
 * Sees every operation a manager runs, before it starts and after it ends, with its outcome: every
 * change (install, upgrade, rollback, uninstall, dry run), every read, and the steps an automatic
 * rollback takes on the caller's behalf ({@link OperationEvent#parentId()} names the operation they
 * undo). Metrics, traces and audit trails plug in here.
 *
 * <p>Found by {@link java.util.ServiceLoader} ({@code META-INF/services/dev.helmsdk.api.spi.OperationInterceptor})
 * and given on the manager's builder; they run in {@link #order()} (lower first) before an
 * operation and in the reverse order after it, on the thread that runs the operation. What they
 * see holds no values and no secrets: names, kinds, times, outcomes and error messages (which
 * the SDK keeps free of secrets).
 *
 * <p>An exception from {@link #before} stops the operation before it does anything, and the
 * caller gets it (a {@link dev.helmsdk.api.HelmSdkException} as it is, anything else wrapped in
 * one): a policy can veto. An exception from {@link #after} is logged and ignored: it never
 * replaces the operation's outcome. Implementations must be thread-safe; operations on different
 * releases run concurrently.
 */
public interface OperationInterceptor {

    /** The position among interceptors: lower runs first before an operation, last after it. Default 0. */
    default int order() {
        return 0;
    }

    /** Called before the operation starts. */
    default void before(OperationEvent event) {
    }

    /** Called after the operation ended, whether it succeeded or failed. */
    default void after(OperationEvent event, OperationOutcome outcome) {
    }

    /**
     * Called for each secret reference the operation resolved (or failed to, or took from the
     * cache), between {@link #before} and {@link #after}, on the thread that resolved it: the audit
     * trail of secret access. An exception from it is logged and ignored.
     *
     * @param event  the operation the secret was resolved for
     * @param access the reference, resolver, outcome and duration; never the value
     */
    default void secretAccessed(OperationEvent event, dev.helmsdk.api.secrets.SecretAccess access) {
    }

    /**
     * Called for what happens inside the operation (a phase starting or ending, the lock taken, a
     * readiness wait ending, a chart fetched, what the change did), between {@link #before} and
     * {@link #after}, on the thread where it happened. An exception from it is logged and ignored.
     *
     * @param event  the operation it happened in
     * @param signal what happened; see {@link OperationSignal}'s records
     */
    default void signal(OperationEvent event, OperationSignal signal) {
    }
}
