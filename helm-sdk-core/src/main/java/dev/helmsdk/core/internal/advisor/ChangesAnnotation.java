package dev.helmsdk.core.internal.advisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.core.advisor.ReleaseAdvice.ChartChange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Artifact Hub's {@code artifacthub.io/changes} annotation: YAML text holding a list, either of plain
 * strings or of objects with {@code kind} and {@code description} (and {@code links}, not kept).
 */
public final class ChangesAnnotation {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** An index is the repository's text: bound what one annotation may cost to read. */
    private static final int MAX_CHARS = 64 * 1024;

    private ChangesAnnotation() {
    }

    /**
     * The entries of an annotation; what cannot be read is one entry of kind {@code ""} holding the text
     * as written (cut at 64 KiB), so nothing the chart said is lost.
     *
     * @param text the annotation's value, or {@code ""}
     * @return its entries, in order
     */
    public static List<ChartChange> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String bounded = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        try {
            JsonNode root = YAML.readTree(bounded);
            if (root == null || !root.isArray()) {
                return List.of(new ChartChange("", bounded.strip()));
            }
            List<ChartChange> out = new ArrayList<>();
            for (JsonNode item : root) {
                if (item.isObject()) {
                    out.add(new ChartChange(item.path("kind").asText(""), item.path("description").asText("")));
                } else if (item.isValueNode()) {
                    out.add(new ChartChange("", item.asText()));
                }
            }
            return out;
        } catch (IOException e) {
            return List.of(new ChartChange("", bounded.strip()));
        }
    }
}
