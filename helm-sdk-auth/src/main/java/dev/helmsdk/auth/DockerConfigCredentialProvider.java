package dev.helmsdk.auth;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from docker's {@code config.json}, name {@code docker-config}, priority
 * {@link CredentialProvider#PRIORITY_CONFIG_FILES} (100).
 *
 * <p>The file is {@code $DOCKER_CONFIG/config.json}, or {@code ~/.docker/config.json} when
 * {@code DOCKER_CONFIG} is unset, or the path given to {@link #DockerConfigCredentialProvider(Path)}.
 * It is read (never written) on every call, so a new {@code docker login} is seen at once.
 * {@code auths} keys are matched on host[:port]; see {@link DockerConfig} for the entry fields.
 * Credential helpers ({@code credsStore}, {@code credHelpers}) are not executed; they are named in
 * the miss reason.
 */
public class DockerConfigCredentialProvider implements CredentialProvider {

    private final Path file;
    private final String name;
    private final int priority;

    /** Uses {@code DOCKER_CONFIG} or {@code ~/.docker/config.json} (ServiceLoader). */
    public DockerConfigCredentialProvider() {
        this(defaultPath(System.getenv()));
    }

    /** Reads {@code file}. */
    public DockerConfigCredentialProvider(Path file) {
        this(file, "docker-config", PRIORITY_CONFIG_FILES);
    }

    DockerConfigCredentialProvider(Path file, String name, int priority) {
        this.file = java.util.Objects.requireNonNull(file, "file");
        this.name = name;
        this.priority = priority;
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static Path defaultPath(Map<String, String> env) {
        java.util.Objects.requireNonNull(env, "env");
        String dir = env.get("DOCKER_CONFIG");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir, "config.json");
        }
        return Path.of(System.getProperty("user.home"), ".docker", "config.json");
    }

    /** The file this provider reads. */
    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        java.util.Objects.requireNonNull(repository, "repository");
        return load().flatMap(c -> c.credentialsFor(repository))
                .map(methods -> new RepositoryCredentials(repository, methods, name));
    }

    private Optional<DockerConfig> load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
        return Optional.of(DockerConfig.parse(bytes, file.toString()));
    }

    @Override
    public String explainMiss(URI repository) {
        java.util.Objects.requireNonNull(repository, "repository");
        if (!Files.exists(file)) {
            return file + " does not exist";
        }
        try {
            return load().map(c -> c.explainMiss(repository)).orElse(file + " does not exist");
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
