package dev.helmsdk.core.internal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Behaviour pinned to Masterminds/semver v3.4.0 (Helm 3.19+): the big table is the union of
 * Masterminds' TestConstraintCheck and TestConstraintsCheck tables; every other expectation
 * was checked by running NewConstraint/Check of that library on the same input.
 */
class VersionConstraintTest {

    private static boolean check(String constraint, String version) {
        SemVer v = SemVer.parse(version).orElseThrow(() -> new AssertionError("bad test version " + version));
        return VersionConstraint.parse(constraint).matches(v);
    }

    @ParameterizedTest(name = "''{0}'' matches {1}: {2}")
    @CsvSource(delimiter = ';', textBlock = """
            =2.0.0 ; 1.2.3 ; false
            =2.0.0 ; 2.0.0 ; true
            =2.0 ; 1.2.3 ; false
            =2.0 ; 2.0.0 ; true
            =2.0 ; 2.0.1 ; true
            4.1 ; 4.1.0 ; true
            !=4.1.0 ; 4.1.0 ; false
            !=4.1.0 ; 4.1.1 ; true
            !=4.1 ; 4.1.0 ; false
            !=4.1 ; 4.1.1 ; false
            !=4.1 ; 5.1.0-alpha.1 ; false
            !=4.1.0 ; 5.1.0-alpha.1 ; false
            !=4.1-alpha ; 4.1.0 ; true
            !=4.1 ; 5.1.0 ; true
            <11 ; 0.1.0 ; true
            <11 ; 11.1.0 ; false
            <1.1 ; 0.1.0 ; true
            <1.1 ; 1.1.0 ; false
            <1.1 ; 1.1.1 ; false
            <=11 ; 1.2.3 ; true
            <=11 ; 12.2.3 ; false
            <=11 ; 11.2.3 ; true
            <=1.1 ; 1.2.3 ; false
            <=1.1 ; 0.1.0 ; true
            <=1.1 ; 1.1.0 ; true
            <=1.1 ; 1.1.1 ; true
            >1.1 ; 4.1.0 ; true
            >1.1 ; 1.1.0 ; false
            >0 ; 0 ; false
            >0 ; 1 ; true
            >0 ; 0.0.1-alpha ; false
            >0.0 ; 0.0.1-alpha ; false
            >0-0 ; 0.0.1-alpha ; false
            >0.0-0 ; 0.0.1-alpha ; false
            >0 ; 0.0.0-alpha ; false
            >0-0 ; 0.0.0-alpha ; false
            >0.0.0-0 ; 0.0.0-alpha ; true
            >1.2.3-alpha.1 ; 1.2.3-alpha.2 ; true
            >1.2.3-alpha.1 ; 1.3.3-alpha.2 ; true
            >11 ; 11.1.0 ; false
            >11.1 ; 11.1.0 ; false
            >11.1 ; 11.1.1 ; false
            >11.1 ; 11.2.1 ; true
            >=11 ; 11.1.2 ; true
            >=11.1 ; 11.1.2 ; true
            >=11.1 ; 11.0.2 ; false
            >=1.1 ; 4.1.0 ; true
            >=1.1 ; 1.1.0 ; true
            >=1.1 ; 0.0.9 ; false
            >=0 ; 0.0.1-alpha ; false
            >=0.0 ; 0.0.1-alpha ; false
            >=0-0 ; 0.0.1-alpha ; true
            >=0.0-0 ; 0.0.1-alpha ; true
            >=0 ; 0.0.0-alpha ; false
            >=0-0 ; 0.0.0-alpha ; true
            >=0.0.0-0 ; 0.0.0-alpha ; true
            >=0.0.0-0 ; 1.2.3 ; true
            >=0.0.0-0 ; 3.4.5-beta.1 ; true
            <0 ; 0.0.0-alpha ; false
            <0-z ; 0.0.0-alpha ; true
            >=0 ; 0 ; true
            =0 ; 1 ; false
            * ; 1 ; true
            * ; 4.5.6 ; true
            * ; 1.2.3-alpha.1 ; false
            *-0 ; 1.2.3-alpha.1 ; true
            2.* ; 1 ; false
            2.* ; 3.4.5 ; false
            2.* ; 2.1.1 ; true
            2.1.* ; 2.1.1 ; true
            2.1.* ; 2.2.1 ; false
            2 ; 1 ; false
            2 ; 3.4.5 ; false
            2 ; 2.1.1 ; true
            2.1 ; 2.1.1 ; true
            2.1 ; 2.2.1 ; false
            ~1.2.3 ; 1.2.4 ; true
            ~1.2.3 ; 1.3.4 ; false
            ~1.2 ; 1.2.4 ; true
            ~1.2 ; 1.3.4 ; false
            ~1 ; 1.2.4 ; true
            ~1 ; 2.3.4 ; false
            ~0.2.3 ; 0.2.5 ; true
            ~0.2.3 ; 0.3.5 ; false
            ~1.2.3-beta.2 ; 1.2.3-beta.4 ; true
            ~1.2.3-beta.2 ; 1.2.4-beta.2 ; true
            ~1.2.3-beta.2 ; 1.3.4-beta.2 ; false
            ^1.2.3 ; 1.8.9 ; true
            ^1.2.3 ; 2.8.9 ; false
            ^1.2.3 ; 1.2.1 ; false
            ^1.1.0 ; 2.1.0 ; false
            ^1.2.0 ; 2.2.1 ; false
            ^1.2.0 ; 1.2.1-alpha.1 ; false
            ^1.2.0-alpha.0 ; 1.2.1-alpha.1 ; true
            ^1.2.0-alpha.0 ; 1.2.1-alpha.0 ; true
            ^1.2.0-alpha.2 ; 1.2.0-alpha.1 ; false
            ^1.2 ; 1.8.9 ; true
            ^1.2 ; 2.8.9 ; false
            ^1 ; 1.8.9 ; true
            ^1 ; 2.8.9 ; false
            ^0.2.3 ; 0.2.5 ; true
            ^0.2.3 ; 0.5.6 ; false
            ^0.2 ; 0.2.5 ; true
            ^0.2 ; 0.5.6 ; false
            ^0.0.3 ; 0.0.3 ; true
            ^0.0.3 ; 0.0.4 ; false
            ^0.0 ; 0.0.3 ; true
            ^0.0 ; 0.1.4 ; false
            ^0.0 ; 1.0.4 ; false
            ^0 ; 0.2.3 ; true
            ^0 ; 1.1.4 ; false
            ^0.2.3-beta.2 ; 0.2.3-beta.4 ; true
            ^0.2.3-beta.2 ; 0.2.4-beta.2 ; true
            ^0.2.3-beta.2 ; 0.3.4-beta.2 ; false
            ^0.2.3-beta.2 ; 0.2.3-beta.2 ; true
            * ; 1.2.3 ; true
            ~0.0.0 ; 1.2.3 ; true
            0.x.x ; 1.2.3 ; false
            0.0.x ; 1.2.3 ; false
            0.0.0 ; 1.2.3 ; false
            ^0.0.0 ; 1.2.3 ; false
            = 2.0 ; 1.2.3 ; false
            = 2.0 ; 2.0.0 ; true
            4.1.x ; 4.1.3 ; true
            1.x ; 1.4 ; true
            !=4.1-alpha ; 4.1.0-alpha ; false
            !=4.1-alpha ; 4.1.1-alpha ; false
            !=4.x ; 5.1.0 ; true
            !=4.x ; 4.1.0 ; false
            !=4.1.x ; 4.2.0 ; true
            !=4.2.x ; 4.2.3 ; false
            <1.x ; 1.1.1 ; false
            <1.x ; 0.1.1 ; true
            <1.x ; 2.0.0 ; false
            <1.1.x ; 1.2.1 ; false
            <1.1.x ; 1.1.500 ; false
            <1.1.x ; 1.0.500 ; true
            <1.2.x ; 1.1.1 ; true
            >=1.1 ; 4.1.0-beta ; false
            <=1.1 ; 0.1.0-alpha ; false
            <=1.1-a ; 0.1.0-alpha ; true
            <=1.x ; 1.1.0 ; true
            <=2.x ; 3.0.0 ; false
            <=1.1.x ; 1.2.500 ; false
            <=4.5 ; 3.4.0 ; true
            <=4.5 ; 3.7.0 ; true
            <=4.5 ; 4.6.3 ; false
            >1.1, <2 ; 1.1.1 ; false
            >1.1, <2 ; 1.2.1 ; true
            >1.1, <3 ; 4.3.2 ; false
            >=1.1, <2, !=1.2.3 ; 1.2.3 ; false
            >1.1 <2 ; 1.1.1 ; false
            >1.1 <2 ; 1.2.1 ; true
            >1.1    <3 ; 4.3.2 ; false
            >=1.1    <2    !=1.2.3 ; 1.2.3 ; false
            >=1.1, <2, !=1.2.3 || > 3 ; 4.1.2 ; true
            >=1.1, <2, !=1.2.3 || > 3 ; 3.1.2 ; false
            >=1.1, <2, !=1.2.3 || >= 3 ; 3.0.0 ; true
            >=1.1, <2, !=1.2.3 || > 3 ; 3.0.0 ; false
            >=1.1, <2, !=1.2.3 || > 3 ; 1.2.3 ; false
            >=1.1 <2 !=1.2.3 ; 1.2.3 ; false
            >=1.1 <2 !=1.2.3 || > 3 ; 4.1.2 ; true
            >=1.1 <2 !=1.2.3 || > 3 ; 3.1.2 ; false
            >=1.1 <2 !=1.2.3 || >= 3 ; 3.0.0 ; true
            >=1.1 <2 !=1.2.3 || > 3 ; 3.0.0 ; false
            >=1.1 <2 !=1.2.3 || > 3 ; 1.2.3 ; false
            > 1.1, <     2 ; 1.1.1 ; false
            >   1.1, <2 ; 1.2.1 ; true
            >1.1, <  3 ; 4.3.2 ; false
            >= 1.1, <     2, !=1.2.3 ; 1.2.3 ; false
            > 1.1 < 2 ; 1.1.1 ; false
            >1.1 < 2 ; 1.2.1 ; true
            > 1.1    <3 ; 4.3.2 ; false
            >=1.1    < 2    != 1.2.3 ; 1.2.3 ; false
            >= 1.1, <2, !=1.2.3 || > 3 ; 4.1.2 ; true
            >= 1.1, <2, != 1.2.3 || > 3 ; 3.1.2 ; false
            >= 1.1, <2, != 1.2.3 || >= 3 ; 3.0.0 ; true
            >= 1.1, <2, !=1.2.3 || > 3 ; 3.0.0 ; false
            >= 1.1, <2, !=1.2.3 || > 3 ; 1.2.3 ; false
            >= 1.1 <2 != 1.2.3 ; 1.2.3 ; false
            >= 1.1 <2 != 1.2.3 || > 3 ; 4.1.2 ; true
            >= 1.1 <2 != 1.2.3 || > 3 ; 3.1.2 ; false
            >= 1.1 <2 != 1.2.3 || >= 3 ; 3.0.0 ; true
            >= 1.1 < 2 !=1.2.3 || > 3 ; 3.0.0 ; false
            >=1.1 < 2 !=1.2.3 || > 3 ; 1.2.3 ; false
            >= 1.0.0  <= 2.0.0-beta ; 1.0.1-beta ; true
            >= 1.0.0  <= 2.0.0-beta ; 1.0.1 ; true
            >= 1.0.0  <= 2.0.0-beta ; 3.0.0 ; false
            >= 1.0.0  <= 2.0.0-beta || > 3 ; 1.0.1-beta ; true
            >= 1.0.0  <= 2.0.0-beta || > 3 ; 3.0.1-beta ; false
            >= 1.0.0  <= 2.0.0-beta != 1.0.1 || > 3 ; 1.0.1-beta ; true
            >= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3 ; 1.0.1-beta ; false
            >= 1.0.0-0  <= 2.0.0 ; 1.0.1-beta ; true
            1.1 - 2 ; 1.1.1 ; true
            1.5.0 - 4.5 ; 3.7.0 ; true
            1.1-3 ; 4.3.2 ; false
            ^1.1 ; 1.1.1 ; true
            ^1.1 ; 4.3.2 ; false
            ^1.x ; 1.1.1 ; true
            ^2.x ; 1.1.1 ; false
            ^1.x ; 2.1.1 ; false
            ^1.x ; 1.1.1-beta1 ; false
            ^1.1.2-alpha ; 1.2.1-beta1 ; true
            ^1.2.x-alpha ; 1.1.1-beta1 ; false
            ^0.0.1 ; 0.0.1 ; true
            ^0.0.1 ; 0.3.1 ; false
            ~* ; 2.1.1 ; true
            ~1 ; 2.1.1 ; false
            ~1 ; 1.3.5 ; true
            ~1 ; 1.4 ; true
            ~1.x ; 2.1.1 ; false
            ~1.x ; 1.3.5 ; true
            ~1.x ; 1.4 ; true
            ~1.1 ; 1.1.1 ; true
            ~1.1 ; 1.1.1-alpha ; false
            ~1.1-alpha ; 1.1.1-beta ; true
            ~1.1.1-beta ; 1.1.1-alpha ; false
            ~1.1.1-beta ; 1.1.1 ; true
            ~1.2.3 ; 1.2.5 ; true
            ~1.2.3 ; 1.2.2 ; false
            ~1.2.3 ; 1.3.2 ; false
            ~1.1 ; 1.2.3 ; false
            ~1.3 ; 2.4.5 ; false
            1.0.0 - 2.0.0 <=2.0.0 ; 1.5.0 ; true
            1.0.0 - 2.0.0, <=2.0.0 ; 1.5.0 ; true
            """)
    void mastermindsTables(String constraint, String version, boolean expected) {
        assertEquals(expected, check(constraint, version), "'" + constraint + "' vs " + version);
    }

