package dev.helmsdk.auth;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials given in code, name {@code explicit}, priority
 * {@link CredentialProvider#PRIORITY_EXPLICIT} (400). Keys are repository URLs or prefixes
 * ({@code oci://registry.example.com/charts}, {@code https://charts.example.com}); the longest
 * matching path wins. Not registered for ServiceLoader: add it to a {@link CredentialChain}.
 */
public final class StaticCredentialProvider implements CredentialProvider {

    private final Map<String, List<Credentials>> byKey;

    private StaticCredentialProvider(Map<String, List<Credentials>> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    /** One repository (or prefix) with one or more methods. */
    public static StaticCredentialProvider of(URI repository, Credentials... methods) {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(methods, "methods");
        return builder().add(repository, methods).build();
    }

    /** A builder for several repositories. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link StaticCredentialProvider}. */
    public static final class Builder {
        private final Map<String, List<Credentials>> byKey = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds methods for a repository URL or prefix; a later call for the same key replaces it. */
        public Builder add(URI repository, Credentials... methods) {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(methods, "methods");
            if (methods.length == 0) {
                throw new IllegalArgumentException("at least one credentials method is required for " + repository);
            }
            byKey.put(repository.toString(), List.of(methods));
            return this;
        }

        /** The provider. */
        public StaticCredentialProvider build() {
            return new StaticCredentialProvider(byKey);
        }
    }

    @Override
    public String name() {
        return "explicit";
    }

    @Override
    public int priority() {
        return PRIORITY_EXPLICIT;
    }

    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        Objects.requireNonNull(repository, "repository");
        return RepositoryMatcher.bestMatch(byKey, repository, false)
                .map(methods -> new RepositoryCredentials(repository, methods, name()));
    }

    @Override
    public String explainMiss(URI repository) {
        Objects.requireNonNull(repository, "repository");
        return byKey.isEmpty() ? "no explicit credentials configured"
                : "no explicit credentials for " + repository + " (configured: " + String.join(", ", byKey.keySet()) + ")";
    }

    @Override
    public String toString() {
        return "StaticCredentialProvider" + byKey.keySet();
    }
}
