package dev.helmsdk.core.internal.report;

import java.util.List;

/**
 * Checks that come as a group (the validators, the policy rules), run by {@link DryRunChecks} each on its own, so
 * one that throws is a finding of its own and the others still report; the group registers as one check.
 */
final class CheckGroup implements DryRunCheck {

    private final String name;
    private final DryRunChecks each;

    CheckGroup(String name, List<DryRunCheck> checks) {
        this.name = name;
        this.each = new DryRunChecks(checks);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return !each.names().isEmpty();
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        each.runInto(context, report);
    }

    /** The checks' names, in order. */
    List<String> names() {
        return each.names();
    }
}
