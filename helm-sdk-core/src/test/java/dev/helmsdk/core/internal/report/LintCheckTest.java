package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helm's lint messages as findings by their level, masked; Helm's summary lines dropped; no chart, no lint. */
class LintCheckTest {

    @Test
    void eachMessageIsAFindingOfItsLevel() {
        LintCheck lint = new LintCheck(chart -> new LintReport(true, List.of(
                "[INFO] Chart.yaml: icon is recommended",
                "[WARNING] templates/: object name does not conform to Kubernetes naming requirements: \"s3cret-pw\"",
                "[ERROR] templates/deployment.yaml: unable to parse YAML",
                "1 chart(s) linted, 1 chart(s) failed")));
        List<Finding> found = Contexts.run(lint, Contexts.of(Path.of("charts/web"), Map.of(), List.of(), null, null));
        assertEquals(List.of("lint.error ERROR templates/deployment.yaml: unable to parse YAML",
                "lint.warning WARNING templates/: object name does not conform to Kubernetes naming requirements: \"***\"",
                "lint.info INFO Chart.yaml: icon is recommended"),
                found.stream().map(f -> f.code() + " " + f.severity() + " " + f.message()).toList());
        assertEquals(Severity.ERROR, found.get(0).severity());
    }

    @Test
    void aRollbackHasNoChartToLint() {
        LintCheck lint = new LintCheck(chart -> {
            throw new AssertionError("not linted");
        });
        assertEquals(List.of(), Contexts.run(lint, Contexts.of(null, Map.of(), List.of(), null, null)));
    }
}
