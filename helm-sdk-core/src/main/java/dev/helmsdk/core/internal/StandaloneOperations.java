package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.spi.OperationSignal;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Operations run without a manager (a chart lifecycle's package, push, pull, verify and dependency updates),
 * through the manager's own {@link OperationRunner}: the same interceptor calls, meters, audit events, log
 * lines and typed failure for anything unexpected. They run on the caller's thread, bounded by
 * {@link Timeouts#MAX}: they have no time limit of their own, and each request they send has the chart
 * sources' limits.
 */
public final class StandaloneOperations implements AutoCloseable {

    private final OperationRunner runner;

    private StandaloneOperations(OperationRunner runner) {
        this.runner = runner;
    }

    /** A runner showing operations to what {@code seams} assemble. */
    public static StandaloneOperations start(OperationSeams seams) {
        return new StandaloneOperations(seams.runner());
    }

    /** Runs {@code body} as {@code op}: every failure leaves as a {@link dev.helmsdk.api.HelmSdkException}. */
    public <T> T run(Operation op, Supplier<T> body) {
        return runner.runInline(op, null, null, Timeouts.MAX, body);
    }

    /** Shows {@code signal} to the interceptors, as part of the operation running on the calling thread. */
    public void signal(OperationSignal signal) {
        runner.signal(signal);
    }

    /** The deadline of the operation running on the calling thread, if any. */
    public Optional<Deadline> currentDeadline() {
        return runner.currentDeadline();
    }

    /** Where meters go, or {@code null}. */
    public MeterRegistry registry() {
        return runner.registry();
    }

    /** Stops the runner's watchdog and closes the interceptors it owns (found audit sinks). */
    @Override
    public void close() {
        runner.close();
    }
}
