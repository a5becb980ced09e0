package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The top-level {@code name} and {@code version} of a local chart's Chart.yaml, from a directory
 * or a {@code .tgz}, for reporting (dry runs say which chart version they would deploy). Reads
 * only those two plain scalar keys; anything unreadable gives an empty map, since Helm itself
 * reports a broken chart with a better message.
 */
public final class ChartMetadata {

    private static final int MAX_CHART_YAML = 1 << 20;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ChartMetadata() {
    }

    /** {@code name} and {@code version} of the chart at {@code chart} (directory or .tgz); empty when unreadable. */
    public static Map<String, String> read(Path chart) {
        try {
            if (Files.isDirectory(chart)) {
                return parse(Files.readString(chart.resolve("Chart.yaml")));
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(chart))) {
                String yaml = chartYamlFromTar(in);
                return yaml == null ? Map.of() : parse(yaml);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** The first {@code <dir>/Chart.yaml} in a tar stream (Helm packages the chart's own first). */
    private static String chartYamlFromTar(InputStream in) throws IOException {
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512) {
            String name = cString(header, 0, 100);
            if (name.isEmpty()) {
                return null; // end of archive
            }
            String prefix = cString(header, 345, 155);
            String full = prefix.isEmpty() ? name : prefix + "/" + name;
            long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
            long padded = (size + 511) / 512 * 512;
            int slash = full.indexOf('/');
            if (slash > 0 && full.substring(slash + 1).equals("Chart.yaml") && size <= MAX_CHART_YAML) {
                byte[] body = in.readNBytes((int) size);
                in.skipNBytes(padded - size);
                return new String(body, StandardCharsets.UTF_8);
            }
            in.skipNBytes(padded);
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
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
