package dev.helmsdk.core.internal;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a chart archive that the chart source has already checked (one top directory, regular
 * files and directories only, within the size limits) into a private directory. Still refuses an
 * entry that would land outside it, so a call on an unchecked archive cannot write elsewhere.
 */
public final class ChartArchiveExtractor {

    private ChartArchiveExtractor() {
    }

    /** Unpacks {@code archive} under {@code into} and returns the chart's top directory. */
    public static Path extract(Path archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        Path top = null;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException("archive entry '" + e.getName() + "' is outside the chart");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                } else {
                    throw new IOException("archive entry '" + e.getName() + "' is not a file or directory");
                }
                if (top == null) {
                    top = root.resolve(root.relativize(target).getName(0));
                }
            }
        }
        if (top == null) {
            throw new IOException("archive " + archive + " is empty");
        }
        return top;
    }
}
