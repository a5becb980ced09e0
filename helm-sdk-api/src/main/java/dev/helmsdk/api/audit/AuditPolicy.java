package dev.helmsdk.api.audit;

/**
 * What a failing {@link AuditSink} does to a change. Set with {@code HelmSdk.builder().auditPolicy(...)};
 * the default is {@link #FAIL_CLOSED}.
 */
public enum AuditPolicy {

    /**
     * A change whose intent cannot be written is refused before it starts, with an
     * {@link AuditUnavailableException}: nothing reaches the cluster unaudited. The choice for
     * regulated users, and the default. An outcome that cannot be written after a change is logged
     * and counted, never turned into a failure: the change already happened, and refusing it then
     * would only hide that it did (the intent on record says it was attempted).
     */
    FAIL_CLOSED,

    /**
     * Changes go on when the sink fails; each failure is logged (WARN, naming the sink, not the event)
     * and counted ({@code helm.sdk.audit.failures}, tag {@code sink}, when a meter registry is set).
     * For teams that put deployments before a complete trail.
     */
    FAIL_OPEN
}
