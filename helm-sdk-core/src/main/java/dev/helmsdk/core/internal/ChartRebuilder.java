package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the chart of a stored release back to a directory, so an earlier revision can be
 * redeployed (helm-java has no rollback). Helm stores a chart's metadata, templates, values,
 * schema and files, but not its subcharts: a chart that had any is replaced by one whose
 * templates emit the stored manifest, hooks and notes verbatim, which reproduces the revision exactly.
 */
final class ChartRebuilder {

    private final ObjectMapper yaml;

    ChartRebuilder(ObjectMapper yaml) {
        this.yaml = yaml;
    }

    /** Whether the revision's chart had subcharts, which the stored record does not hold. */
    static boolean hadSubcharts(StoredRelease r) {
        JsonNode meta = r.chart().path("metadata");
        if (meta.path("dependencies").size() > 0) {
            return true;
        }
        String marker = "# Source: " + meta.path("name").asText() + "/charts/";
        if (r.manifest().contains(marker)) {
            return true;
        }
        for (JsonNode hook : r.hooks()) {
            if (hook.path("manifest").asText("").contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** Writes the chart under {@code dir} and returns the chart's directory. */
    Path rebuild(StoredRelease r, Path dir) {
        try {
            Path chartDir = Files.createDirectories(dir);
            if (hadSubcharts(r)) {
                writeVerbatimChart(r, chartDir);
            } else {
                writeStoredChart(r, chartDir);
            }
            return chartDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart of revision " + r.revision() + " into " + dir, e);
        }
    }

    private void writeStoredChart(StoredRelease r, Path dir) throws IOException {
        JsonNode chart = r.chart();
        Files.writeString(dir.resolve("Chart.yaml"), yaml.writeValueAsString(chart.path("metadata")));
        if (chart.path("values").isObject()) {
            Files.writeString(dir.resolve("values.yaml"), yaml.writeValueAsString(chart.path("values")));
        }
        if (chart.hasNonNull("schema") && !chart.path("schema").asText().isEmpty()) {
            Files.write(dir.resolve("values.schema.json"), Base64.getDecoder().decode(chart.path("schema").asText()));
        }
        for (String list : new String[] {"templates", "files"}) {
            for (JsonNode f : chart.path(list)) {
                write(dir, f.path("name").asText(), Base64.getDecoder().decode(f.path("data").asText("")));
            }
        }
    }

    private void writeVerbatimChart(StoredRelease r, Path dir) throws IOException {
        JsonNode meta = r.chart().path("metadata");
        Map<String, Object> chartYaml = new LinkedHashMap<>();
        chartYaml.put("apiVersion", "v2");
        chartYaml.put("name", meta.path("name").asText());
        chartYaml.put("version", meta.path("version").asText());
        if (!meta.path("appVersion").asText("").isEmpty()) {
            chartYaml.put("appVersion", meta.path("appVersion").asText());
        }
        chartYaml.put("description", "Revision " + r.revision() + " of " + r.name() + ", reproduced from its stored manifest");
        Files.writeString(dir.resolve("Chart.yaml"), yaml.writeValueAsString(chartYaml));
        verbatim(dir, "manifest", r.manifest());
        int i = 0;
        for (Iterator<JsonNode> it = r.hooks().elements(); it.hasNext(); i++) {
            verbatim(dir, "hook-" + i, it.next().path("manifest").asText(""));
        }
        if (!r.notes().isEmpty()) {
            write(dir, "stored/notes.txt", r.notes().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            write(dir, "templates/NOTES.txt", "{{ .Files.Get \"stored/notes.txt\" }}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** A template that emits a stored text unchanged: the text is a chart file, so Go templating never parses it. */
    private static void verbatim(Path dir, String name, String text) throws IOException {
        write(dir, "stored/" + name + ".yaml", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        write(dir, "templates/" + name + ".yaml",
                ("{{ .Files.Get \"stored/" + name + ".yaml\" }}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void write(Path dir, String name, byte[] data) throws IOException {
        Path target = dir.resolve(name).normalize();
        if (!target.startsWith(dir)) {
            throw new IOException("stored chart file '" + name + "' points outside the chart");
        }
        Files.createDirectories(target.getParent());
        Files.write(target, data);
    }
}