    @ParameterizedTest(name = "''{0}'' matches {1}: {2}")
    @CsvSource(delimiter = ';', textBlock = """
            # each comparison operator and its aliases
            =1.2.3        ; 1.2.3         ; true
            =1.2.3        ; v1.2.3        ; true
            =1.2.3        ; 1.2.3+build.5 ; true
            1.2.3         ; 1.2.4         ; false
            !=1.2.3       ; 1.2.4         ; true
            !=1.2.3       ; 1.2.3         ; false
            >1.2.3        ; 1.2.4         ; true
            >1.2.3        ; 1.2.3         ; false
            <1.2.3        ; 1.2.2         ; true
            <1.2.3        ; 1.2.3         ; false
            >=1.2.3       ; 1.2.3         ; true
            =>1.2.3       ; 1.2.3         ; true
            >=1.2.3       ; 1.2.2         ; false
            <=1.2.3       ; 1.2.3         ; true
            =<1.2.3       ; 1.2.3         ; true
            <=1.2.3       ; 1.2.4         ; false
            # tilde: ~1.2.3 is >=1.2.3 <1.3.0, ~1.2 is >=1.2.0 <1.3.0, ~1 is >=1 <2, ~> is the same
            ~1.2.3        ; 1.2.3         ; true
            ~1.2.3        ; 1.2.99        ; true
            ~1.2.3        ; 1.3.0         ; false
            ~1.2          ; 1.2.0         ; true
            ~1.2          ; 1.3.0         ; false
            ~1            ; 1.0.0         ; true
            ~1            ; 1.99.0        ; true
            ~1            ; 2.0.0         ; false
            ~>1.2.3       ; 1.2.9         ; true
            ~>1.2.3       ; 1.3.0         ; false
            # caret
            ^1.2.3        ; 1.2.3         ; true
            ^1.2.3        ; 1.99.99       ; true
            ^1.2.3        ; 2.0.0         ; false
            ^1.2.3        ; 1.2.2         ; false
            ^0.2.3        ; 0.2.3         ; true
            ^0.2.3        ; 0.2.99        ; true
            ^0.2.3        ; 0.3.0         ; false
            ^0.0.3        ; 0.0.3         ; true
            ^0.0.3        ; 0.0.4         ; false
            ^0            ; 0.0.0         ; true
            ^0            ; 0.99.99       ; true
            ^0            ; 1.0.0         ; false
            # wildcards in any position
            1.2.x         ; 1.2.0         ; true
            1.2.x         ; 1.2.99        ; true
            1.2.x         ; 1.3.0         ; false
            1.*           ; 1.0.0         ; true
            1.*           ; 1.99.99       ; true
            1.*           ; 2.0.0         ; false
            1.X           ; 1.5.0         ; true
            *             ; 0.0.0         ; true
            *             ; 99.99.99      ; true
            x             ; 3.2.1         ; true
            X             ; 3.2.1         ; true
            # hyphen ranges are inclusive
            1.2 - 1.4.5   ; 1.2.0         ; true
            1.2 - 1.4.5   ; 1.4.5         ; true
            1.2 - 1.4.5   ; 1.4.6         ; false
            1.2 - 1.4.5   ; 1.1.9         ; false
            # AND with whitespace or comma, whitespace after the operator
            >=1.2 <2.0    ; 1.2.0         ; true
            >=1.2 <2.0    ; 1.9.9         ; true
            >=1.2 <2.0    ; 2.0.0         ; false
            '>=1.2, <2.0' ; 1.5.0         ; true
            '>=1.2, <2.0' ; 2.0.0         ; false
            '>=1.2,<2.0'  ; 1.5.0         ; true
            >= 1.2        ; 1.2.0         ; true
            '>=  1.2 ,  < 2.0' ; 1.5.0    ; true
            # OR
            ^1 || ^3      ; 1.5.0         ; true
            ^1 || ^3      ; 2.5.0         ; false
            ^1 || ^3      ; 3.5.0         ; true
            <1.0.0 || >=2.0.0 ; 0.9.0     ; true
            <1.0.0 || >=2.0.0 ; 1.5.0     ; false
            # versions as found in indexes: "v" prefix, fewer parts
            ^2            ; v2            ; true
            ^2            ; 2             ; true
            ^1            ; v2            ; false
            ~1.2          ; v1.2          ; true
            v1.2.3        ; 1.2.3         ; true
            1.2.3+build   ; 1.2.3         ; true
            """)
    void operatorsWildcardsRangesAndOr(String constraint, String version, boolean expected) {
        assertEquals(expected, check(constraint, version), "'" + constraint + "' vs " + version);
    }

