package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.core.BuiltInValidator;
import dev.helmsdk.core.internal.charts.ChartDependencies;
import dev.helmsdk.core.internal.charts.PinnedVersions;
import dev.helmsdk.core.internal.source.ChartArchives;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link BuiltInValidator#DEPENDENCY_VERSIONS_PINNED}: the chart's {@code Chart.yaml} asks for each repository or
 * registry dependency by one exact version. A check rather than a validator because {@code Chart.yaml} (not what
 * was rendered) is not in a validator's input.
 */
final class DependencyVersionsPinnedCheck implements DryRunCheck {

    @Override
    public String name() {
        return "validator:" + BuiltInValidator.DEPENDENCY_VERSIONS_PINNED.validatorName();
    }

    @Override
    public String failureCode() {
        return "validator.failed";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return context.chart().isPresent();
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        for (PinnedVersions.Floating f : PinnedVersions.floating(dependencies(context.chart().get()))) {
            report.add(Finding.general(name(), "dependency.version_floating", Severity.ERROR,
                    "chart '" + context.chartName() + "': dependency " + f.describe(),
                    "give dependency '" + f.dependency().name() + "' one exact version in Chart.yaml, then run dependency update"));
        }
    }

    /** The dependencies of a chart directory or archive. */
    static List<ChartDependencies.Dependency> dependencies(Path chart) {
        if (Files.isDirectory(chart)) {
            return ChartDependencies.read(dev.helmsdk.api.Operation.DRY_RUN, chart).dependencies();
        }
        try {
            return ChartDependencies.parse(dev.helmsdk.api.Operation.DRY_RUN, chart, ChartArchives.check(chart).chartYaml()).dependencies();
        } catch (ChartArchives.Refused | java.io.IOException e) {
            throw new IllegalStateException("chart archive " + chart + " cannot be read: " + e.getMessage(), e);
        }
    }
}
