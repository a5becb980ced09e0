package dev.helmsdk.core.internal.readiness;

import java.util.Objects;

/**
 * The verdict of a kind's readiness rule on one object's status.
 *
 * @param state   ready, waiting or failed
 * @param reason  short and human: {@code 2/3 ready}, {@code Bound}; for {@link ReadinessState#FAILED} Kubernetes's
 *                own reason ({@code ProgressDeadlineExceeded}, {@code BackoffLimitExceeded})
 * @param message more detail ({@code ""} when none); for a failure, Kubernetes's message
 */
record Evaluation(ReadinessState state, String reason, String message) {

    public Evaluation {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
    }

    public static Evaluation ready(String reason) {
        return new Evaluation(ReadinessState.READY, reason, "");
    }

    public static Evaluation waiting(String reason) {
        return new Evaluation(ReadinessState.WAITING, reason, "");
    }

    public static Evaluation waiting(String reason, String message) {
        return new Evaluation(ReadinessState.WAITING, reason, message);
    }

    public static Evaluation failed(String reason, String message) {
        return new Evaluation(ReadinessState.FAILED, reason, message);
    }

    public boolean isReady() {
        return state == ReadinessState.READY;
    }
}
