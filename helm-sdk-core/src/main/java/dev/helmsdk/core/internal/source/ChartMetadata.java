package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The top-level {@code name} and {@code version} of a local chart's Chart.yaml, from a directory
 * or a {@code .tgz}, for reporting (dry runs say which chart version they would deploy). Reads
 * only those two plain scalar keys; anything unreadable gives an empty map, since Helm itself
 * reports a broken chart with a better message.
 */
public final class ChartMetadata {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ChartMetadata() {
    }

    /** {@code name} and {@code version} of the chart at {@code chart} (directory or .tgz); empty when unreadable. */
    public static Map<String, String> read(Path chart) {
        try {
            if (Files.isDirectory(chart)) {
                return parse(Files.readString(chart.resolve("Chart.yaml")));
            }
            // Through the one archive check, so the report reads the Chart.yaml Helm will read.
            Optional<String> yaml = ChartArchives.chartYaml(chart);
            return yaml.isEmpty() ? Map.of() : parse(yaml.get());
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** {@code name} and {@code version} from the text of a Chart.yaml; empty when unreadable. */
    public static Map<String, String> of(String chartYaml) {
        try {
            return parse(chartYaml);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Top-level {@code name} and {@code version}. */
    private static Map<String, String> parse(String yaml) throws IOException {
        JsonNode root = YAML.readTree(yaml);
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : new String[] {"name", "version"}) {
            if (root != null && root.path(key).isValueNode()) {
                out.put(key, root.path(key).asText());
            }
        }
        return out;
    }
}
