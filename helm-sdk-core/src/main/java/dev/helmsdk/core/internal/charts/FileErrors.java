package dev.helmsdk.core.internal.charts;

import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The one place a chart lifecycle's file errors become typed ones. What the user's path explains (it is a file,
 * not writable, missing, on a read-only file system) is an {@link InvalidRequestException} naming the path and
 * what to do; anything else (a disk error, a full disk) a {@link HelmOperationException} with the cause.
 */
public final class FileErrors {

    private FileErrors() {
    }

    /**
     * @param doing what failed, naming the user's path ({@code "cannot write the archive into /out"})
     * @param path  the path the user gave, checked for what explains the failure
     */
    public static HelmSdkException of(Operation op, String doing, Path path, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof AccessDeniedException) {
            return new InvalidRequestException(op, null, doing + ": " + path + " is not writable (" + why + "); give a directory this"
                    + " process may write to; nothing was changed there", e);
        }
        Path file = firstFile(path);
        if (file != null || e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return new InvalidRequestException(op, null, doing + ": " + (file != null ? file : path) + " is a file, not a directory ("
                    + why + "); give a directory", e);
        }
        if (e instanceof NoSuchFileException) {
            return new InvalidRequestException(op, null, doing + ": " + why + " does not exist; nothing was changed", e);
        }
        if (e instanceof FileSystemException f && f.getReason() != null && f.getReason().toLowerCase(java.util.Locale.ROOT).contains("read-only")) {
            return new InvalidRequestException(op, null, doing + ": " + path + " is on a read-only file system; give a writable directory", e);
        }
        return new HelmOperationException(op, null, doing + " failed: " + why + " (a disk error?); nothing half-written was left in "
                + path, null, e);
    }

    /** {@code path} or the nearest of its parents that is a regular file, or {@code null}. */
    private static Path firstFile(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
