package dev.helmsdk.core;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Chart archives ({@code .tgz}) for core's tests, written with Commons Compress: from path and text pairs, or packed
 * from a chart directory as Helm packs it. Entry names are kept as given (absolute or odd ones included), so tests of
 * the archive check can write what Helm would refuse. (The testkit's tests have {@code ChartArchiveSamples}.)
 */
public final class TestArchives {

    private TestArchives() {
    }

    /**
     * A gzip tar of the given files, in the order given.
     *
     * @param pathThenText entry name, then its text, for each file
     */
    public static byte[] tgz(String... pathThenText) {
        if (pathThenText.length % 2 != 0) {
            throw new IllegalArgumentException("give a path and a text for each file");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (int i = 0; i < pathThenText.length; i += 2) {
                put(tar, pathThenText[i], pathThenText[i + 1].getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@link #tgz(String...)} written to {@code file}. */
    public static Path tgz(Path file, String... pathThenText) throws IOException {
        return Files.write(file, tgz(pathThenText));
    }

    /** {@code chart} packed as Helm packs it: every file under {@code <directory name>/}, in name order. */
    public static Path pack(Path chart, Path out) throws IOException {
        String top = chart.getFileName().toString();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(chart)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream o = Files.newOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(o))) {
            for (Path f : files) {
                put(tar, top + "/" + chart.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        return out;
    }

    /** One file entry, its name kept as given. */
    static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
