package dev.helmsdk.api.audit;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;

import java.util.Objects;

/**
 * The audit sink could not record a change's intent, and {@link AuditPolicy#FAIL_CLOSED} refused the
 * change before it started: nothing in the cluster changed. Retryable ({@link dev.helmsdk.api.Retryability}):
 * once the sink is back (the disk has room, the service answers) the same call can go through.
 */
public class AuditUnavailableException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final String sink;

    /**
     * @param operation the change that was refused
     * @param release   its release, or {@code null}
     * @param sink      the sink that failed (its class name)
     * @param cause     why it failed, or {@code null}
     */
    public AuditUnavailableException(Operation operation, String release, String sink, Throwable cause) {
        super(operation, release, operation.tag() + (release == null ? "" : " of release '" + release + "'")
                + " was refused before it started: audit sink " + Objects.requireNonNull(sink, "sink")
                + " could not record it (" + (cause == null ? "no reason given" : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage())) + "). The audit policy is FAIL_CLOSED;"
                + " fix the sink and retry, or choose AuditPolicy.FAIL_OPEN to let changes go on unaudited", cause);
        this.sink = sink;
    }

    /** The sink that failed, as its class name. */
    public String sink() {
        return sink;
    }
}
