package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;

import java.util.List;

/**
 * The checks every dry run runs, in order, each isolated from the others: one that throws is an error finding
 * ({@code <name>.failed}) naming it, and the rest still run.
 */
public final class DryRunChecks {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DryRunChecks.class);

    /** None: a dry run that reports only what it renders. */
    public static final DryRunChecks NONE = new DryRunChecks(List.of());

    private final List<DryRunCheck> checks;

    public DryRunChecks(List<DryRunCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Runs every check that applies to {@code context}; what they found. */
    public ReportBuilder run(CheckContext context) {
        ReportBuilder report = new ReportBuilder();
        runInto(context, report);
        return report;
    }

    /** Runs every check that applies to {@code context}, each isolated, adding what they found to {@code report}. */
    public void runInto(CheckContext context, ReportBuilder report) {
        for (DryRunCheck check : checks) {
            if (!check.appliesTo(context)) {
                continue;
            }
            try {
                check.check(context, report);
            } catch (RuntimeException e) {
                String what = context.mask().apply(String.valueOf(e.getMessage()));
                LOG.warn("dry-run check {} failed for release '{}': {}", check.name(), context.releaseName(), what);
                report.add(Finding.general(check.name(), check.failureCode(), Severity.ERROR,
                        "the " + check.name() + " check could not run: " + what,
                        "the other checks ran; fix the cause and run the dry run again"));
            }
        }
    }

    /** Only the check named {@code name} (none when there is no such check). */
    public DryRunChecks only(String name) {
        return new DryRunChecks(checks.stream().filter(c -> c.name().equals(name)).toList());
    }

    /** The checks' names, in order. */
    public List<String> names() {
        return checks.stream().map(DryRunCheck::name).toList();
    }
}
