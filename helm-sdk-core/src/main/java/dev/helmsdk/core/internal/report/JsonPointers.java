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
}
