package dev.helmsdk.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** The manager's private directory for values files and fetched charts; a temporary one is deleted on close. */
public final class WorkDirectory implements AutoCloseable {

    private final Path path;
    private final boolean owned;

    private WorkDirectory(Path path, boolean owned) {
        this.path = path;
        this.owned = owned;
    }

    /** A fresh private directory under {@code java.io.tmpdir}, deleted on close. */
    public static WorkDirectory temporary() {
        try {
            return new WorkDirectory(Files.createTempDirectory("helm-sdk-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory under " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    /** A directory chosen by the application; created if needed, kept on close. */
    public static WorkDirectory at(Path path) {
        try {
            return new WorkDirectory(Files.createDirectories(path), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory " + path, e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        if (owned) {
            deleteTree(path);
        }
    }

    /** Deletes a directory and everything in it, best effort (it lives in a temporary place). */
    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort; a file vanishing mid-walk (another cleanup) reaches here unchecked.
        }
    }
}
