package dev.helmsdk.api.auth;

import java.net.URI;
import java.util.Optional;

/**
 * SPI: a source of credentials for chart repositories and OCI registries. Implementations with a
 * public no-arg constructor may be registered in
 * {@code META-INF/services/dev.helmsdk.api.auth.CredentialProvider}; others are added in code.
 *
 * <p>A chain asks providers in descending {@link #priority()} order and uses the first that
 * returns credentials. The documented levels, higher wins:
 * <ol>
 *   <li>{@link #PRIORITY_EXPLICIT} (400): credentials given in code</li>
 *   <li>{@link #PRIORITY_KUBERNETES_SECRET} (300): a Kubernetes Secret reference</li>
 *   <li>{@link #PRIORITY_ENVIRONMENT} (200): environment variables</li>
 *   <li>{@link #PRIORITY_CONFIG_FILES} (100): docker {@code config.json} and Helm's registry config</li>
 *   <li>{@link #PRIORITY_MOUNTED_FILES} (50): files from a mounted Secret</li>
 * </ol>
 *
 * <p>Implementations must be thread-safe, must read current values on every call (so rotated
 * secrets are picked up) and must never put secret values into exception messages or
 * {@link #explainMiss(URI)} reasons.
 */
public interface CredentialProvider {

    /** Credentials given in code. */
    int PRIORITY_EXPLICIT = 400;
    /** A reference to a Kubernetes Secret. */
    int PRIORITY_KUBERNETES_SECRET = 300;
    /** Environment variables. */
    int PRIORITY_ENVIRONMENT = 200;
    /** Docker / Helm registry config files. */
    int PRIORITY_CONFIG_FILES = 100;
    /** Mounted secret files. */
    int PRIORITY_MOUNTED_FILES = 50;

    /** A short stable name used in messages and as {@link RepositoryCredentials#source()}, e.g. {@code env}. */
    String name();

    /** Position in the chain; higher is asked first. See the class documentation for the levels. */
    int priority();

    /**
     * The credentials this provider has for {@code repository}, or empty when it has none.
     *
     * @param repository the repository or registry URL; {@code null} is a {@link NullPointerException}
     * @param ctx        the operation and services; {@code null} is taken as {@link CredentialContext#empty()}
     * @throws RuntimeException when the source exists but cannot be read or is malformed; the
     *         chain records the message (which must not contain a secret) and asks the next provider
     */
    Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx);

    /**
     * Why {@link #resolve} returned empty for {@code repository}, for the error listing every
     * provider's reason, e.g. {@code "no HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_* variables"}. Never a secret.
     */
    default String explainMiss(URI repository) {
        return "no credentials for " + repository;
    }
}
