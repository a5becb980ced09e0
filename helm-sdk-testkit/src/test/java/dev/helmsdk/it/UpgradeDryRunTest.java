package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.UpgradeRequest;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dry run of an upgrade shows what that upgrade then deploys: differentially, the values a
 * chart renders in the dry run against the manifest Helm stores when the same request runs. The
 * chart emits {@code toYaml .Values}, so any difference in the values Helm would use shows.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class UpgradeDryRunTest {

    private static final ChartRef V1 = ChartRef.local(TestCharts.local("sdk-preview"));
    private static final ChartRef V2 = ChartRef.local(TestCharts.local("sdk-preview-2"));   // adds a default

    @Test
    void reuseValuesShowsTheStoredValues(HelmManager helm) {
        String shown = planThenRun(helm, "reuse", V1, u -> u.reuseValues().set("list", java.util.List.of(3)));
        assertTrue(shown.contains("stored"), shown);
    }

    @Test
    void anUpgradeWithNoValuesKeepsTheReleasesValuesAsHelmDoes(HelmManager helm) {
        String shown = planThenRun(helm, "none", V1, u -> u);
        assertTrue(shown.contains("stored"), "Helm copies the release's values when an upgrade gives none: " + shown);
    }

    @Test
    void resetValuesShowsTheChartDefaults(HelmManager helm) {
        String shown = planThenRun(helm, "reset", V1, u -> u.resetValues().set("list", java.util.List.of(4)));
        assertFalse(shown.contains("stored"), shown);
    }

    @Test
    void aKeyDeletedWithNullIsShownTheWayHelmRendersItWithReuseValues(HelmManager helm) {
        String shown = planThenRun(helm, "deleted", V1, u -> u.reuseValues().set("message", "new"));
        // Helm's quirk: reuseValues renders over the old computed values, which lack the key, so the
        // stored null is no longer deleting anything and renders as null.
        assertTrue(shown.contains("drop: null"), shown);
    }

    @Test
    void reuseValuesWithANewChartVersionLeavesOutItsNewDefaultsAsHelmDoes(HelmManager helm) {
        String shown = planThenRun(helm, "newchart", V2, u -> u.reuseValues().set("message", "new"));
        assertFalse(shown.contains("in-0.2.0"), "reuseValues renders with the old chart's values: " + shown);
    }

    @Test
    void plainValuesOnANewChartVersionGetItsNewDefaults(HelmManager helm) {
        String shown = planThenRun(helm, "plain", V2, u -> u.set("message", "new"));
        assertTrue(shown.contains("in-0.2.0"), shown);
    }

    /**
     * Installs {@code name} with stored values (and {@code extra.drop} deleted), dry-runs the
     * upgrade, checks the dry run changed nothing, runs the same upgrade and compares.
     */
    private static String planThenRun(HelmManager helm, String name, ChartRef chart, UnaryOperator<UpgradeRequest> request) {
        helm.install(name).chart(V1).set("message", "stored").set("extra.drop", null).run();
        DryRunResult plan = request.apply(helm.upgrade(name).chart(chart)).dryRun();
        assertEquals(1, helm.history(name).run().size(), "the dry run changed nothing");
        String shown = valuesLine(plan.rendered().find("ConfigMap", name + "-values").orElseThrow().yaml());
        request.apply(helm.upgrade(name).chart(chart)).run();
        String deployed = valuesLine(helm.manifest(name).run());
        assertEquals(deployed, shown, "the dry run shows what the upgrade deployed");
        return shown;
    }

    private static String valuesLine(String yaml) {
        return Arrays.stream(yaml.split("\n")).filter(l -> l.startsWith("  values: ")).findFirst().orElseThrow(() ->
                new AssertionError("no values line in " + yaml));
    }
}