    @ParameterizedTest(name = "''{0}'' matches {1}: {2}")
    @CsvSource(delimiter = ';', textBlock = """
            >=1.0.0             ; 1.1.0-beta.1 ; false
            >=1.1.0-0           ; 1.1.0-beta.1 ; true
            *                   ; 1.0.0-rc.1   ; false
            *-0                 ; 1.0.0-rc.1   ; true
            1.2.3               ; 1.2.3-rc.1   ; false
            1.2.3-rc.1          ; 1.2.3-rc.1   ; true
            ^1.2.0              ; 1.2.1-alpha.1 ; false
            ^1.2.0-alpha.0      ; 1.2.1-alpha.1 ; true
            # v3.4: one prerelease in an AND group opts the whole group in ...
            >=1.1.0-0 <2        ; 1.5.0-beta   ; true
            >=1.1.0-0 <2        ; 2.0.0-beta   ; true
            # ... but not the other OR alternatives
            ^1 || >=3.0.0-0     ; 1.5.0-beta   ; false
            ^1 || >=3.0.0-0     ; 3.1.0-rc.1   ; true
            """)
    void prereleasesOnlyMatchWhenTheConstraintAsksForThem(String constraint, String version, boolean expected) {
        assertEquals(expected, check(constraint, version), "'" + constraint + "' vs " + version);
    }

