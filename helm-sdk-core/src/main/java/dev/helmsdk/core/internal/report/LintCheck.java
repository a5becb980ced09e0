package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helm's strict lint of the chart (a directory or an archive: Helm unpacks one itself), each message a finding
 * {@code lint.error}, {@code lint.warning} or {@code lint.info}. Helm lints with the chart's own values (helm-java
 * takes no values for lint), so a finding is about the chart, not this release's values.
 */
public final class LintCheck implements DryRunCheck {

    /** {@code [WARNING] templates/: message}, as Helm prints a lint message. */
    private static final Pattern MESSAGE = Pattern.compile("^\\[(ERROR|WARNING|INFO)]\\s*(.*)$", Pattern.DOTALL);

    private final Function<Path, LintReport> strictLint;

    /** @param strictLint Helm's {@code lint --strict} of a chart, within the operation's deadline */
    public LintCheck(Function<Path, LintReport> strictLint) {
        this.strictLint = strictLint;
    }

    @Override
    public String name() {
        return "lint";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return context.chart().isPresent();
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        LintReport lint = strictLint.apply(context.chart().get());
        for (String line : lint.messages()) {
            Matcher m = MESSAGE.matcher(line.trim());
            if (!m.matches()) {
                continue;   // Helm's summary lines
            }
            Severity severity = Severity.valueOf(m.group(1));
            report.add(Finding.general(name(), "lint." + m.group(1).toLowerCase(java.util.Locale.ROOT), severity,
                    context.mask().apply(m.group(2).trim()), severity == Severity.INFO ? null : "fix the chart; `helm lint --strict` shows the same"));
        }
    }
}
