/**
 * The audit sinks shipped with the SDK: {@link dev.helmsdk.core.audit.JsonLinesAuditSink}, one JSON object a
 * line in an append-only file, forced to disk before each write returns, rotated by size, with a reader
 * that finds interrupted changes; and {@link dev.helmsdk.core.audit.Slf4jAuditSink}, one INFO line an
 * event on the logger {@code dev.helmsdk.audit}. Both write the JSON form the schema
 * {@value dev.helmsdk.api.audit.AuditEvent#SCHEMA_RESOURCE} describes.
 */
package dev.helmsdk.core.audit;