    @ParameterizedTest(name = "''{0}'' matches {1}: {2}")
    @CsvSource(delimiter = ';', textBlock = """
            ~0.0.0  ; 5.0.0 ; true
            ~*      ; 5.0.0 ; true
            ^*      ; 0.0.0 ; true
            ^*      ; 1.0.0 ; false
            ^0.0.0  ; 1.2.3 ; false
            x.2.3   ; 9.9.9 ; true
            1.x.3   ; 1.0.0 ; true
            !=*     ; 0.0.0 ; false
            !=*     ; 0.1.0 ; true
            >1      ; 1.9.9 ; false
            >1.1    ; 1.1.9 ; false
            <=1.1   ; 1.1.9 ; true
            <1.x    ; 1.0.0 ; false
            """)
    void mastermindsQuirksAreMirrored(String constraint, String version, boolean expected) {
        // These look surprising but are what Helm resolves; diverging would pick other charts.
        assertEquals(expected, check(constraint, version), "'" + constraint + "' vs " + version);
    }

    private static final List<String> INDEX = List.of(
            "1.0.0", "v1.1", "1.2.0-rc.1", "1.2.0", "1.10.3", "2.0.0-beta.1", "2.0.0-beta.11", "2.0.0-beta.2",
            "2", "2.1.0+build.9", "2.1.1-0", "3.0.0-rc.1", "0.9.9", "latest", "", "not-a-version", "1.2.3.4",
            "2.1.x", "v2.0.1", " 2.5.0", "stable", "1.2.03-01");

