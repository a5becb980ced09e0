/**
 * What the SDK shows operators while it works: spans of operations and their phases (Micrometer
 * Observation), and the MDC every log line written during an operation carries.
 */
package dev.helmsdk.core.internal.telemetry;
