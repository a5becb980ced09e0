/**
 * What operators see of operations, built on the interceptor seam so that every path (an automatic
 * rollback's included) is covered: the audit trail ({@link dev.helmsdk.core.internal.telemetry.AuditInterceptor}).
 */
package dev.helmsdk.core.internal.telemetry;