    private static List<String> shuffledIndex(long seed) {
        List<String> list = new ArrayList<>(INDEX);
        Collections.shuffle(list, new Random(seed));
        return list;
    }

    @ParameterizedTest(name = "highest matching ''{0}'' is {1}")
    @CsvSource(delimiter = ';', textBlock = """
            *                  ; 2.1.0+build.9
            ^1                 ; 1.10.3
            ~1.2               ; 1.2.0
            '>=1.1, <1.10'     ; 1.2.0
            1.1                ; v1.1
            1.1.0              ; v1.1
            ^2                 ; 2.1.0+build.9
            2.0.x              ; v2.0.1
            ^2.0.0-0           ; 2.1.1-0
            >=2.0.0-beta.3 <2.0.0 ; 2.0.0-beta.11
            >=3.0.0-0          ; 3.0.0-rc.1
            >=3                ; NONE
            <1                 ; 0.9.9
            ^0 || ~1.0         ; 1.0.0
            1.2.0-rc.1         ; 1.2.0-rc.1
            """)
    void highestPicksTheHighestMatchingEntryAsWritten(String constraint, String expected) {
        Optional<String> want = expected.equals("NONE") ? Optional.empty() : Optional.of(expected);
        for (long seed = 0; seed < 5; seed++) {
            assertEquals(want, VersionConstraint.parse(constraint).highest(shuffledIndex(seed)),
                    "'" + constraint + "' over shuffled index (seed " + seed + ")");
        }
    }

