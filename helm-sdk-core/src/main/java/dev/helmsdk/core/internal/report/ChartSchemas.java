package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * What of a chart its values are checked with: its default values, its {@code values.schema.json}, and the same of
 * each subchart under {@code charts/} (a directory or an archive), read from a chart directory or archive without
 * unpacking it to disk.
 *
 * @param name      the chart's name as its parent's values know it ({@code Chart.yaml}'s {@code name})
 * @param defaults  its {@code values.yaml}
 * @param schema    its {@code values.schema.json}, or {@code null}
 * @param subcharts its subcharts
 */
record ChartSchemas(String name, Map<String, Object> defaults, String schema, List<ChartSchemas> subcharts) {

    /** Whether this chart or a subchart has a schema. */
    boolean anySchema() {
        return schema != null || subcharts.stream().anyMatch(ChartSchemas::anySchema);
    }

    /** Reads the chart at {@code chart}: a directory or a {@code .tgz}. */
    static ChartSchemas read(Path chart, ObjectMapper yaml) {
        try {
            if (Files.isDirectory(chart)) {
                return ofDirectory(chart, yaml);
            }
            try (InputStream in = Files.newInputStream(chart)) {
                return ofArchive(in, yaml);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chart " + chart + ": " + e.getMessage(), e);
        }
    }

    private static ChartSchemas ofDirectory(Path dir, ObjectMapper yaml) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String f : List.of("Chart.yaml", "values.yaml", "values.schema.json")) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) {
                files.put(f, Files.readAllBytes(p));
            }
        }
        List<ChartSchemas> subs = new ArrayList<>();
        Path charts = dir.resolve("charts");
        if (Files.isDirectory(charts)) {
            try (Stream<Path> entries = Files.list(charts)) {
                for (Path sub : entries.sorted().toList()) {
                    if (Files.isDirectory(sub) && Files.isRegularFile(sub.resolve("Chart.yaml"))) {
                        subs.add(ofDirectory(sub, yaml));
                    } else if (sub.getFileName().toString().endsWith(".tgz")) {
                        try (InputStream in = Files.newInputStream(sub)) {
                            subs.add(ofArchive(in, yaml));
                        }
                    }
                }
            }
        }
        return of(files, subs, yaml);
    }

    /** An archive: {@code <top>/Chart.yaml}, ..., and {@code <top>/charts/<sub>/...} or {@code <top>/charts/<sub>.tgz}. */
    private static ChartSchemas ofArchive(InputStream archive, ObjectMapper yaml) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(archive))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName();
                int slash = name.indexOf('/');
                if (!e.isFile() || slash < 0) {
                    continue;
                }
                String inChart = name.substring(slash + 1);
                if (wanted(inChart)) {
                    entries.put(inChart, tar.readAllBytes());
                }
            }
        }
        return ofEntries(entries, yaml);
    }

    /** Only the files this reads, so a large chart's templates are skipped. */
    private static boolean wanted(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.equals("Chart.yaml") || file.equals("values.yaml") || file.equals("values.schema.json") || file.endsWith(".tgz");
    }

    private static ChartSchemas ofEntries(Map<String, byte[]> entries, ObjectMapper yaml) throws IOException {
        Map<String, byte[]> own = new LinkedHashMap<>();
        Map<String, Map<String, byte[]>> unpacked = new LinkedHashMap<>();
        List<ChartSchemas> subs = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String path = e.getKey();
            if (!path.startsWith("charts/")) {
                own.put(path, e.getValue());
                continue;
            }
            String rest = path.substring("charts/".length());
            int slash = rest.indexOf('/');
            if (slash < 0 && rest.endsWith(".tgz")) {
                subs.add(ofArchive(new ByteArrayInputStream(e.getValue()), yaml));
            } else if (slash > 0) {
                unpacked.computeIfAbsent(rest.substring(0, slash), k -> new LinkedHashMap<>()).put(rest.substring(slash + 1), e.getValue());
            }
        }
        for (Map<String, byte[]> sub : unpacked.values()) {
            subs.add(ofEntries(sub, yaml));
        }
        return of(own, subs, yaml);
    }

    @SuppressWarnings("unchecked")
    private static ChartSchemas of(Map<String, byte[]> files, List<ChartSchemas> subs, ObjectMapper yaml) throws IOException {
        Map<String, Object> meta = files.containsKey("Chart.yaml") ? yaml.readValue(files.get("Chart.yaml"), Map.class) : Map.of();
        Object defaults = files.containsKey("values.yaml") ? yaml.readValue(files.get("values.yaml"), Object.class) : null;
        byte[] schema = files.get("values.schema.json");
        return new ChartSchemas(String.valueOf(meta.getOrDefault("name", "")),
                defaults instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
                schema == null ? null : new String(schema, java.nio.charset.StandardCharsets.UTF_8), List.copyOf(subs));
    }
}
