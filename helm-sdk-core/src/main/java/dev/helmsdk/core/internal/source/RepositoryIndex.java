package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
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

    /** Built by {@link IndexReader}; {@code entries} is unmodifiable and its lists immutable. */
    RepositoryIndex(Map<String, List<Entry>> entries, int size) {
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
            return new IndexReader(p).read();
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
}
