/**
 * What a dry run reports before anything changes: the objects that would change
 * ({@link dev.helmsdk.api.report.ObjectChange}), every finding of the checks it ran
 * ({@link dev.helmsdk.api.report.Finding}: the API server's refusals, conflicts with objects Helm would not
 * adopt, immutable fields, RBAC, quota, the values schema, lint, validators and policy rules), and one
 * {@link dev.helmsdk.api.report.Verdict} a pipeline can gate on. Everything here is a value that serialises to
 * JSON as it is (records of strings, numbers, lists and optionals); nothing in it holds a secret's value.
 * {@link dev.helmsdk.api.report.ReleaseValidator} is the SPI for checks of one's own.
 */
package dev.helmsdk.api.report;
