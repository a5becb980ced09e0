package dev.helmsdk.core.internal.source;

import dev.helmsdk.api.ChartSourceException;

/**
 * A transport-level failure, before it is given the operation and repository it belongs to.
 * Messages never contain secrets (they are built from status lines, host names and exception
 * class names).
 */
final class SourceFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ChartSourceException.Reason reason;
    private final int status;

    SourceFailure(ChartSourceException.Reason reason, int status, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.status = status;
    }

    /** The reason. */
    public ChartSourceException.Reason reason() {
        return reason;
    }

    /** The HTTP status, or 0 when there was no response. */
    public int status() {
        return status;
    }
}
