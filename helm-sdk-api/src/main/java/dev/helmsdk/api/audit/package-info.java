/**
 * The audit trail: the {@link dev.helmsdk.api.audit.AuditSink} SPI that receives one
 * {@link dev.helmsdk.api.audit.AuditEvent} for every change (its intent before it starts, its outcome
 * after it ends), every automatic-rollback decision, every lock takeover and every secret access, and
 * the {@link dev.helmsdk.api.audit.AuditPolicy} that says what a sink failure does to a change. Events
 * hold names, kinds, revisions, times and digests, never values or what secret references resolve to.
 * Their JSON form is described by the JSON Schema {@value dev.helmsdk.api.audit.AuditEvent#SCHEMA_RESOURCE}
 * in this jar.
 */
package dev.helmsdk.api.audit;
