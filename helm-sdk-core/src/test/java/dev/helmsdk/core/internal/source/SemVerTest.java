package dev.helmsdk.core.internal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected values come from Masterminds/semver v3.4.0's own tables (version_test.go) and from
 * running that library (NewVersion / Compare) on the extra cases.
 */
class SemVerTest {

    private static SemVer v(String text) {
        return SemVer.parse(text).orElseThrow(() -> new AssertionError("should parse: " + text));
    }

    @ParameterizedTest(name = "{0} -> {1}.{2}.{3} pre=''{4}'' meta=''{5}''")
    @CsvSource(delimiter = '|', textBlock = """
            1.2.3                              | 1  | 2  | 3  |            |
            v1.2.3                             | 1  | 2  | 3  |            |
            1.0                                | 1  | 0  | 0  |            |
            v1.0                               | 1  | 0  | 0  |            |
            1                                  | 1  | 0  | 0  |            |
            v1                                 | 1  | 0  | 0  |            |
            1.2-5                              | 1  | 2  | 0  | 5          |
            v1.2-5                             | 1  | 2  | 0  | 5          |
            1.2-beta.5                         | 1  | 2  | 0  | beta.5     |
            1.2.3+test.01                      | 1  | 2  | 3  |            | test.01
            1.2.3-alpha.-1                     | 1  | 2  | 3  | alpha.-1   |
            1.2.0-x.Y.0+metadata               | 1  | 2  | 0  | x.Y.0      | metadata
            v1.2.0-x.Y.0+metadata-width-hypen  | 1  | 2  | 0  | x.Y.0      | metadata-width-hypen
            1.2.3-rc1-with-hypen               | 1  | 2  | 3  | rc1-with-hypen |
            1.2.2147483648                     | 1  | 2  | 2147483648 |    |
            2147483648.3.0                     | 2147483648 | 3 | 0 |     |
            20221209-update-renovatejson-v4    | 20221209 | 0 | 0 | update-renovatejson-v4 |
            01.1.1                             | 1  | 1  | 1  |            |
            1.01.1                             | 1  | 1  | 1  |            |
            1.1.01                             | 1  | 1  | 1  |            |
            0.0.0                              | 0  | 0  | 0  |            |
            9223372036854775807.0.0            | 9223372036854775807 | 0 | 0 | |
            """)
    void parsesLikeMastermindsNewVersion(String text, long major, long minor, long patch, String pre, String meta) {
        SemVer v = v(text);
        assertEquals(major, v.major(), "major of " + text);
        assertEquals(minor, v.minor(), "minor of " + text);
        assertEquals(patch, v.patch(), "patch of " + text);
        assertEquals(pre == null ? "" : pre, v.prerelease(), "prerelease of " + text);
        assertEquals(meta == null ? "" : meta, v.buildMetadata(), "metadata of " + text);
        assertEquals(!v.prerelease().isEmpty(), v.isPrerelease());
        assertEquals(text, v.original());
        assertEquals(text, v.toString());
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' is not a version")
    @NullAndEmptySource
    @ValueSource(strings = {
        "1.2.3-alpha.01", "1.2.beta", "v1.2.beta", "foo", "\n1.2", "\nv1.2", "1.2.3.4", "v1.2.3.4",
        "12.3.4.1234", "12.23.4.1234", "12.3.34.1234", "1.1.2+.123", "1.0.0-alpha_beta", "1.0.0-alpha..",
        "1.0.0-alpha..1", "9.8.7+meta+meta", "1.2.31----RC-SNAPSHOT.12.09.1--.12+788", "1.2.3-0123",
        "+invalid", "-invalid", "alpha+beta", "1.2.3-alpha_beta+foo",
        // not in Masterminds' table, checked against it
        " 1.2.3", "1.2.3 ", "V1.2.3", "-1.2.3", "1.2.3-", "1.2.3+", "v", "1..2", "1.2.", "latest", "*", "1.x",
        // Go accepts up to 2^64-1; we stop at Long.MAX_VALUE (documented deviation)
        "9223372036854775808.0.0", "99999999999999999999.0.0"
    })
    void rejectsWhatIsNotAVersion(String text) {
        assertEquals(Optional.empty(), SemVer.parse(text));
    }

    @Test
    void precedenceFollowsTheSemVerSpecExample() {
        List<String> ordered = List.of(
                "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0-0", "2.0.0", "10.0.0");
        for (int i = 0; i + 1 < ordered.size(); i++) {
            SemVer lower = v(ordered.get(i));
            SemVer higher = v(ordered.get(i + 1));
            assertTrue(lower.compareTo(higher) < 0, lower + " < " + higher);
            assertTrue(higher.compareTo(lower) > 0, higher + " > " + lower);
        }
        List<SemVer> shuffled = new ArrayList<>(ordered.stream().map(SemVerTest::v).toList());
        Collections.shuffle(shuffled, new Random(20240501));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(SemVer::original).toList());
    }

