package dev.helmsdk.core.internal;

import dev.helmsdk.core.internal.values.HelmValuesJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Function;

/** The private files Helm reads merged values from: readable by this user only, deleted after the call. */
final class ValuesFiles {

    private ValuesFiles() {
    }

    /** Writes {@code values} into a new private file in {@code dir}. */
    private static Path write(Path dir, Map<String, Object> values) {
        try {
            Path file = Files.createTempFile(dir, "values-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            HelmValuesJson.write(file, values); // not Jackson: it escapes emoji as surrogates, which Helm rejects
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write values into " + dir, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The work directory is removed on close anyway.
        }
    }

    /** Runs {@code body} with {@code values} in a private file, deleted afterwards. */
    static <T> T with(Path dir, Map<String, Object> values, Function<Path, T> body) {
        Path file = write(dir, values);
        try {
            return body.apply(file);
        } finally {
            delete(file);
        }
    }
}
