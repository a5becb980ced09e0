package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.TestReport;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What the release's {@code helm test} hooks said the last time they ran, read from the latest release record (one
 * LIST): a warning {@code release_tests.last_failed} naming each test that failed. A dry run never runs test pods, so
 * this speaks of the deployed release, not of the change (which may fix it): a warning, not an error. Upgrades and
 * rollbacks in server mode only (an install has no record).
 */
public final class ReleaseTestsCheck implements DryRunCheck {

    /** The last test run of (namespace, release) as its latest record holds it; empty when it has no record. */
    private final BiFunction<String, String, Optional<TestReport>> lastRun;

    public ReleaseTestsCheck(BiFunction<String, String, Optional<TestReport>> lastRun) {
        this.lastRun = lastRun;
    }

    @Override
    public String name() {
        return "release_tests";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return context.server() && context.operation() != Operation.INSTALL;
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        Optional<TestReport> found = lastRun.apply(context.namespace(), context.releaseName());
        if (found.isEmpty()) {
            return;
        }
        TestReport last = found.get();
        List<String> failed = last.tests().stream().filter(t -> t.phase() == TestReport.Phase.FAILED)
                .map(t -> t.name() + t.completedAt().map(at -> " (at " + at + ")").orElse("")).toList();
        if (!failed.isEmpty()) {
            report.add(Finding.general(name(), "release_tests.last_failed", Severity.WARNING,
                    "the release's helm tests last failed on revision " + last.revision() + ": " + String.join(", ", failed),
                    "this dry run runs no test pod; after the change, run test(name).results() or gate it with HealthChecks.helmTests()"));
        }
    }
}
