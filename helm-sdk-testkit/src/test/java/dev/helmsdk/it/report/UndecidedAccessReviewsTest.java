package dev.helmsdk.it.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.report.Verdict;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded API serves no authorization API: it decides no access review. The RBAC check says once that
 * it could not check, instead of reporting every permission as denied.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class UndecidedAccessReviewsTest {

    @Test
    void reviewsWithoutADecisionAreOneNoteNotADenialEach(HelmManager helm) {
        DryRunResult plan = helm.install("web").inNamespace("default").chart(ChartRef.local(TestCharts.podinfo())).dryRun();
        List<Finding> rbac = plan.findings().stream().filter(f -> f.check().equals("rbac")).toList();
        assertEquals(List.of("rbac.not_evaluated"), rbac.stream().map(Finding::code).toList(), plan.findings().toString());
        assertTrue(rbac.get(0).message().matches("the API server decided (\\d+) of \\1 access reviews not at all .*"),
                rbac.get(0).message());
        assertEquals(dev.helmsdk.api.report.Severity.INFO, rbac.get(0).severity(), "no authorization API: nothing to be refused by");
        assertEquals(Verdict.PASS, plan.verdict(), plan.findings().toString());
    }
}
