package dev.helmsdk.core.internal.charts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The bytes Go's {@code encoding/json} writes for maps, lists, strings, numbers and booleans (map keys sorted,
 * {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped), so a digest over them equals Helm's; and the YAML
 * scalars and time format {@code sigs.k8s.io/yaml} writes into {@code Chart.lock}.
 */
final class GoJson {

    private static final Pattern PLAIN_UNSAFE = Pattern.compile(
            "|[-?:,\\[\\]{}#&*!|>'\"%@`~ ].*|.*[ \\t]|.*: .*|.* #.*|.*:|(?i)(y|n|yes|no|on|off|true|false|null)"
                    + "|[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|nan)|0x[0-9a-fA-F_]+|0o?[0-7_]+"
                    + "|\\d{4}-\\d\\d?-\\d\\d?([Tt ].*)?", Pattern.DOTALL);

    private GoJson() {
    }

    /** A Go struct's fields, written in their declared order (Go sorts only maps). */
    static final class Struct extends java.util.LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
    }

    static byte[] write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            // Go sorts map keys; a LinkedHashMap built from Helm's struct keeps its field order instead.
            Map<?, ?> ordered = map instanceof Struct ? map : new TreeMap<>(stringKeys(map));
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ordered.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                append(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                append(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Boolean || value instanceof Number) {
            out.append(value);
        } else {
            string(out, String.valueOf(value));
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> m = new java.util.HashMap<>();
        map.forEach((k, v) -> m.put(String.valueOf(k), v));
        return m;
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A string as go-yaml v2 writes it: plain when YAML reads it back as the same string, else double-quoted. */
    static String yamlScalar(String s) {
        if (!PLAIN_UNSAFE.matcher(s).matches() && s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        string(out, s);
        return out.toString().replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&");
    }

    /** Go's {@code time.RFC3339Nano} in UTC, as {@code time.Time}'s JSON: trailing zeros of the fraction dropped. */
    static String goTime(Instant t) {
        String base = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
        String nanos = t.getNano() == 0 ? "" : ("." + String.format("%09d", t.getNano())).replaceAll("0+$", "");
        return base + nanos + "Z";
    }
}
