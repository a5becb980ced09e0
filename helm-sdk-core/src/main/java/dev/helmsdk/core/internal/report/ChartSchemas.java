package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.Operation;
import dev.helmsdk.core.internal.TracedCoalesce;
import dev.helmsdk.core.internal.charts.ChartDependencies;
import dev.helmsdk.core.internal.charts.ChartDependencies.Dependency;
import dev.helmsdk.core.internal.values.ValuesFileReader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * What of a chart its values are checked with: its default values, its {@code values.schema.json}, its
 * {@code Chart.yaml} dependencies, and the same of each subchart under {@code charts/} (a directory or an archive;
 * names starting with {@code _} or {@code .} skipped, as Helm's loader does), read from a chart directory or archive
 * without unpacking it to disk. Defaults are read as Helm reads them (YAML 1.1, anchors).
 *
 * @param name         the name the parent's values know it by: {@code Chart.yaml}'s {@code name}, or the alias
 * @param chart        {@code Chart.yaml}'s {@code name}
 * @param version      {@code Chart.yaml}'s {@code version}
 * @param defaults     its {@code values.yaml}
 * @param schema       its {@code values.schema.json}, or {@code null}
 * @param declared     whether {@code Chart.yaml} has a {@code dependencies} list (without one Helm processes none below)
 * @param dependencies that list
 * @param subcharts    its subcharts
 */
record ChartSchemas(String name, String chart, String version, Map<String, Object> defaults, String schema,
                    boolean declared, List<Dependency> dependencies, List<ChartSchemas> subcharts) {

    /** Whether this chart or a subchart has a schema. */
    boolean anySchema() {
        return schema != null || subcharts.stream().anyMatch(ChartSchemas::anySchema);
    }

    /** This chart as its parent's values know it under {@code alias}. */
    ChartSchemas named(String alias) {
        return new ChartSchemas(alias, chart, version, defaults, schema, declared, dependencies, subcharts);
    }

    ChartSchemas withSubcharts(List<ChartSchemas> subs) {
        return with(defaults, dependencies, subs);
    }

    ChartSchemas with(Map<String, Object> newDefaults, List<Dependency> deps, List<ChartSchemas> subs) {
        return new ChartSchemas(name, chart, version, newDefaults, schema, declared, List.copyOf(deps), List.copyOf(subs));
    }

    /** The defaults tree Helm's coalescing walks. */
    TracedCoalesce.Chart defaultsTree(String parent) {
        String path = parent == null ? "" : parent.isEmpty() ? name : parent + "/" + name;
        return new TracedCoalesce.Chart(name, path, defaults, subcharts.stream().map(s -> s.defaultsTree(path)).toList());
    }

    /** Reads the chart at {@code chart}: a directory or a {@code .tgz}. */
    static ChartSchemas read(Operation op, Path chart) {
        try {
            if (Files.isDirectory(chart)) {
                return ofDirectory(op, chart);
            }
            try (InputStream in = Files.newInputStream(chart)) {
                return ofArchive(op, chart, in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chart " + chart + ": " + e.getMessage(), e);
        }
    }

    private static ChartSchemas ofDirectory(Operation op, Path dir) throws IOException {
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
                    String n = sub.getFileName().toString();
                    if (skipped(n)) {
                        continue;
                    }
                    if (Files.isDirectory(sub) && Files.isRegularFile(sub.resolve("Chart.yaml"))) {
                        subs.add(ofDirectory(op, sub));
                    } else if (n.endsWith(".tgz")) {
                        try (InputStream in = Files.newInputStream(sub)) {
                            subs.add(ofArchive(op, sub, in));
                        }
                    }
                }
            }
        }
        return of(op, dir, files, subs);
    }

    /** Helm's loader leaves out {@code charts/} entries starting with {@code _} or {@code .}. */
    private static boolean skipped(String entry) {
        return entry.startsWith("_") || entry.startsWith(".");
    }

    /** An archive: {@code <top>/Chart.yaml}, ..., and {@code <top>/charts/<sub>/...} or {@code <top>/charts/<sub>.tgz}. */
    private static ChartSchemas ofArchive(Operation op, Path where, InputStream archive) throws IOException {
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
        return ofEntries(op, where, entries);
    }

    /** Only the files this reads, so a large chart's templates are skipped. */
    private static boolean wanted(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.equals("Chart.yaml") || file.equals("values.yaml") || file.equals("values.schema.json") || file.endsWith(".tgz");
    }

    private static ChartSchemas ofEntries(Operation op, Path where, Map<String, byte[]> entries) throws IOException {
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
            String entry = slash < 0 ? rest : rest.substring(0, slash);
            if (skipped(entry)) {
                continue;
            }
            if (slash < 0 && rest.endsWith(".tgz")) {
                subs.add(ofArchive(op, where.resolve("charts").resolve(rest), new ByteArrayInputStream(e.getValue())));
            } else if (slash > 0) {
                unpacked.computeIfAbsent(entry, k -> new LinkedHashMap<>()).put(rest.substring(slash + 1), e.getValue());
            }
        }
        for (Map.Entry<String, Map<String, byte[]>> sub : unpacked.entrySet()) {
            subs.add(ofEntries(op, where.resolve("charts").resolve(sub.getKey()), sub.getValue()));
        }
        return of(op, where, own, subs);
    }

    private static ChartSchemas of(Operation op, Path where, Map<String, byte[]> files, List<ChartSchemas> subs) {
        byte[] meta = files.get("Chart.yaml");
        ChartDependencies.Chart chart = ChartDependencies.parse(op, where,
                meta == null ? "" : new String(meta, StandardCharsets.UTF_8));
        byte[] values = files.get("values.yaml");
        byte[] schema = files.get("values.schema.json");
        return new ChartSchemas(chart.name(), chart.name(), chart.version(),
                values == null ? Map.of() : ValuesFileReader.read(op, null, where.resolve("values.yaml"), values),
                schema == null ? null : new String(schema, StandardCharsets.UTF_8), chart.declared(), chart.dependencies(), List.copyOf(subs));
    }
}
