package dev.helmsdk.api.spi;

import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.ReadinessProgress;
import dev.helmsdk.api.Timeouts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The groups of {@link DeploySpec} and {@link RollbackSpec}: their defaults, withers and the states they refuse. */
class SpecGroupsTest {

    private final HealthCheck first = ctx -> HealthCheck.Result.pass();
    private final HealthCheck second = ctx -> HealthCheck.Result.fail("no");

    @Test
    void healthChecksAddUpAndImplyWaiting() {
        Readiness r = Readiness.ofDefaults().plusHealthCheck(first).plusHealthCheck(second);
        assertTrue(r.enabled());
        assertEquals(List.of(first, second), r.healthChecks());
        assertThrows(IllegalArgumentException.class, () -> new Readiness(false, null, List.of(first)),
                "checks run after the wait, so there is no checking without waiting");
        assertEquals(List.of(), r.withEnabled(false).healthChecks(), "turning the wait off drops the checks that need it");
        assertNull(Readiness.ofDefaults().progress());
        Consumer<ReadinessProgress> a = p -> { };
        Consumer<ReadinessProgress> b = p -> { };
        assertEquals(b, Readiness.ofDefaults().withProgress(a).withProgress(b).progress(), "one listener: the later replaces");
    }

    @Test
    void reuseAndResetValuesExcludeEachOther() {
        assertThrows(IllegalArgumentException.class, () -> new DeploySpec.Upgrade(false, true, true, false));
        DeploySpec.Upgrade reset = DeploySpec.Upgrade.ofDefaults().withReuseValues(true).withResetValues(true);
        assertTrue(reset.resetValues());
        assertFalse(reset.reuseValues(), "the later one wins, as on UpgradeRequest");
        assertTrue(reset.withReuseValues(true).reuseValues());
        assertFalse(reset.withReuseValues(true).resetValues());
        assertTrue(reset.withReuseValues(false).resetValues(), "clearing one leaves the other");
        assertEquals(new DeploySpec.Upgrade(true, false, false, true),
                DeploySpec.Upgrade.ofDefaults().withInstallIfAbsent(true).withForce(true));
    }

    @Test
    void renderingTakesNullAsTheDefaultVersion() {
        assertEquals(DeploySpec.Rendering.ofDefaults(), new DeploySpec.Rendering(false, null));
        assertEquals(new DeploySpec.Rendering(true, "v1.31.0"), DeploySpec.Rendering.ofDefaults().withKubeVersion("v1.31.0").withSkipCrds(true));
    }

    @Test
    void buildersChangeOnlyWhatTheyAreTold() {
        DeploySpec d = DeploySpec.of("web", "apps", Timeouts.ofDefaults());
        DeploySpec changed = d.toBuilder().namespace("prod").readiness(d.readiness().withEnabled(true)).build();
        assertEquals(d.toBuilder().namespace("prod").build().upgrade(), changed.upgrade());
        assertEquals(new DeploySpec("web", "prod", null, d.values(), new Readiness(true, null, List.of()), d.upgrade(), d.rendering(),
                false, "", false, null, d.timeouts()), changed);

        RollbackSpec r = RollbackSpec.of("web", "apps", Timeouts.ofDefaults());
        assertEquals(new RollbackSpec("web", "apps", 3, Readiness.ofDefaults(), false, true, "", r.timeouts()),
                r.toBuilder().revision(3).cleanupOnFail(true).build());
        assertThrows(IllegalArgumentException.class, () -> r.toBuilder().revision(-1).build());
    }
}
