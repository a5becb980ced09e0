package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * vals' {@code file} scheme: {@code ref+file://secrets/db.txt} is the whole file's text,
 * {@code ref+file://secrets.yaml#/db/password} one key of a YAML or JSON file (keeping its type when
 * the reference is the whole value). A relative path is taken from the base directory (the working
 * directory by default), {@code ref+file:///etc/app/pw} is absolute.
 */
public final class FileResolver implements SecretResolver {

    private final Path base;

    /** Relative paths from the working directory, as vals. */
    public FileResolver() {
        this(Path.of(""));
    }

    /**
     * Relative paths from {@code base}.
     *
     * @param base the directory relative references start from
     */
    public FileResolver(Path base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    /** A fragment selects from the file's YAML or JSON: one read serves every key of it. */
    @Override
    public boolean fragmentSelectsFromWhole(SecretReference reference) {
        Objects.requireNonNull(reference, "reference");
        return true;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        Path file = base.resolve(reference.path());
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw SecretResolutionException.of(context, reference, this, Reason.NOT_FOUND, "no file " + file.toAbsolutePath());
        } catch (AccessDeniedException e) {
            throw SecretResolutionException.of(context, reference, this, Reason.DENIED, "cannot read " + file.toAbsolutePath() + ": permission denied");
        } catch (IOException e) {
            throw SecretResolutionException.of(context, reference, this, Reason.INVALID_REFERENCE,
                    "cannot read " + file.toAbsolutePath() + " (" + e.getClass().getSimpleName() + ")");
        }
        if (reference.fragment().isEmpty()) {
            return text;
        }
        return SecretDocuments.select(text, file.toAbsolutePath().toString(), reference, context, this);
    }

    @Override
    public String toString() {
        return "FileResolver[" + base.toAbsolutePath() + "]";
    }
}
