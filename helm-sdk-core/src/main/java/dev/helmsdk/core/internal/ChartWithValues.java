package dev.helmsdk.core.internal;

import dev.helmsdk.core.internal.values.HelmValuesJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A private copy of a chart whose {@code values.yaml} is replaced by given values, so that Helm
 * renders it with exactly those values: coalescing a chart's defaults with no user values copies
 * every key, {@code null}s included, which no values file given on top of the original defaults
 * can do (a {@code null} there deletes the default). A dry run of an upgrade renders the values
 * Helm computed this way.
 */
final class ChartWithValues {

    private ChartWithValues() {
    }

    /**
     * Copies the chart at {@code chart} (a directory, or an archive Helm would accept: the archive
     * is already validated by the chart source) under {@code workDir} and writes {@code values}
     * as its {@code values.yaml}. The caller deletes the returned directory.
     */
    static Path copy(Path chart, Map<String, Object> values, Path workDir) {
        Path into = workDir.resolve("preview-" + UUID.randomUUID());
        try {
            Path top = Files.isDirectory(chart) ? copyDirectory(chart, into.resolve(chart.getFileName().toString()))
                    : ChartArchiveExtractor.extract(chart, into);
            // JSON is YAML: Helm reads it back with the same types the values were computed with.
            HelmValuesJson.write(top.resolve("values.yaml"), values);
            return top;
        } catch (IOException e) {
            WorkDirectory.deleteTree(into);
            throw new UncheckedIOException("cannot copy chart " + chart + " for the dry run: " + e.getMessage(), e);
        }
    }

    private static Path copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    try (InputStream in = Files.newInputStream(p)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return to;
    }
}
