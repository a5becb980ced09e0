package dev.helmsdk.examples.cli;

import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.report.Verdict;

/**
 * What the command line's exit code says, so a pipeline can tell findings from errors (and, with
 * {@code --detailed-exitcode}, changes from no changes, as helm-diff does).
 */
final class ExitCodes {

    /** Done; a dry run found nothing that fails it (and, with {@code --detailed-exitcode}, nothing would change). */
    static final int OK = 0;
    /** An error: bad input (a values file, a chart, an option's value), the cluster unreachable, Helm failed, a chart source unreadable. */
    static final int ERROR = 1;
    /**
     * With {@code --detailed-exitcode}: a dry run or diff would add, change or remove something; drift: something drifted;
     * advise: a release can be upgraded within the policy.
     */
    static final int CHANGES = 2;
    /** A dry run's findings fail its verdict (an error; a warning too with {@code --fail-on warning}); a drift correction or an advised upgrade failed. */
    static final int FINDINGS = 3;
    /** The command line itself is wrong (an unknown option, a missing argument): sysexits' EX_USAGE. */
    static final int USAGE = 64;

    /** For every command's {@code --help}. */
    static final String HELP = "%nExit codes:%n"
            + "  0   done; a dry run passed (with --detailed-exitcode: and nothing would change)%n"
            + "  1   error: bad input (values file, chart, option value), cluster unreachable, Helm failed;%n"
            + "      advise: a chart source could not be read%n"
            + "  2   dry-run, diff, rollback --dry-run with --detailed-exitcode: something would be added, changed or removed;%n"
            + "      drift with --detailed-exitcode: something drifted; advise with --detailed-exitcode: an upgrade is available%n"
            + "  3   dry-run, rollback --dry-run: findings fail the verdict (errors; warnings too with --fail-on warning);%n"
            + "      drift --correct: a correction failed; advise --upgrade: an upgrade failed%n"
            + "  64  usage error: unknown option, missing argument%n";

    private ExitCodes() {
    }

    /**
     * The exit code of a dry run: failing findings first (3), then changes (2, only when asked), else 0.
     *
     * @param gateOnFindings whether findings decide (a diff does not gate on them)
     * @param detailed       {@code --detailed-exitcode}
     * @param failOn         the verdict from which findings fail
     */
    static int of(DryRunResult result, boolean gateOnFindings, boolean detailed, Verdict failOn) {
        if (gateOnFindings && result.verdict().compareTo(failOn) >= 0 && result.verdict() != Verdict.PASS) {
            return FINDINGS;
        }
        return detailed && result.hasChanges() ? CHANGES : OK;
    }

    /** The exit code of a drift check: an error finding (a correction that failed) first (3), then drift (2, only when asked), else 0. */
    static int of(dev.helmsdk.api.report.DriftReport report, boolean detailed) {
        if (report.verdict() == Verdict.FAIL) {
            return FINDINGS;
        }
        return detailed && report.hasDrift() ? CHANGES : OK;
    }
}