    @Test
    void latestPicksTheHighestStableVersion() {
        for (long seed = 0; seed < 5; seed++) {
            assertEquals(Optional.of("2.1.0+build.9"), VersionConstraint.latest().highest(shuffledIndex(seed)));
        }
        assertEquals(Optional.of("1.0.0"), VersionConstraint.latest().highest(List.of("1.0.0", "1.1.0-rc.1", "1.1.0-beta")));
        assertEquals(Optional.empty(), VersionConstraint.latest().highest(List.of("1.1.0-rc.1", "junk")));
        assertSame(VersionConstraint.latest(), VersionConstraint.latest());
        assertEquals("*", VersionConstraint.latest().toString());
        assertFalse(VersionConstraint.latest().isExact());
    }

    @Test
    void highestIgnoresJunkAndNullsAndHandlesEmptyInput() {
        assertEquals(Optional.empty(), VersionConstraint.parse("*").highest(List.of()));
        assertEquals(Optional.of("1.0.0"),
                VersionConstraint.parse("*").highest(Arrays.asList(null, "x", "1.0.0", "", "1.0.0.0")));
    }

    @Test
    void highestBreaksTiesByExactSpellingThenByOrder() {
        List<String> ties = List.of("1.2.3+a", "v1.2.3", "1.2.3", "1.2.3+b");
        assertEquals(Optional.of("1.2.3+b"), VersionConstraint.parse("1.2.3+b").highest(ties));
        assertEquals(Optional.of("1.2.3"), VersionConstraint.parse("=1.2.3").highest(ties));
        assertEquals(Optional.of("v1.2.3"), VersionConstraint.parse("v1.2.3").highest(ties));
        assertEquals(Optional.of("1.2.3+a"), VersionConstraint.parse(">=1").highest(ties));
    }

    @ParameterizedTest(name = "''{0}'' exact: {1} ({2})")
    @CsvSource(delimiter = ';', textBlock = """
            1.2.3              ; true  ; 1.2.3
            v1.2.3             ; true  ; v1.2.3
            =1.2.3             ; true  ; 1.2.3
            '= 1.2.3 '         ; true  ; 1.2.3
            1.2.3-rc.1         ; true  ; 1.2.3-rc.1
            1.2.3+build.1      ; true  ; 1.2.3+build.1
            1.2                ; false ;
            1                  ; false ;
            1.2.x              ; false ;
            *                  ; false ;
            >=1.2.3            ; false ;
            !=1.2.3            ; false ;
            ~1.2.3             ; false ;
            ^1.2.3             ; false ;
            1.2.3 - 1.2.3      ; false ;
            1.2.3 || 1.2.4     ; false ;
            '1.2.3, 1.2.3'     ; false ;
            """)
    void isExactOnlyForASinglePlainFullVersion(String constraint, boolean exact, String version) {
        VersionConstraint c = VersionConstraint.parse(constraint);
        assertEquals(exact, c.isExact(), "isExact of '" + constraint + "'");
        assertEquals(Optional.ofNullable(version), c.exactVersion(), "exactVersion of '" + constraint + "'");
    }

