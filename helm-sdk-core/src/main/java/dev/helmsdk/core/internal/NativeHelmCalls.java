package dev.helmsdk.core.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Carries out {@link HelmCall}s. A Helm failure leaves as an {@link IllegalStateException} with
 * Helm's text (helm-java's own behaviour), for {@link HelmErrors} to translate.
 */
public interface NativeHelmCalls extends AutoCloseable {

    /** Runs the call and returns what Helm returned. */
    HelmCall.Result execute(HelmCall call);

    /**
     * As {@link #execute(HelmCall)}, for an operation whose resolved secrets {@code mask} masks: what Helm
     * says along the way (an isolated process's output) is logged at DEBUG through it, with the caller's MDC.
     */
    default HelmCall.Result execute(HelmCall call, dev.helmsdk.core.internal.secrets.Redactor mask) {
        return execute(call);
    }

    /**
     * Called when the caller gave up, at its time limit, on the call that {@code worker} is running:
     * an implementation that can stop that call for real does so here; one that cannot does nothing.
     */
    default void abandon(Thread worker) {
    }

    @Override
    default void close() {
    }

    /**
     * {@code calls}, each run as a phase of the operation making it ("running Helm's install"), so
     * that a timeout during a Helm call says so.
     */
    static NativeHelmCalls namingPhases(NativeHelmCalls calls, Supplier<Optional<Deadline>> deadlines) {
        return new NativeHelmCalls() {
            @Override
            public HelmCall.Result execute(HelmCall call) {
                return execute(call, dev.helmsdk.core.internal.secrets.Redactor.NONE);
            }

            @Override
            public HelmCall.Result execute(HelmCall call, dev.helmsdk.core.internal.secrets.Redactor mask) {
                return Deadline.during(deadlines.get(), phaseOf(call), "running Helm's " + call.kind().name().toLowerCase(Locale.ROOT),
                        () -> calls.execute(call, mask));
            }

            @Override
            public void abandon(Thread worker) {
                calls.abandon(worker);
            }

            @Override
            public void close() {
                calls.close();
            }
        };
    }

    /** The phase a Helm call is: a change applied, or a render that changes nothing (a template, a lint, a dry run). */
    private static dev.helmsdk.api.spi.OperationPhase phaseOf(HelmCall call) {
        return switch (call.kind()) {
            case INSTALL, UPGRADE, UNINSTALL -> call.dryRun() == null ? dev.helmsdk.api.spi.OperationPhase.APPLY
                    : dev.helmsdk.api.spi.OperationPhase.RENDER;
            case TEMPLATE, LINT -> dev.helmsdk.api.spi.OperationPhase.RENDER;
            case TEST -> dev.helmsdk.api.spi.OperationPhase.WAIT;
        };
    }
}
