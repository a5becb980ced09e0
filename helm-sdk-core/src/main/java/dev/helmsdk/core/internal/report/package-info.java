/**
 * The checks a dry run runs and the report they fill ({@link dev.helmsdk.core.internal.report.DryRunCheck},
 * {@link dev.helmsdk.core.internal.report.DryRunChecks}): one class per check, each with one job. Not API.
 */
package dev.helmsdk.core.internal.report;