    @ParameterizedTest(name = "Masterminds accepts ''{0}''")
    @ValueSource(strings = {
        ">= 1.1", ">40.50.60, < 50.70", "2.0", "v2.3.5-20161202202307-sha.e8fc5e5", ">= 1.2.3 < 2.0",
        ">= 1.2.3 < 2.0 || => 3.0 < 4", ">= 1.2.3, < 2.0 || => 3.0, < 4", "3 - 4 || => 3.0, < 4",
        "12.3.34 ~1.2.3", "1.0.0 - 2.0.0, <=2.0.0", "^x", "^x.x", "*.*.*", "v1.x", "1.2.3 1.2.4",
        " >=1.2 ", "1.2.3-beta.1+build.5", ">=01.02.03", "~> 1.2", "\t^1\t"
    })
    void acceptsWhatMastermindsAccepts(String constraint) {
        assertEquals(constraint, VersionConstraint.parse(constraint).toString());
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = ';', textBlock = """
            ''                 ; invalid version constraint '': empty constraint
            '   '              ; invalid version constraint '   ': empty constraint
            >=1.2 <<2          ; invalid version constraint '>=1.2 <<2': cannot parse '<<2'
            >>1                ; invalid version constraint '>>1': cannot parse '>>1'
            1.2.3.4.5          ; invalid version constraint '1.2.3.4.5': cannot parse '1.2.3.4.5'
            12.3.4.1234        ; invalid version constraint '12.3.4.1234': cannot parse '12.3.4.1234'
            ^x.y               ; invalid version constraint '^x.y': cannot parse '^x.y'
            >= bar             ; invalid version constraint '>= bar': cannot parse '>= bar'
            foo                ; invalid version constraint 'foo': cannot parse 'foo'
            BAR >= 1.2.3       ; invalid version constraint 'BAR >= 1.2.3': cannot parse 'BAR'
            12.3.34~ 1.2.3     ; invalid version constraint '12.3.34~ 1.2.3': cannot parse '12.3.34~'
            ~>                 ; invalid version constraint '~>': cannot parse '~>'
            >=1.2,             ; invalid version constraint '>=1.2,': cannot parse ','
            ',>=1.2'           ; invalid version constraint ',>=1.2': cannot parse ','
            '>=1.2,,<2'        ; invalid version constraint '>=1.2,,<2': cannot parse ','
            1 ||               ; invalid version constraint '1 ||': empty alternative in '||' list
            || 1               ; invalid version constraint '|| 1': empty alternative in '||' list
            x1                 ; invalid version constraint 'x1': cannot parse 'x1'
            >=1.2.3-01         ; invalid version constraint '>=1.2.3-01': cannot parse '>=1.2.3-01'
            1.2 - 1.4.5.6      ; invalid version constraint '1.2 - 1.4.5.6': cannot parse '1.2 - 1.4.5.6'
            ~1.2 - 1.4         ; invalid version constraint '~1.2 - 1.4': cannot parse '~1.2 - 1.4'
            V1.2               ; invalid version constraint 'V1.2': cannot parse 'V1.2'
            latest             ; invalid version constraint 'latest': cannot parse 'latest'
            ^1 || >=2 <3 || !!4 ; invalid version constraint '^1 || >=2 <3 || !!4': cannot parse '!!4'
            """)
    void rejectsWhatMastermindsRejectsNamingTheBadPart(String constraint, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionConstraint.parse(constraint));
        assertEquals(message, e.getMessage());
    }

    @Test
    void longInputIsHandledWithoutStackOverflowAndAbsurdInputIsRefused() {
        // 250 ANDed parts (~1000 chars): a naive Java port of Masterminds' regex overflows the stack.
        String many = ">=1" + " <9".repeat(250);
        assertTrue(VersionConstraint.parse(many).matches(SemVer.parse("5.0.0").orElseThrow()));
        String tooLong = "1".repeat(VersionConstraint.MAX_LENGTH + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionConstraint.parse(tooLong));
        assertEquals("invalid version constraint '" + "1".repeat(40) + "...': longer than 1024 characters", e.getMessage());
    }

    @Test
    void nullIsAProgrammingError() {
        assertThrows(NullPointerException.class, () -> VersionConstraint.parse(null));
    }

    @Test
    void toStringIsTheOriginalText() {
        assertEquals(">= 1.2,  <2 || ^3", VersionConstraint.parse(">= 1.2,  <2 || ^3").toString());
        assertTrue(VersionConstraint.parse("1.2 - 2").matches(SemVer.parse("2.0.0").orElseThrow()));
    }
}
