package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.core.BuiltInValidator;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link BuiltInValidator#CHART_VERSION_PINNED}: a repository or OCI chart asked for by one exact version. A check
 * rather than a validator because what was asked for (not the version it resolved to) is not in a validator's input.
 */
final class ChartVersionPinnedCheck implements DryRunCheck {

    /** One exact semantic version, as Helm resolves it without a constraint ({@code 1.2.3}, {@code v1.2.3-rc.1+b}). */
    private static final Pattern EXACT = Pattern.compile("v?\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

    @Override
    public String name() {
        return "validator:" + BuiltInValidator.CHART_VERSION_PINNED.validatorName();
    }

    @Override
    public String failureCode() {
        return "validator.failed";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return context.requestedChart().isPresent();
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        ChartRef chart = context.requestedChart().get();
        Optional<String> version;
        if (chart instanceof ChartRef.Repository r) {
            version = Optional.ofNullable(r.version());
        } else if (chart instanceof ChartRef.Oci o) {
            version = Optional.ofNullable(o.version());
        } else {
            return;   // a local chart is what is on disk
        }
        if (version.isEmpty()) {
            report.add(Finding.general(name(), "chart.version_unpinned", Severity.ERROR,
                    "chart '" + context.chartName() + "' is asked for without a version, so each run may get another (now " + context.chartVersion() + ")",
                    "ask for version " + context.chartVersion()));
        } else if (!EXACT.matcher(version.get().trim()).matches()) {
            report.add(Finding.general(name(), "chart.version_range", Severity.ERROR,
                    "chart '" + context.chartName() + "' is asked for by the range '" + version.get() + "', so each run may get another (now "
                            + context.chartVersion() + ")", "ask for version " + context.chartVersion()));
        }
    }
}
