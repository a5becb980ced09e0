package dev.helmsdk.it.sources;

import com.marcnuri.helm.Helm;
import dev.helmsdk.testkit.FakeChartRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** The test chart {@code sdk-web} (0.3.0), packaged, and a classic repository index for it. */
final class SourceCharts {

    static final String NAME = "sdk-web";
    static final String VERSION = "0.3.0";
    static final String ARCHIVE = NAME + "-" + VERSION + ".tgz";

    private SourceCharts() {
    }

    static Path chartDir() {
        try {
            return Path.of(SourceCharts.class.getResource("/charts/" + NAME + "/Chart.yaml").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Packages sdk-web into {@code destination} with helm-java; returns the archive. */
    static Path packageInto(Path destination) {
        try {
            Files.createDirectories(destination);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new Helm(chartDir()).packageIt().withDestination(destination).call();
        Path archive = destination.resolve(ARCHIVE);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("helm package did not write " + archive);
        }
        return archive;
    }

    /** Packages a copy of sdk-web whose Chart.yaml says {@code version} into {@code destination}; returns the archive. */
    static Path packageVersion(Path destination, String version) {
        return FakeChartRepository.packageChart(chartDir(), version, destination);
    }

    /** Writes {@code index.yaml} next to the archive, with a relative URL and the archive's sha256 digest. */
    static Path writeIndex(Path archive) {
        try {
            String digest = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
            String now = Instant.now().toString();
            String yaml = "apiVersion: v1\n"
                    + "entries:\n"
                    + "  " + NAME + ":\n"
                    + "  - apiVersion: v2\n"
                    + "    appVersion: \"2.1\"\n"
                    + "    created: \"" + now + "\"\n"
                    + "    description: Test chart for helm-sdk's integration tests\n"
                    + "    digest: " + digest + "\n"
                    + "    name: " + NAME + "\n"
                    + "    type: application\n"
                    + "    urls:\n"
                    + "    - " + archive.getFileName() + "\n"
                    + "    version: " + VERSION + "\n"
                    + "generated: \"" + now + "\"\n";
            Path index = archive.resolveSibling("index.yaml");
            Files.writeString(index, yaml);
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