    @ParameterizedTest(name = "compare({0}, {1}) = {2}")
    @CsvSource({
        // Masterminds TestCompare
        "1.2.3, 1.5.1, -1",
        "2.2.3, 1.5.1, 1",
        "2.2.3, 2.2.2, 1",
        "3.2-beta, 3.2-beta, 0",
        "1.3, 1.1.4, 1",
        "4.2, 4.2-beta, 1",
        "4.2-beta, 4.2, -1",
        "4.2-alpha, 4.2-beta, -1",
        "4.2-alpha, 4.2-alpha, 0",
        "4.2-beta.2, 4.2-beta.1, 1",
        "4.2-beta2, 4.2-beta1, 1",
        "4.2-beta, 4.2-beta.2, -1",
        "4.2-beta, 4.2-beta.foo, -1",
        "4.2-beta.2, 4.2-beta, 1",
        "4.2-beta.foo, 4.2-beta, 1",
        "1.2+bar, 1.2+baz, 0",
        "1.0.0-beta.4, 1.0.0-beta.-2, -1",
        "1.0.0-beta.-2, 1.0.0-beta.-3, -1",
        "1.0.0-beta.-3, 1.0.0-beta.5, 1",
        // extra, checked against Masterminds
        "v1.2, 1.2.0, 0",
        "1.2.3+build.1, 1.2.3, 0",
        "01.2.3, 1.2.3, 0",
        "1.0.0-9, 1.0.0-10, -1",
        "1.0.0-alpha, 1.0.0-1, 1",
        // numeric identifiers compare as unsigned 64-bit; beyond that Go treats them as text
        "1.0.0-18446744073709551615, 1.0.0-9223372036854775808, 1",
        "1.0.0-18446744073709551616, 1.0.0-9223372036854775808, 1",
        "1.0.0-18446744073709551616, 1.0.0-alpha, -1",
    })
    void comparesLikeMasterminds(String a, String b, int expected) {
        assertEquals(expected, Integer.signum(v(a).compareTo(v(b))), a + " vs " + b);
        assertEquals(-expected, Integer.signum(v(b).compareTo(v(a))), b + " vs " + a);
    }

    @Test
    void equalityIsPrecedenceEquality() {
        SemVer plain = v("1.2.0");
        SemVer shortV = v("v1.2");
        SemVer withBuild = v("1.2.0+build.7");
        assertEquals(plain, shortV);
        assertEquals(plain, withBuild);
        assertEquals(plain.hashCode(), shortV.hashCode());
        assertEquals(plain.hashCode(), withBuild.hashCode());
        assertNotEquals(plain, v("1.2.0-rc.1"));
        assertNotEquals(plain, v("1.2.1"));
        assertNotEquals(plain, "1.2.0");
        // the spelling is still kept
        assertEquals("v1.2", shortV.original());
    }

    @Test
    void veryLongPrereleaseDoesNotOverflowTheRegexStack() {
        SemVer v = v("1.2.3-" + "a.".repeat(100_000) + "z");
        assertEquals(200_001, v.prerelease().length());
        assertTrue(v.compareTo(v("1.2.3-a")) > 0);
    }

    @Test
    void prereleaseFlag() {
        assertTrue(v("1.0.0-0").isPrerelease());
        assertTrue(v("v2-rc.1").isPrerelease());
        assertFalse(v("1.0.0+build-1").isPrerelease());
        assertEquals("", v("1.0.0+build-1").prerelease());
    }
}
