package dev.helmsdk.core.internal.report;

/** JSON pointers (RFC 6901) as findings and field changes name fields. */
final class JsonPointers {

    private JsonPointers() {
    }

    /** {@code /a/b} for a path under {@code parent} ending in {@code key}, escaped. */
    static String child(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    /**
     * The pointer of a field path as the API server writes it in a Status cause: {@code spec.template.spec.containers[0].image}
     * is {@code /spec/template/spec/containers/0/image}; {@code metadata.labels[app.kubernetes.io/name]} keeps its key whole.
     */
    static String fromFieldPath(String field) {
        StringBuilder out = new StringBuilder();
        StringBuilder part = new StringBuilder();
        int i = 0;
        while (i < field.length()) {
            char ch = field.charAt(i);
            if (ch == '.') {
                flush(out, part);
                i++;
            } else if (ch == '[') {
                flush(out, part);
                int end = field.indexOf(']', i);
                if (end < 0) {
                    end = field.length();
                }
                String key = field.substring(i + 1, end);
                if (key.length() > 1 && key.startsWith("\"") && key.endsWith("\"")) {
                    key = key.substring(1, key.length() - 1);
                }
                out.append(child("", key));
                i = end + 1;
            } else {
                part.append(ch);
                i++;
            }
        }
        flush(out, part);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder part) {
        if (!part.isEmpty()) {
            out.append(child("", part.toString()));
            part.setLength(0);
        }
    }

    /** The unescaped keys of {@code pointer}: {@code /a~1b/0} is {@code [a/b, 0]}; the root {@code ""} has none. */
    static java.util.List<String> keys(String pointer) {
        if (pointer.isEmpty()) {
            return java.util.List.of();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String k : pointer.substring(1).split("/", -1)) {
            out.add(k.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    /** Whether {@code pointer} is {@code prefix} or under it ({@code /spec} covers {@code /spec/replicas}, not {@code /specs}). */
    static boolean covers(String prefix, String pointer) {
        return pointer.equals(prefix) || pointer.startsWith(prefix + "/");
    }

    /** The value at {@code pointer} in a tree of maps and lists; empty when there is none. */
    static java.util.Optional<Object> at(Object root, String pointer) {
        Object here = root;
        for (String k : keys(pointer)) {
            if (here instanceof java.util.Map<?, ?> m && m.containsKey(k)) {
                here = m.get(k);
            } else if (here instanceof java.util.List<?> l && index(k) >= 0 && index(k) < l.size()) {
                here = l.get(index(k));
            } else {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.ofNullable(here);
    }

    /**
     * A copy of {@code root} with the value at {@code pointer} replaced by {@code value}, or removed when it is empty;
     * missing maps on the way are made. A pointer through a list item that is not there changes nothing.
     */
    @SuppressWarnings("unchecked")
    static Object with(Object root, java.util.List<String> keys, java.util.Optional<Object> value) {
        if (keys.isEmpty()) {
            return value.orElse(null);
        }
        String k = keys.get(0);
        java.util.List<String> rest = keys.subList(1, keys.size());
        if (root instanceof java.util.List<?> l) {
            int i = index(k);
            if (i < 0 || i >= l.size()) {
                return root;
            }
            java.util.List<Object> copy = new java.util.ArrayList<>(l);
            copy.set(i, with(l.get(i), rest, value));
            return copy;
        }
        java.util.Map<String, Object> copy = root instanceof java.util.Map<?, ?> m
                ? new java.util.LinkedHashMap<>((java.util.Map<String, Object>) m) : new java.util.LinkedHashMap<>();
        if (rest.isEmpty() && value.isEmpty()) {
            copy.remove(k);
        } else if (rest.isEmpty() || copy.get(k) != null || value.isPresent()) {
            copy.put(k, with(copy.get(k), rest, value));
        }
        return copy;
    }

    private static int index(String key) {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
