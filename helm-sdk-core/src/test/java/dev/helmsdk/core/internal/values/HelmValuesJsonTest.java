package dev.helmsdk.core.internal.values;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file handed to Helm; that Helm reads it back as meant is proven in ValuesConformanceTest. */
class HelmValuesJsonTest {

    @Test
    void emojiAreWrittenAsTextAndLineBreakingCharactersEscaped() {
        String json = HelmValuesJson.toJson(Map.of("e", "🚀\u0085\u2028\uFEFF\u007F\"\\\t"));
        // go-yaml rejects surrogate escapes (\uD83D\uDE80) and would fold NEL and U+2028 into spaces.
        assertEquals("{\"e\":\"🚀\\u0085\\u2028\\uFEFF\\u007F\\\"\\\\\\u0009\"}", json);
    }

    @Test
    void typesAreKeptStringsQuotedNumbersAndBooleansBare() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("s", "yes");
        v.put("n", 0777);
        v.put("big", new BigInteger("18446744073709551615"));
        v.put("f", 1e21);
        v.put("b", false);
        v.put("l", Arrays.asList(null, "~"));
        assertEquals("{\"s\":\"yes\",\"n\":511,\"big\":18446744073709551615,\"f\":1.0E21,\"b\":false,\"l\":[null,\"~\"]}",
                HelmValuesJson.toJson(v));
    }

    @Test
    void whatHelmCannotTakeIsNamedByPath() {
        assertEquals(Optional.empty(), HelmValuesJson.unrepresentable(Map.of("a", Map.of("b", 1.5))));
        Optional<String> nan = HelmValuesJson.unrepresentable(Map.of("a", Map.of("b", Arrays.asList(1, Double.NaN))));
        assertTrue(nan.orElseThrow().contains("'a.b[1]'") && nan.get().contains("NaN"), nan.get());
        Optional<String> half = HelmValuesJson.unrepresentable(Map.of("k", "x\uD83D"));
        assertTrue(half.orElseThrow().contains("'k'") && half.get().contains("surrogate"), half.get());
    }
}
