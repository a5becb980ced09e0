package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.api.report.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks of a dry run run in isolation: one that breaks is a finding, the others still report; worst first. */
class DryRunChecksTest {

    private static CheckContext context() {
        return new CheckContext(Operation.UPGRADE, DryRunMode.CLIENT, "web", "apps", "web", "1.0.0", Optional.empty(),
                new RenderedManifest("", List.of()), List.of(), Map.of(), Optional.empty(), Optional.empty(),
                text -> text.replace("s3cret-pw", "***"));
    }

    private static DryRunCheck check(String name, boolean applies, java.util.function.Consumer<ReportBuilder> body) {
        return new DryRunCheck() {
            @Override public String name() { return name; }
            @Override public boolean appliesTo(CheckContext c) { return applies; }
            @Override public void check(CheckContext c, ReportBuilder report) { body.accept(report); }
        };
    }

    @Test
    void aBrokenCheckIsAnErrorFindingMaskedAndTheOthersStillReport() {
        DryRunChecks checks = new DryRunChecks(List.of(
                check("lint", true, r -> r.add(Finding.general("lint", "lint.warning", Severity.WARNING, "icon is recommended", null))),
                check("quota", true, r -> {
                    throw new IllegalStateException("could not read quota with token s3cret-pw");
                }),
                check("rbac", false, r -> r.add(Finding.general("rbac", "rbac.denied", Severity.ERROR, "not run", null))),
                check("info", true, r -> r.add(Finding.general("info", "x", Severity.INFO, "for the record", null)))));
        ReportBuilder report = checks.run(context());
        List<Finding> found = report.findings();
        assertEquals(List.of("quota.failed", "lint.warning", "x"), found.stream().map(Finding::code).toList(), "errors first");
        assertTrue(found.get(0).message().contains("could not read quota with token ***"), found.get(0).message());
        assertFalse(found.get(0).message().contains("s3cret-pw"));
        assertEquals(Verdict.FAIL, Verdict.of(found));
        assertEquals(Verdict.WARN, Verdict.of(found.subList(1, 3)));
        assertEquals(Verdict.PASS, Verdict.of(found.subList(2, 3)));
        assertEquals(List.of("lint", "quota", "rbac", "info"), checks.names());
    }
}
