package dev.helmsdk.auth;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Credentials from environment variables, name {@code env}, priority
 * {@link CredentialProvider#PRIORITY_ENVIRONMENT} (200).
 *
 * <p>For a repository host {@code H} (and port {@code P} when the URL has one) the variables are
 * {@code HELM_SDK_REPO_<N>_USERNAME}, {@code _PASSWORD}, {@code _TOKEN}, {@code _TLS_CERT},
 * {@code _TLS_KEY} (PEM text) and {@code _CA_CERT} (PEM text), where {@code <N>} is the host
 * upper-cased with every other character than A-Z and 0-9 turned into {@code _}, first with
 * {@code _<P>} appended, then without. Example: {@code oci://registry.example.com:5000/charts}
 * reads {@code HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_5000_USERNAME}, then
 * {@code HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_USERNAME}. Variables are read on every call.
 */
public final class EnvironmentCredentialProvider implements CredentialProvider {

    /** The common prefix of all variables. */
    public static final String PREFIX = "HELM_SDK_REPO_";

    private static final SecretKeys KEYS =
            new SecretKeys("USERNAME", "PASSWORD", "TOKEN", "TLS_CERT", "TLS_KEY", "CA_CERT");

    private final Supplier<Map<String, String>> env;

    /** Reads the process environment (used by ServiceLoader). */
    public EnvironmentCredentialProvider() {
        this(System::getenv);
    }

    /** Reads the given map, for tests and for callers with their own configuration source. */
    public EnvironmentCredentialProvider(Map<String, String> env) {
        this(() -> env);
        Objects.requireNonNull(env, "env");
    }

    private EnvironmentCredentialProvider(Supplier<Map<String, String>> env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "env";
    }

    @Override
    public int priority() {
        return PRIORITY_ENVIRONMENT;
    }

    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        Objects.requireNonNull(repository, "repository");
        Map<String, String> vars = env.get();
        for (String prefix : EnvNames.prefixes(PREFIX, repository)) {
            List<Credentials> methods = SecretFiles.read(KEYS, k -> vars.get(prefix + k), "environment (" + prefix + "*)");
            if (!methods.isEmpty()) {
                return Optional.of(new RepositoryCredentials(repository, methods, name()));
            }
        }
        return Optional.empty();
    }

    @Override
    public String explainMiss(URI repository) {
        Objects.requireNonNull(repository, "repository");
        List<String> prefixes = EnvNames.prefixes(PREFIX, repository);
        return "no " + String.join("* or ", prefixes) + "* variables";
    }
}
