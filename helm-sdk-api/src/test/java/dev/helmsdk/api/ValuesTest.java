package dev.helmsdk.api;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValuesTest {

    @Test
    void pathsSplitIntoKeysAndIndices() {
        assertEquals(List.of("a", "b", "c"), new Values.SetValue("a.b.c", 1).segments());
        assertEquals(List.of("list", 0, "name"), new Values.SetValue("list[0].name", 1).segments());
        assertEquals(List.of("m", 1, 2), new Values.SetValue("m[1][2]", 1).segments());
        assertEquals(List.of("annotations", "example.com/x"), new Values.SetValue("annotations.example\\.com/x", 1).segments());
    }

    @Test
    void malformedPathsAreRejectedWithThePath() {
        for (String bad : List.of("", "a..b", ".a", "a.", "[0]", "a[x]", "a[0]b", "a[")) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Values.empty().set(bad, 1), bad);
            assertFalse(e.retryable());
            if (!bad.isEmpty()) {
                assertTrue(e.getMessage().contains(bad), e.getMessage());
            }
        }
    }

    @Test
    void unsupportedValueTypesNameThePathNotTheValue() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Values.empty().map(Map.of("db", Map.of("password", new StringBuilder("s3cret")))));
        assertTrue(e.getMessage().contains("db.password"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void isImmutableAndCopiesMaps() {
        Map<String, Object> source = new HashMap<>();
        source.put("a", new ArrayList<>(List.of(1)));
        Values base = Values.empty().map(source);
        Values more = base.set("b", 2);
        source.put("a", "changed");
        assertEquals(List.of(1), ((Values.FromMap) base.layers().get(0)).values().get("a"));
        assertTrue(base.sets().isEmpty());
        assertEquals(1, more.sets().size());
        assertThrows(UnsupportedOperationException.class, () -> ((Values.FromMap) base.layers().get(0)).values().put("x", 1));
    }

    @Test
    void toStringNeverShowsValues() {
        String s = Values.empty().file(Path.of("prod.yaml")).map(Map.of("token", "abc123")).set("db.password", "hunter2").toString();
        assertTrue(s.contains("prod.yaml") && s.contains("db.password") && s.contains("token"), s);
        assertFalse(s.contains("abc123") || s.contains("hunter2"), s);
    }

    @Test
    void nullValuesAreKeptToDeleteKeys() {
        Map<String, Object> m = new HashMap<>();
        m.put("drop", null);
        assertTrue(((Values.FromMap) Values.empty().map(m).layers().get(0)).values().containsKey("drop"));
    }
}
