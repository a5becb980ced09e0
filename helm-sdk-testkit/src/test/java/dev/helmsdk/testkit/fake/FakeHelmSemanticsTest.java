package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.helmsdk.testkit.fake.FakeCharts.PREVIEW;
import static dev.helmsdk.testkit.fake.FakeCharts.PREVIEW_2;
import static dev.helmsdk.testkit.fake.FakeCharts.WEB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What only the fake's builder offers, or what the shared contract cannot reach with its charts: the
 * fake's own clock, {@code maxHistory} on the builder, and needsUpgrade across charts of different names.
 * Helm's semantics themselves are the contract's cases ({@link FakeHelmManagerContractTest} runs them on
 * the fake, {@code EmbeddedHelmManagerTest} on the real manager), not repeated here.
 */
class FakeHelmSemanticsTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void theBuildersClockStampsEveryRevision() {
        try (HelmManager helm = FakeHelmManager.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build()) {
            Release r1 = helm.install("shop").inNamespace("shop").chart(WEB).run();
            assertEquals(NOW, r1.lastDeployed());
            Release r2 = helm.upgrade("shop").inNamespace("shop").chart(WEB).set("message", "v2").run();
            assertEquals(NOW, r2.lastDeployed());
            assertEquals(List.of(NOW, NOW), helm.history("shop").inNamespace("shop").run().stream().map(Release::lastDeployed).toList());
        }
    }

    @Test
    void theBuildersMaxHistoryPrunesOldRevisionsButNeverTheDeployedOne() {
        try (HelmManager short3 = FakeHelmManager.builder().maxHistory(3).build()) {
            short3.install("hist").inNamespace("history").chart(WEB).run();
            for (int i = 2; i <= 5; i++) {
                short3.upgrade("hist").inNamespace("history").chart(WEB).set("message", "v" + i).run();
            }
            assertEquals(List.of(3, 4, 5), short3.history("hist").inNamespace("history").run().stream().map(Release::revision).toList());
            Release back = short3.rollback("hist").inNamespace("history").toRevision(3).run();
            assertEquals(6, back.revision());
            assertEquals(List.of(4, 5, 6), short3.history("hist").inNamespace("history").run().stream().map(Release::revision).toList());
            assertEquals(Map.of("message", "v3"), short3.values("hist").inNamespace("history").run());
        }
    }

    @Test
    void needsUpgradeSeesAnotherChartAndTheLastOfRepeatedValues() {
        try (HelmManager helm = FakeHelmManager.create()) {
            helm.install("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v1").run();
            assertEquals(Set.of(Difference.CHART_VERSION),
                    helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW_2).set("message", "v1").run().differences());
            assertEquals(Set.of(Difference.CHART_NAME, Difference.CHART_VERSION),
                    helm.needsUpgrade("cmp").inNamespace("cmp").chart(WEB).set("message", "v1").run().differences());
            assertEquals(Set.of(), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW)
                    .set("message", "v1.0").set("message", "v1").run().differences(), "the last set of a key wins");
            UpgradeCheck same = helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v1").run();
            assertFalse(same.needed(), same.toString());
        }
    }
}
