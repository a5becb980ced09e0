package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import dev.helmsdk.api.ValuesProvenance;
import dev.helmsdk.core.internal.TracedValues.MapNode;
import dev.helmsdk.core.internal.values.ValuesFileReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The computed values of a local chart (directory or archive) under {@link Values}, with provenance: the user
 * layers merged as {@link ValuesMerger} merges them (files and maps in order, then assignments), then coalesced
 * with the chart's and its subcharts' defaults as Helm does ({@link TracedCoalesce}). Every file is read as Helm
 * reads it ({@link ValuesFileReader}), the chart's {@code values.yaml} included. Public (in an internal package)
 * for the public entry point in {@code dev.helmsdk.core}.
 */
public final class ValuesProvenanceComputer {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Operation OP = Operation.CONFIGURE;

    private ValuesProvenanceComputer() {
    }

    /** The computed values of {@code chart} with {@code values}, and where each came from. */
    public static ValuesProvenance compute(Path chart, Values values) {
        TracedCoalesce.Chart defaults = readChart(chart);
        MapNode user = new MapNode(new ValuesProvenance.ChartDefault(""), List.of());
        int position = 0;
        for (Values.Layer layer : values.layers()) {
            if (layer instanceof Values.FromFile f) {
                TracedValues.merge(user, ValuesFileReader.read(OP, null, f.path()), new ValuesProvenance.File(f.path()));
            } else {
                TracedValues.merge(user, ((Values.FromMap) layer).values(), new ValuesProvenance.ValuesMap(position));
            }
            position++;
        }
        for (Values.SetValue set : values.sets()) {
            TracedValues.assign(user, set.segments(), set.value(), new ValuesProvenance.Assignment(set.path()),
                    TracedValues.pointer(set.segments()));
        }
        return TracedCoalesce.compute(defaults, user);
    }

    /** The chart's defaults and its subcharts', from a directory or a {@code .tgz} (unpacked into a private temporary directory). */
    private static TracedCoalesce.Chart readChart(Path chart) {
        if (Files.isDirectory(chart)) {
            return readDirectory(chart, "");
        }
        if (!Files.isRegularFile(chart)) {
            throw new InvalidRequestException(OP, null, "chart " + chart + " does not exist: give a chart directory or a .tgz archive");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("helm-sdk-provenance-");
            return readDirectory(ChartArchiveExtractor.extract(chart, tmp), "");
        } catch (IOException e) {
            throw new InvalidRequestException(OP, null, "chart archive " + chart + " cannot be read: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                WorkDirectory.deleteTree(tmp);
            }
        }
    }

    private static TracedCoalesce.Chart readDirectory(Path dir, String path) {
        Path meta = dir.resolve("Chart.yaml");
        if (!Files.isRegularFile(meta)) {
            throw new InvalidRequestException(OP, null, "chart " + dir + " has no Chart.yaml");
        }
        String name;
        try {
            name = String.valueOf(YAML.readValue(meta.toFile(), Map.class).getOrDefault("name", dir.getFileName().toString()));
        } catch (IOException e) {
            throw new InvalidRequestException(OP, null, "the Chart.yaml of chart " + dir + " cannot be read: " + e.getMessage(), e);
        }
        Path valuesFile = dir.resolve("values.yaml");
        Map<String, Object> defaults = Files.isRegularFile(valuesFile) ? ValuesFileReader.read(OP, null, valuesFile) : Map.of();
        List<TracedCoalesce.Chart> subs = new ArrayList<>();
        Path charts = dir.resolve("charts");
        if (Files.isDirectory(charts)) {
            try (Stream<Path> entries = Files.list(charts)) {
                for (Path sub : entries.sorted().toList()) {
                    if (Files.isDirectory(sub) && Files.isRegularFile(sub.resolve("Chart.yaml"))) {
                        subs.add(sub(readDirectory(sub, ""), path));
                    } else if (sub.getFileName().toString().endsWith(".tgz")) {
                        subs.add(sub(readChart(sub), path));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + charts, e);
            }
        }
        return new TracedCoalesce.Chart(name, path, defaults, subs);
    }

    /** The subchart read on its own, re-rooted under its parent's path. */
    private static TracedCoalesce.Chart sub(TracedCoalesce.Chart read, String parent) {
        String path = parent.isEmpty() ? read.name() : parent + "/" + read.name();
        List<TracedCoalesce.Chart> subs = read.subcharts().stream().map(s -> sub(s, path)).toList();
        return new TracedCoalesce.Chart(read.name(), path, read.defaults(), subs);
    }
}
