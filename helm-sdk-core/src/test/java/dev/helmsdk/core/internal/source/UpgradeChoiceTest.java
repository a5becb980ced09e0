package dev.helmsdk.core.internal.source;

import dev.helmsdk.core.internal.source.UpgradeChoice.Choice;
import dev.helmsdk.core.internal.source.UpgradeChoice.Level;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpgradeChoiceTest {

    private static final List<String> LISTED = List.of("1.2.3", "1.2.4", "1.2.10", "1.3.0", "1.9.1", "2.0.0", "2.1.0-rc.1",
            "not-a-version", "0.9.0");

    @Test
    void patchPolicyStaysOnTheMinorLine() {
        Choice c = UpgradeChoice.choose("1.2.3", LISTED, Level.PATCH, false, null);
        assertEquals(new Choice("1.2.10", "2.0.0", 5, "major"), c);
    }

    @Test
    void minorPolicyStaysOnTheMajorLine() {
        assertEquals("1.9.1", UpgradeChoice.choose("1.2.3", LISTED, Level.MINOR, false, null).newestAllowed());
    }

    @Test
    void majorPolicyTakesTheNewestStable() {
        assertEquals("2.0.0", UpgradeChoice.choose("1.2.3", LISTED, Level.MAJOR, false, null).newestAllowed());
    }

    @Test
    void preReleasesCountOnlyWhenOptedIn() {
        Choice c = UpgradeChoice.choose("1.2.3", LISTED, Level.MAJOR, true, null);
        assertEquals(new Choice("2.1.0-rc.1", "2.1.0-rc.1", 6, "major"), c);
        // ... and the constraint judges a pre-release as its release version, which Helm's rule would never match
        assertEquals("2.1.0-rc.1", UpgradeChoice.choose("1.2.3", LISTED, Level.MAJOR, true, "<3").newestAllowed());
        assertEquals("2.0.0", UpgradeChoice.choose("1.2.3", LISTED, Level.MAJOR, true, "<2.1").newestAllowed());
    }

    @Test
    void theConstraintNarrowsThePolicy() {
        assertEquals("1.3.0", UpgradeChoice.choose("1.2.3", LISTED, Level.MAJOR, false, "<1.4").newestAllowed());
        assertEquals("1.2.4", UpgradeChoice.choose("1.2.3", LISTED, Level.MINOR, false, "~1.2.0 !=1.2.10").newestAllowed());
    }

    @Test
    void newerVersionsOutsideThePolicyAreHeldBackNotHidden() {
        Choice c = UpgradeChoice.choose("1.9.1", LISTED, Level.PATCH, false, null);
        assertEquals(new Choice("", "2.0.0", 1, "major"), c);
    }

    @Test
    void upToDateHasNothingToOffer() {
        assertEquals(new Choice("", "2.0.0", 0, "none"), UpgradeChoice.choose("2.0.0", LISTED, Level.MAJOR, false, null));
        assertEquals(new Choice("", "2.0.0", 0, "none"), UpgradeChoice.choose("v2.0.0", LISTED, Level.MAJOR, false, null));
    }

    @Test
    void distanceNamesTheLargestPartThatDiffers() {
        assertEquals("patch", UpgradeChoice.choose("1.9.0", List.of("1.9.1"), Level.MAJOR, false, null).distance());
        assertEquals("minor", UpgradeChoice.choose("1.8.5", List.of("1.9.1"), Level.MAJOR, false, null).distance());
        assertEquals("patch", UpgradeChoice.choose("1.9.1-rc.1", List.of("1.9.1"), Level.PATCH, false, null).distance());
    }

    @Test
    void aCurrentVersionThatIsNoVersionIsUnknown() {
        assertEquals(new Choice("", "2.0.0", 0, "unknown"), UpgradeChoice.choose("latest", LISTED, Level.MAJOR, false, null));
    }

    @Test
    void badConstraintsAreNamed() {
        assertTrue(UpgradeChoice.constraintError(">=1.2 <<2").orElseThrow().contains("'<<2'"));
        assertTrue(UpgradeChoice.constraintError("^1.2").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> UpgradeChoice.choose("1.0.0", LISTED, Level.MAJOR, false, "=>>1"));
    }
}
