package dev.helmsdk.core.internal.report;

/**
 * One check of a dry run (admission through a server-side dry run, the diff, conflicts, immutable fields, RBAC,
 * quota, the values schema, validators, policy rules), with one job. A check reports what it finds; it changes
 * nothing in the cluster. A failure of the check itself (not of what it checks) is thrown and becomes an error
 * finding of its own, so one broken check never hides the others' findings.
 */
public interface DryRunCheck {

    /** A short name, the {@code check} of its findings unless it names others ({@code rbac}, {@code quota}). */
    String name();

    /** Whether it takes part in this dry run (most need the cluster: {@link CheckContext#server()}). */
    boolean appliesTo(CheckContext context);

    /** Checks {@code context}, adding findings (and, for the diff, object changes) to {@code report}. */
    void check(CheckContext context, ReportBuilder report);

    /** The code of the error finding when this check itself fails; {@code <name>.failed} unless it says otherwise. */
    default String failureCode() {
        return name() + ".failed";
    }
}
