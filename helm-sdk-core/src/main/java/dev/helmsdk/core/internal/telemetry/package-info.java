/**
 * What operators see of operations, built on the interceptor seam so that every path (an automatic
 * rollback's included) is covered: meters ({@link dev.helmsdk.core.internal.telemetry.MeterInterceptor}), spans of
 * operations and their phases ({@link dev.helmsdk.core.internal.telemetry.ObservationInterceptor}), the audit trail
 * ({@link dev.helmsdk.core.internal.telemetry.AuditInterceptor}), and the MDC every log line written during an
 * operation carries ({@link dev.helmsdk.core.internal.telemetry.LogContext}).
 */
package dev.helmsdk.core.internal.telemetry;
