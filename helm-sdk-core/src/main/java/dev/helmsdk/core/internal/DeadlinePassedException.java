package dev.helmsdk.core.internal;

/**
 * Thrown instead of sending a request once the operation's deadline has passed; the operation
 * runner turns it into the caller's {@link dev.helmsdk.api.OperationTimeoutException}.
 */
final class DeadlinePassedException extends RuntimeException {

    public DeadlinePassedException(String what) {
        super("the operation's time limit passed before " + what + "; nothing was sent", null, false, false);
    }
}
