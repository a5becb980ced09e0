package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A classic Helm chart repository's {@code index.yaml}, reduced to what resolving and downloading a
 * chart needs. Immutable and safe to share between threads.
 *
 * <p>Only the fields of {@link Entry} are kept: a public index lists every version of every chart
 * with descriptions, maintainers, keywords and more, and a cache holds several of these for a
 * long time, so the rest is skipped while streaming rather than parsed into a tree.
 */
public final class RepositoryIndex {

    /**
     * One chart version in the index.
     *
     * @param name the chart's name
     * @param version the chart's version, as written (not validated as SemVer here)
     * @param urls the archive's URLs as written: absolute, or relative to the repository URL
     * @param digest the archive's sha256 in hex as Helm writes it, or {@code ""} when absent
     * @param appVersion the application version, or {@code ""} when absent
     * @param deprecated whether the chart version is marked deprecated
     * @param changes the {@code artifacthub.io/changes} annotation as written (YAML text), or {@code ""} when absent
     */
    public record Entry(String name, String version, List<String> urls, String digest, String appVersion,
                        boolean deprecated, String changes) {
        /**
         * Copies {@code urls} and rejects nulls, so an entry is immutable.
         *
         * @param name the chart's name
         * @param version the chart's version
         * @param urls the archive's URLs as written
         * @param digest the archive's sha256 in hex, or {@code ""}
         * @param appVersion the application version, or {@code ""}
         * @param deprecated whether the chart version is deprecated
         * @param changes the {@code artifacthub.io/changes} annotation, or {@code ""}
         */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            urls = List.copyOf(urls);
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(appVersion, "appVersion");
            Objects.requireNonNull(changes, "changes");
        }

        /**
         * An entry without a changes annotation.
         *
         * @param name the chart's name
         * @param version the chart's version
         * @param urls the archive's URLs as written
         * @param digest the archive's sha256 in hex, or {@code ""}
         * @param appVersion the application version, or {@code ""}
         * @param deprecated whether the chart version is deprecated
         */
        public Entry(String name, String version, List<String> urls, String digest, String appVersion, boolean deprecated) {
            this(name, version, urls, digest, appVersion, deprecated, "");
        }
    }

    // Shared, immutable factories: creating a Jackson factory is costly, parsers from it are cheap.
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML;

    static {
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML refuses documents over 3 MB by default; a 10,000-version index is larger. The
        // size of what reaches the parser is bounded by the transport, not here.
        options.setCodePointLimit(Integer.MAX_VALUE);
        YAML = YAMLFactory.builder().loaderOptions(options).build();
    }

    private final Map<String, List<Entry>> entries;
    private final int size;

    private RepositoryIndex(Map<String, List<Entry>> entries, int size) {
        this.entries = entries;
        this.size = size;
    }

    /**
     * Parses an index in Helm's format: a mapping with {@code apiVersion}, {@code entries} (chart
     * name to a list of chart versions, each with {@code version}, {@code urls}, {@code digest},
     * {@code appVersion}, {@code deprecated} and more) and {@code generated}. JSON content (as some
     * repositories serve) is accepted as well. Chart versions are kept in the order listed.
     *
     * <p>As in Helm, an empty list item and a chart version without a {@code name} or a
     * {@code version} are left out (Helm logs and skips them). Unlike Helm, versions are not
     * re-sorted: choosing one is the resolver's job. The stream is read to the end of the document
     * but not closed.
     *
     * @param in the index content
     * @return the parsed index
     * @throws IOException if the stream cannot be read or the content is not a valid index; the
     *         message names what is wrong and, where known, the line
     */
    public static RepositoryIndex parse(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        // JSON is valid YAML, but Jackson's JSON parser is several times faster than SnakeYAML.
        JsonFactory factory = looksLikeJson(buffered) ? JSON : YAML;
        try (JsonParser p = factory.createParser(buffered)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return new Reader(p).read();
        } catch (JsonProcessingException e) {
            // Syntax errors: keep Jackson's text (it carries the position), say what was being read.
            // SnakeYAML's text spans several lines with a caret drawing: fold it onto one line.
            String detail = String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " ").trim();
            throw new IOException("index is not valid " + (factory == JSON ? "JSON" : "YAML") + ": " + detail
                    + (detail.contains("line ") ? "" : location(e)), e);
        }
    }

    /**
     * The versions of one chart, in the order the index lists them.
     *
     * @param chartName the chart's name as listed under {@code entries}
     * @return the versions, unmodifiable; empty when the chart is not in the index
     */
    public List<Entry> versions(String chartName) {
        return entries.getOrDefault(chartName, List.of());
    }

    /**
     * The charts in the index, in the order listed.
     *
     * @return the chart names, unmodifiable
     */
    public Set<String> chartNames() {
        return entries.keySet();
    }

    /**
     * The number of chart versions in the index, over all charts.
     *
     * @return the number of entries
     */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "RepositoryIndex[" + entries.size() + " charts, " + size + " versions]";
    }

    /**
     * Whether the content looks like JSON: '{' then '"' or '}'. A YAML flow mapping such as
     * {@code {apiVersion: v1, ...}} also starts with '{' but has unquoted keys, and goes to YAML.
     */
    private static boolean looksLikeJson(BufferedInputStream in) throws IOException {
        in.mark(4096);
        try {
            boolean brace = false;
            for (int i = 0; i < 4096; i++) {
                int b = in.read();
                if (b == -1) {
                    return false;
                }
                // Skip whitespace and a UTF-8 byte order mark (EF BB BF).
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF) {
                    continue;
                }
                if (!brace) {
                    if (b != '{') {
                        return false;
                    }
                    brace = true;
                    continue;
                }
                return b == '"' || b == '}';
            }
            return false;
        } finally {
            in.reset();
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ")";
    }

    /** One pass over the token stream; holds per-parse string de-duplication. */
    private static final class Reader {
        private final JsonParser p;
        // Versions and appVersions repeat across charts: keep one String per distinct value.
        private final Map<String, String> strings = new HashMap<>();
        private int size;

        Reader(JsonParser p) {
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
}
