package dev.helmsdk.core.internal;

/**
 * Carries out {@link HelmCall}s. A Helm failure leaves as an {@link IllegalStateException} with
 * Helm's text (helm-java's own behaviour), for {@link HelmErrors} to translate.
 */
public interface NativeHelmCalls extends AutoCloseable {

    /** Runs the call and returns what Helm returned. */
    HelmCall.Result execute(HelmCall call);

    /**
     * Called when the caller gave up, at its time limit, on the call that {@code worker} is running:
     * an implementation that can stop that call for real does so here; one that cannot does nothing.
     */
    default void abandon(Thread worker) {
    }

    @Override
    default void close() {
    }
}
