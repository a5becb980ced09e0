package dev.helmsdk.auth;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from files, as a Kubernetes Secret mounted as a volume; name {@code mounted-files},
 * priority {@link CredentialProvider#PRIORITY_MOUNTED_FILES} (50).
 *
 * <p>A credentials directory holds any of {@code username} + {@code password}, {@code token},
 * {@code tls.crt} + {@code tls.key}, {@code ca.crt}; a trailing newline is ignored. Files are read
 * on every call, so a rotated Secret (kubelet updates the mount) is used by the next operation.
 *
 * <p>Directories are either given per repository ({@link #builder()}) or, with the no-arg
 * constructor (ServiceLoader), found under {@code $HELM_SDK_CREDENTIALS_DIR}: one subdirectory per
 * repository host, named {@code host} or {@code host_port} (e.g. {@code registry.example.com_5000}).
 */
public final class MountedFilesCredentialProvider implements CredentialProvider {

    /** The environment variable naming the base directory for the no-arg constructor. */
    public static final String BASE_DIR_ENV = "HELM_SDK_CREDENTIALS_DIR";

    private final Map<String, Path> byKey;
    private final Path baseDir;

    /** Uses {@code $HELM_SDK_CREDENTIALS_DIR} (ServiceLoader); finds nothing when it is unset. */
    public MountedFilesCredentialProvider() {
        this(Map.of(), Optional.ofNullable(System.getenv(BASE_DIR_ENV)).filter(s -> !s.isBlank()).map(Path::of).orElse(null));
    }

    private MountedFilesCredentialProvider(Map<String, Path> byKey, Path baseDir) {
        this.byKey = Map.copyOf(byKey);
        this.baseDir = baseDir;
    }

    /** Per-host subdirectories under {@code baseDir}. */
    public static MountedFilesCredentialProvider fromBaseDirectory(Path baseDir) {
        Objects.requireNonNull(baseDir, "baseDir");
        return new MountedFilesCredentialProvider(Map.of(), baseDir);
    }

    /** Explicit directories per repository URL or prefix. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a provider with explicit directories. */
    public static final class Builder {
        private final Map<String, Path> byKey = new LinkedHashMap<>();

        private Builder() {
        }

        /** The credentials for {@code repository} (URL or prefix) are in {@code directory}. */
        public Builder directory(URI repository, Path directory) {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(directory, "directory");
            byKey.put(repository.toString(), directory);
            return this;
        }

        /** The provider. */
        public MountedFilesCredentialProvider build() {
            return new MountedFilesCredentialProvider(byKey, null);
        }
    }

    @Override
    public String name() {
        return "mounted-files";
    }

    @Override
    public int priority() {
        return PRIORITY_MOUNTED_FILES;
    }

    private Optional<Path> directoryFor(URI repository) {
        Optional<Path> explicit = RepositoryMatcher.bestMatch(byKey, repository, false);
        if (explicit.isPresent() || baseDir == null) {
            return explicit;
        }
        RepositoryMatcher.Target t = RepositoryMatcher.parse(repository);
        if (t.port() >= 0) {
            Path withPort = baseDir.resolve(t.host() + "_" + t.port());
            if (Files.isDirectory(withPort)) {
                return Optional.of(withPort);
            }
        }
        Path plain = baseDir.resolve(t.host());
        return Files.isDirectory(plain) ? Optional.of(plain) : Optional.empty();
    }

    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        Objects.requireNonNull(repository, "repository");
        Optional<Path> dir = directoryFor(repository);
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return Optional.empty();
        }
        Path d = dir.get();
        List<Credentials> methods = SecretFiles.read(SecretKeys.DEFAULT, name -> read(d.resolve(name)), d.toString());
        return methods.isEmpty() ? Optional.empty() : Optional.of(new RepositoryCredentials(repository, methods, name()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String explainMiss(URI repository) {
        Objects.requireNonNull(repository, "repository");
        Optional<Path> dir = directoryFor(repository);
        if (dir.isPresent()) {
            return Files.isDirectory(dir.get()) ? dir.get() + " has no username/password, token or tls.crt/tls.key files"
                    : dir.get() + " does not exist";
        }
        if (baseDir == null && byKey.isEmpty()) {
            return BASE_DIR_ENV + " is not set and no directories are configured";
        }
        RepositoryMatcher.Target t = RepositoryMatcher.parse(repository);
        return baseDir != null ? baseDir + " has no directory " + t.host() + (t.port() >= 0 ? " or " + t.host() + "_" + t.port() : "")
                : "no directory configured for " + repository;
    }
}
