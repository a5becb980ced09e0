package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.ChartRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The plain Helm charts {@link HelmManagerContract} deploys, shipped in the testkit jar and copied to
 * a temporary directory (a chart source needs files), deleted again by {@link #close()}. Each chart
 * is a directory with a {@code Chart.yaml}, a {@code values.yaml} and templates, nothing else: a fake
 * that reads only the metadata and the default values handles them too.
 *
 * <ul>
 *   <li>{@link #web()}: {@code contract-web} 1.0.0, appVersion 2.1, defaults {@code replicaCount: 1},
 *       {@code message: hello}, {@code image.repository/tag}, {@code extra.keep: default},
 *       {@code podLabels: {}}; renders a ConfigMap {@code <release>-config} (data {@code message} and
 *       {@code extra}), a Deployment {@code <release>} and the notes {@code "<release> says <message>"}.
 *   <li>{@link #webNext()}: {@code contract-web} 1.1.0, appVersion 2.2, the same with one more default,
 *       {@code extra.added: in-1.1.0}, which the ConfigMap renders.
 *   <li>{@link #broken()}: {@code contract-broken} 0.1.0, whose template does not parse.
 * </ul>
 */
public final class ContractCharts implements AutoCloseable {

    private static final String ROOT = "/dev/helmsdk/testkit/contract/charts/";
    private static final List<String> WEB_FILES = List.of("Chart.yaml", "values.yaml", "templates/NOTES.txt",
            "templates/configmap.yaml", "templates/deployment.yaml");

    private final Path directory;

    private ContractCharts(Path directory) {
        this.directory = directory;
    }

    /**
     * Copies the charts into a new temporary directory.
     *
     * @return the charts, to close when done
     * @throws UncheckedIOException if the temporary directory cannot be written
     */
    public static ContractCharts extract() {
        try {
            Path dir = Files.createTempDirectory("helmsdk-contract-charts");
            ContractCharts charts = new ContractCharts(dir);
            charts.copy("contract-web", WEB_FILES);
            charts.copy("contract-web-next", WEB_FILES);
            charts.copy("contract-broken", List.of("Chart.yaml", "values.yaml", "templates/bad.yaml"));
            return charts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the contract's charts to a temporary directory", e);
        }
    }

    private void copy(String chart, List<String> files) throws IOException {
        for (String file : files) {
            Path target = directory.resolve(chart).resolve(file);
            Files.createDirectories(target.getParent());
            try (InputStream in = ContractCharts.class.getResourceAsStream(ROOT + chart + "/" + file)) {
                if (in == null) {
                    throw new IOException("resource " + ROOT + chart + "/" + file + " missing from the testkit jar");
                }
                Files.copy(in, target);
            }
        }
    }

    /**
     * {@code contract-web} 1.0.0.
     *
     * @return its directory as a chart reference
     */
    public ChartRef web() {
        return ChartRef.directory(directory.resolve("contract-web"));
    }

    /**
     * {@code contract-web} 1.1.0, with one more default value.
     *
     * @return its directory as a chart reference
     */
    public ChartRef webNext() {
        return ChartRef.directory(directory.resolve("contract-web-next"));
    }

    /**
     * {@code contract-broken}, whose template fails to render.
     *
     * @return its directory as a chart reference
     */
    public ChartRef broken() {
        return ChartRef.directory(directory.resolve("contract-broken"));
    }

    /**
     * The directory holding the charts, one subdirectory each.
     *
     * @return the temporary directory
     */
    public Path directory() {
        return directory;
    }

    /** Deletes the temporary directory. */
    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
