/**
 * A dry run's report in forms other programs read: {@link dev.helmsdk.core.report.DryRunReports#toJson} writes
 * the JSON that the schema {@value dev.helmsdk.core.report.DryRunReports#SCHEMA_RESOURCE} documents.
 */
package dev.helmsdk.core.report;
