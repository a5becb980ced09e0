package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.InvalidRequestException;
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
 * @param merged       whether Helm makes its defaults its {@code MergeValues} ({@link TracedCoalesce.Chart#merged()})
 */
record ChartSchemas(String name, String chart, String version, Map<String, Object> defaults, String schema,
                    boolean declared, List<Dependency> dependencies, List<ChartSchemas> subcharts, boolean merged) {

    /** The largest metadata, values or subchart archive read from an archive (its entries are read into memory). */
    private static final long MAX_ENTRY_BYTES = 64L << 20;

    /** Whether this chart or a subchart has a schema. */
    boolean anySchema() {
        return schema != null || subcharts.stream().anyMatch(ChartSchemas::anySchema);
    }

    /** This chart as its parent's values know it under {@code alias}. */
    ChartSchemas named(String alias) {
        return new ChartSchemas(alias, chart, version, defaults, schema, declared, dependencies, subcharts, merged);
    }

    ChartSchemas withSubcharts(List<ChartSchemas> subs) {
        return with(defaults, dependencies, subs);
    }

    ChartSchemas with(Map<String, Object> newDefaults, List<Dependency> deps, List<ChartSchemas> subs) {
        return new ChartSchemas(name, chart, version, newDefaults, schema, declared, List.copyOf(deps), List.copyOf(subs), merged);
    }

    /** This chart with its defaults made its {@code MergeValues}, as {@code processImportValues} makes them. */
    ChartSchemas mergingDefaults() {
        return new ChartSchemas(name, chart, version, defaults, schema, declared, dependencies, subcharts, true);
    }

    /** The defaults tree Helm's coalescing walks. */
    TracedCoalesce.Chart defaultsTree(String parent) {
        String path = parent == null ? "" : parent.isEmpty() ? name : parent + "/" + name;
        return new TracedCoalesce.Chart(name, path, defaults, subcharts.stream().map(s -> s.defaultsTree(path)).toList(), merged);
    }

    /**
     * Reads the chart at {@code chart}: a directory or a {@code .tgz}.
     *
     * @throws InvalidRequestException when it does not exist, cannot be read, is no gzipped tar archive (or a
     *                                 truncated one), or Helm's loader would refuse it (no name or version, a
     *                                 directory or file in {@code charts/} that is no chart)
     */
    static ChartSchemas read(Operation op, Path chart) {
        if (!Files.exists(chart)) {
            throw new InvalidRequestException(op, null, "chart " + chart + " does not exist: give a chart directory or a .tgz archive");
        }
        try {
            if (Files.isDirectory(chart)) {
                return ofDirectory(op, chart);
            }
            try (InputStream in = Files.newInputStream(chart)) {
                return ofArchive(op, chart, in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // commons-compress refuses a corrupt tar header with an IllegalArgumentException
            throw new InvalidRequestException(op, null, "chart " + chart + " cannot be read: " + e.getMessage()
                    + "; give a chart directory or a .tgz archive as helm package writes it", e);
        }
    }

    private static ChartSchemas ofDirectory(Operation op, Path dir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String f : List.of("Chart.yaml", "values.yaml", "values.schema.json")) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) {
                if (Files.size(p) > MAX_ENTRY_BYTES) {
                    throw new InvalidRequestException(op, null, "chart file " + p + " is " + Files.size(p) + " bytes, over the "
                            + (MAX_ENTRY_BYTES >> 20) + " MiB a chart's metadata or values may have");
                }
                files.put(f, Files.readAllBytes(p));
            }
        }
        List<ChartSchemas> subs = new ArrayList<>();
        Path charts = dir.resolve("charts");
        if (Files.isDirectory(charts)) {
            try (Stream<Path> entries = Files.list(charts)) {
                for (Path sub : entries.sorted().toList()) {
                    String n = sub.getFileName().toString();
                    if (skipped(n) || n.endsWith(".prov") || Files.isDirectory(sub) && !holdsFiles(sub)) {
                        continue;   // Helm's loader: skipped, a provenance file, or a directory with no file to load
                    }
                    if (Files.isDirectory(sub) && Files.isRegularFile(sub.resolve("Chart.yaml"))) {
                        subs.add(ofDirectory(op, sub));
                    } else if (n.endsWith(".tgz") && Files.isRegularFile(sub)) {
                        try (InputStream in = Files.newInputStream(sub)) {
                            subs.add(ofArchive(op, sub, in));
                        }
                    } else {
                        throw notAChart(op, dir, n);
                    }
                }
            }
        }
        return of(op, dir, files, subs);
    }

    /** Whether Helm's directory loader, which walks files, finds any under {@code dir}. */
    private static boolean holdsFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.anyMatch(Files::isRegularFile);
        }
    }

    /** What Helm's loader says of an entry of {@code charts/} that is no chart (it loads each as one). */
    private static InvalidRequestException notAChart(Operation op, Path chart, String entry) {
        return new InvalidRequestException(op, null, "chart " + chart + " has " + entry + " in charts/, which is no chart (no Chart.yaml,"
                + " or not a .tgz): Helm refuses it (error unpacking subchart " + entry + ": Chart.yaml file is missing); remove it, or"
                + " rename it to start with '_' or '.' so Helm skips it");
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
                    if (e.getSize() > MAX_ENTRY_BYTES) {
                        throw new InvalidRequestException(op, null, "chart archive " + where + " holds " + name + " of " + e.getSize()
                                + " bytes, over the " + (MAX_ENTRY_BYTES >> 20) + " MiB a chart's metadata, values or subchart may have here");
                    }
                    entries.put(inChart, tar.readAllBytes());
                } else if (inChart.startsWith("charts/")) {
                    entries.putIfAbsent(inChart, null);   // only that it is there: Helm loads every entry of charts/
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
        java.util.Set<String> stray = new java.util.TreeSet<>();
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
            if (skipped(entry) || slash < 0 && rest.endsWith(".prov")) {
                continue;
            }
            if (slash < 0 && !rest.endsWith(".tgz")) {
                stray.add(entry);
            } else if (slash < 0) {
                subs.add(ofArchive(op, where.resolve("charts").resolve(rest), new ByteArrayInputStream(e.getValue())));
            } else if (slash > 0) {
                unpacked.computeIfAbsent(entry, k -> new LinkedHashMap<>()).put(rest.substring(slash + 1), e.getValue());
            }
        }
        for (Map.Entry<String, Map<String, byte[]>> sub : unpacked.entrySet()) {
            if (!sub.getValue().containsKey("Chart.yaml")) {
                stray.add(sub.getKey());
                continue;
            }
            subs.add(ofEntries(op, where.resolve("charts").resolve(sub.getKey()), sub.getValue()));
        }
        if (!stray.isEmpty()) {
            throw notAChart(op, where, stray.iterator().next());
        }
        return of(op, where, own, subs);
    }

    private static ChartSchemas of(Operation op, Path where, Map<String, byte[]> files, List<ChartSchemas> subs) {
        byte[] meta = files.get("Chart.yaml");
        if (meta == null) {
            throw new InvalidRequestException(op, null, "chart " + where + " has no Chart.yaml (Helm: Chart.yaml file is missing);"
                    + " give a chart directory or archive with one");
        }
        ChartDependencies.Chart chart = ChartDependencies.parse(op, where, new String(meta, StandardCharsets.UTF_8));
        byte[] values = files.get("values.yaml");
        byte[] schema = files.get("values.schema.json");
        return new ChartSchemas(chart.name(), chart.name(), chart.version(),
                values == null ? Map.of() : ValuesFileReader.read(op, null, where.resolve("values.yaml"), values),
                schema == null ? null : new String(schema, StandardCharsets.UTF_8), chart.declared(), chart.dependencies(), List.copyOf(subs),
                false);
    }
}
