package dev.helmsdk.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Copies the {@code hello} chart bundled in this module out of the class path, so it works from a jar too. */
final class BundledChart {

    private static final String ROOT = "/dev/helmsdk/examples/charts/hello/";
    private static final List<String> FILES = List.of("Chart.yaml", "values.yaml", "templates/configmap.yaml",
            "templates/deployment.yaml", "templates/service.yaml", "templates/NOTES.txt");

    private BundledChart() {
    }

    /** Writes the chart under {@code parent} and returns its directory. */
    static Path hello(Path parent) {
        Path dir = parent.resolve("hello");
        try {
            for (String f : FILES) {
                Path target = dir.resolve(f);
                Files.createDirectories(target.getParent());
                try (InputStream in = BundledChart.class.getResourceAsStream(ROOT + f)) {
                    if (in == null) {
                        throw new IllegalStateException("chart file " + ROOT + f + " is missing from the class path");
                    }
                    Files.copy(in, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
