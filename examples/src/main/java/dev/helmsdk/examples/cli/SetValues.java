package dev.helmsdk.examples.cli;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads {@code --set} as Helm does for plain values: comma-separated {@code path=value}, {@code \,} for a literal comma. */
final class SetValues {

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d{0,17})");

    /** One assignment. */
    record Assignment(String path, Object value) {
    }

    private SetValues() {
    }

    /**
     * @param typed whether {@code true}/{@code false}, integers and {@code null} become those (Helm's {@code --set}),
     *              or everything stays text ({@code --set-string})
     */
    static List<Assignment> parse(List<String> options, boolean typed) {
        List<Assignment> out = new ArrayList<>();
        for (String option : options) {
            for (String part : split(option)) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidRequestException(Operation.CONFIGURE, null,
                            "--set expects PATH=VALUE (a.b=1,c=x), not '" + part + "'");
                }
                String path = part.substring(0, eq);
                String text = part.substring(eq + 1);
                out.add(new Assignment(path, typed ? typed(text) : text));
            }
        }
        return out;
    }

    private static Object typed(String text) {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> INTEGER.matcher(text).matches() ? (Object) Long.parseLong(text) : text;
        };
    }

    private static List<String> split(String option) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < option.length(); i++) {
            char c = option.charAt(i);
            if (c == '\\' && i + 1 < option.length() && option.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
