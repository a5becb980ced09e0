package dev.helmsdk.api.auth;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The credentials resolved for one repository: one or more methods (e.g. a client certificate
 * and a basic login) and the name of the provider that produced them.
 *
 * @param repository the repository or registry URL they apply to
 * @param methods    at least one method, in the order the provider prefers them
 * @param source     the provider's name (e.g. {@code env}, {@code docker-config}), never a secret
 */
public record RepositoryCredentials(URI repository, List<Credentials> methods, String source) {

    /** Validates and copies the list. */
    public RepositoryCredentials {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(source, "source");
        methods = List.copyOf(Objects.requireNonNull(methods, "methods"));
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("at least one credentials method is required");
        }
    }

    /** Convenience factory. */
    public static RepositoryCredentials of(URI repository, String source, Credentials... methods) {
        Objects.requireNonNull(methods, "methods");
        return new RepositoryCredentials(repository, List.of(methods), source);
    }

    /** The first method of the given type, if any. */
    public <T extends Credentials> Optional<T> find(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return methods.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Lists the methods via their (redacting) {@code toString()}. */
    @Override
    public String toString() {
        return "RepositoryCredentials[repository=" + repository + ", methods=" + methods + ", source=" + source + "]";
    }
}
