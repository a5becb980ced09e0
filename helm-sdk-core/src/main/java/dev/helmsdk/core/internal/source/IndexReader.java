package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.helmsdk.core.internal.source.RepositoryIndex.Entry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One streaming pass over an index's tokens into a {@link RepositoryIndex}: the shape checks, Helm's leniencies and
 * the per-parse string de-duplication. {@link RepositoryIndex#parse} picks the parser (JSON or YAML) and words
 * syntax errors; this class words shape errors. One instance per parse.
 */
final class IndexReader {
    private final JsonParser p;
    // Versions and appVersions repeat across charts: keep one String per distinct value.
    private final Map<String, String> strings = new HashMap<>();
    private int size;

    IndexReader(JsonParser p) {
        this.p = p;
    }

    RepositoryIndex read() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new IOException("index is empty");
        }
        if (t != JsonToken.START_OBJECT) {
            throw error("index is not a mapping (found " + describe(t) + ")");
        }
        boolean apiVersion = false;
        Map<String, List<Entry>> entries = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            switch (field) {
                case "apiVersion" -> {
                    // Helm refuses an index without one ("no API version specified"); so do we.
                    apiVersion = t.isScalarValue() && t != JsonToken.VALUE_NULL && !p.getText().isBlank();
                    p.skipChildren();
                }
                case "entries" -> entries = readEntries(t);
                default -> p.skipChildren();
            }
        }
        if (!apiVersion) {
            throw new IOException("index has no 'apiVersion'");
        }
        if (entries == null) {
            throw new IOException("index has no 'entries' map");
        }
        return new RepositoryIndex(Collections.unmodifiableMap(entries), size);
    }

    private Map<String, List<Entry>> readEntries(JsonToken t) throws IOException {
        Map<String, List<Entry>> entries = new LinkedHashMap<>();
        if (isNull(t)) {
            return entries; // "entries:" with nothing under it: an empty repository
        }
        if (t != JsonToken.START_OBJECT) {
            throw error("index 'entries' is not a map (found " + describe(t) + ")");
        }
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String chart = p.currentName();
            t = p.nextToken();
            List<Entry> versions = new ArrayList<>();
            if (t == JsonToken.START_ARRAY) {
                int item = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    item++;
                    if (isNull(t)) {
                        continue; // Helm drops empty items too
                    }
                    if (t != JsonToken.START_OBJECT) {
                        throw error("index entry '" + chart + "' item " + item + " is not a mapping (found "
                                + describe(t) + ")");
                    }
                    Entry e = readEntry(chart, item);
                    if (e != null) {
                        versions.add(e);
                    }
                }
            } else if (!isNull(t)) {
                throw error("index entry '" + chart + "' is not a list of chart versions (found "
                        + describe(t) + ")");
            }
            size += versions.size();
            // A key repeated in the document: keep both lists' versions, in order.
            List<Entry> before = entries.get(chart);
            if (before != null) {
                List<Entry> merged = new ArrayList<>(before);
                merged.addAll(versions);
                versions = merged;
            }
            entries.put(chart, List.copyOf(versions)); // copyOf: exact size, immutable
        }
        return entries;
    }

    /** Reads one chart version; the parser is on its START_OBJECT. Null when it has no version. */
    private Entry readEntry(String chart, int item) throws IOException {
        String name = null;
        String version = null;
        List<String> urls = List.of();
        String digest = "";
        String appVersion = "";
        boolean deprecated = false;
        String changes = "";
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            switch (field) {
                case "name" -> name = scalar(t, chart, item, field);
                case "version" -> version = scalar(t, chart, item, field);
                case "digest" -> digest = orEmpty(scalar(t, chart, item, field));
                case "appVersion" -> appVersion = orEmpty(scalar(t, chart, item, field));
                case "deprecated" -> deprecated = bool(t, chart, item);
                case "urls" -> urls = urls(t, chart, item);
                case "annotations" -> changes = changes(t);
                default -> p.skipChildren();
            }
        }
        if (version == null || version.isEmpty() || name == null || name.isEmpty()) {
            return null; // Helm drops these from a loaded index as invalid; resolving one could not work
        }
        // The map key is the same String for every version of a chart: reuse it.
        return new Entry(name.equals(chart) ? chart : name, version, urls, digest, appVersion, deprecated, changes);
    }

    /** Keeps only the {@code artifacthub.io/changes} annotation (what an upgrade advisor shows); skips the rest. */
    private String changes(JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return "";
        }
        String changes = "";
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            t = p.nextToken();
            if (key.equals("artifacthub.io/changes") && t.isScalarValue()) {
                changes = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return changes;
    }

    private List<String> urls(JsonToken t, String chart, int item) throws IOException {
        if (isNull(t)) {
            return List.of();
        }
        if (t.isScalarValue()) {
            return List.of(p.getText()); // tolerate "urls: x.tgz" written without a list
        }
        if (t != JsonToken.START_ARRAY) {
            throw error("index entry '" + chart + "' item " + item + " has 'urls' that is not a list");
        }
        List<String> urls = new ArrayList<>(1);
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            if (!t.isScalarValue()) {
                throw error("index entry '" + chart + "' item " + item + " has a 'urls' item that is not a string");
            }
            urls.add(p.getText());
        }
        return urls;
    }

    private String scalar(JsonToken t, String chart, int item, String field) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!t.isScalarValue()) {
            throw error("index entry '" + chart + "' item " + item + " has '" + field
                    + "' that is not a string (found " + describe(t) + ")");
        }
        // getText() gives the text as written even for YAML numbers: "version: 1.10" stays "1.10".
        return dedupe(p.getText());
    }

    private boolean bool(JsonToken t, String chart, int item) throws IOException {
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        if (t == JsonToken.VALUE_STRING) {
            // Helm reads YAML 1.1, where yes/no/on/off are booleans; SnakeYAML here gives strings.
            switch (p.getText().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "y", "on" -> {
                    return true;
                }
                case "false", "no", "n", "off" -> {
                    return false;
                }
                default -> { }
            }
        }
        throw error("index entry '" + chart + "' item " + item + " has 'deprecated' that is not true or false");
    }

    /** YAML's empty value ("key:" with nothing after it) reaches us as an empty string, not null. */
    private boolean isNull(JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL || (t == JsonToken.VALUE_STRING && p.getTextLength() == 0);
    }

    private String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private String dedupe(String s) {
        if (s.isEmpty()) {
            return "";
        }
        // Only short strings repeat in practice (appVersion, names); digests and versions rarely do
        // and would only grow the map.
        if (s.length() > 24) {
            return s;
        }
        String prior = strings.putIfAbsent(s, s);
        return prior == null ? s : prior;
    }

    private IOException error(String message) {
        var loc = p.currentTokenLocation();
        return new IOException(loc == null || loc.getLineNr() < 1 ? message : message + " (line " + loc.getLineNr() + ")");
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> t.toString();
        };
    }
}
