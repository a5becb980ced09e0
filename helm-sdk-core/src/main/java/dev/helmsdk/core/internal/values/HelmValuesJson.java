package dev.helmsdk.core.internal.values;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes values as a file that Helm's YAML reader (go-yaml v2) reads back as exactly these values:
 * JSON with every string double-quoted, so no string is taken for a boolean, number or null; and
 * with the characters go-yaml would not keep in a double-quoted scalar escaped (C0/C1 controls,
 * NEL, line and paragraph separators, BOM, non-characters), while characters outside the BMP are
 * written as UTF-8, never as the surrogate escapes ({@code \uD83D\uDE80}) go-yaml rejects.
 */
public final class HelmValuesJson {

    private HelmValuesJson() {
    }

    /** Writes {@code values} into {@code file} (UTF-8). */
    public static void write(Path file, Map<String, ?> values) throws IOException {
        Files.writeString(file, toJson(values), StandardCharsets.UTF_8);
    }

    /** The values as that text. */
    public static String toJson(Map<String, ?> values) {
        StringBuilder b = new StringBuilder();
        value(b, values);
        return b.toString();
    }

    /**
     * The path of the first value Helm cannot be given, with the reason: a NaN or infinite number
     * (Helm's values go through JSON) or a string or key holding half of a surrogate pair.
     */
    public static Optional<String> unrepresentable(Map<String, ?> values) {
        return check(values, "");
    }

    private static Optional<String> check(Object v, String path) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                String at = path.isEmpty() ? key : path + "." + key;
                if (brokenSurrogate(key)) {
                    return Optional.of("the key '" + at + "' holds half of a surrogate pair, which is not text");
                }
                Optional<String> inner = check(e.getValue(), at);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                Optional<String> inner = check(l.get(i), path + "[" + i + "]");
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (v instanceof String s && brokenSurrogate(s)) {
            return Optional.of("the string at '" + path + "' holds half of a surrogate pair, which is not text");
        } else if (v instanceof Number n && !finite(n)) {
            return Optional.of("the number at '" + path + "' is NaN or infinite (or beyond a double's range),"
                    + " which Helm cannot take: its values go through JSON");
        }
        return Optional.empty();
    }

    private static boolean finite(Number n) {
        if (n instanceof Double || n instanceof Float || n instanceof BigDecimal) {
            return Double.isFinite(n.doubleValue());
        }
        return true;
    }

    private static boolean brokenSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Number n) {
            if (!finite(n)) {
                throw new IllegalArgumentException("Helm cannot take a NaN or infinite number");
            }
            // Integers as digits, decimals in Java's notation (1.0E10): go-yaml reads both as numbers.
            b.append(n instanceof BigDecimal d ? d.toString() : n.toString());
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "" : ",");
                first = false;
                string(b, String.valueOf(e.getKey()));
                b.append(':');
                value(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ",");
                value(b, l.get(i));
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("not a values type: " + v.getClass().getName());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF) {
                b.append(String.format("\\u%04X", (int) c));
            } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1)))) {
                throw new IllegalArgumentException("half of a surrogate pair is not text");
            } else {
                b.append(c);
                if (Character.isHighSurrogate(c)) {
                    b.append(s.charAt(++i));
                }
            }
        }
        b.append('"');
    }
}
