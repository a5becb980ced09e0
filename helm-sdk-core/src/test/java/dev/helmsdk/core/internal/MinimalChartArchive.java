package dev.helmsdk.core.internal;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** The smallest chart archive the archive check accepts, for tests that need one on disk. */
public final class MinimalChartArchive {

    private MinimalChartArchive() {
    }

    /** Writes {@code <dir>/web-1.0.0.tgz} holding only {@code web/Chart.yaml} (web 1.0.0); returns it. */
    public static Path web(Path dir) throws IOException {
        Path file = dir.resolve("web-1.0.0.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            byte[] chart = "apiVersion: v2\nname: web\nversion: 1.0.0\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("web/Chart.yaml");
            e.setSize(chart.length);
            tar.putArchiveEntry(e);
            tar.write(chart);
            tar.closeArchiveEntry();
        }
        return file;
    }
}
