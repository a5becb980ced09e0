package dev.helmsdk.it.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes bcrypt htpasswd files with {@code htpasswd -Bbn} (apache2-utils). */
final class Htpasswd {

    private Htpasswd() {
    }

    static Path binary() {
        return ServerProcess.requireBinary("apache2-utils", "/usr/bin/htpasswd", "htpasswd");
    }

    /** Replaces {@code file} atomically with one bcrypt entry for user/password. */
    static void write(Path file, String user, String password) {
        String line = ServerProcess.run(file.getParent(), binary().toString(), "-Bbn", user, password).trim();
        try {
            Path tmp = Files.createTempFile(file.getParent(), "htpasswd", ".tmp");
            Files.writeString(tmp, line + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
