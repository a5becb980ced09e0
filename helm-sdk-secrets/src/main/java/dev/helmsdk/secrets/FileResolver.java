package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

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
        Object tree;
        try {
            tree = yaml().load(text);
        } catch (YAMLException e) {
            // The parser's message quotes the file's text: only where it failed goes into ours.
            throw SecretResolutionException.of(context, reference, this, Reason.INVALID_REFERENCE,
                    file.toAbsolutePath() + " is not YAML or JSON, so no key can be selected from it");
        }
        if (tree == null) {
            throw SecretResolutionException.of(context, reference, this, Reason.MISSING_KEY, file.toAbsolutePath() + " is empty");
        }
        return reference.select(tree).orElseThrow(() -> SecretResolutionException.of(context, reference, this, Reason.MISSING_KEY,
                file.toAbsolutePath() + " has no key " + reference.fragment().orElseThrow()));
    }

    /** SafeConstructor (no arbitrary types); timestamps stay text, as Helm's values reader leaves them. */
    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        Resolver noTimestamps = new Resolver() {
            @Override
            public void addImplicitResolver(org.yaml.snakeyaml.nodes.Tag tag, java.util.regex.Pattern regexp, String first, int limit) {
                if (!org.yaml.snakeyaml.nodes.Tag.TIMESTAMP.equals(tag)) {
                    super.addImplicitResolver(tag, regexp, first, limit);
                }
            }
        };
        DumperOptions dump = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options, noTimestamps);
    }

    @Override
    public String toString() {
        return "FileResolver[" + base.toAbsolutePath() + "]";
    }
}
