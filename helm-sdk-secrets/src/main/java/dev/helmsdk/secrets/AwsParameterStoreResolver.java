package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolver;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * vals' {@code awsssm} scheme, AWS Systems Manager Parameter Store:
 * {@code ref+awsssm://<path>[?region=&profile=&version=]} is one parameter's value (decrypted when a
 * {@code SecureString}); {@code ref+awsssm://<prefix>[?recursive=true]#/<name>/...} selects among the
 * parameters under a prefix, and {@code ref+awsssm://<path>?mode=singleparam#/key} a key of one
 * parameter's YAML or JSON value. A missing parameter is {@code NOT_FOUND}, a missing key
 * {@code MISSING_KEY}, never an empty value.
 *
 * <p>Configured exactly as {@link AwsSecretsManagerResolver} (the SDK's default chains;
 * {@code AWS_ENDPOINT_URL_SSM} for this service's endpoint). Needs {@code software.amazon.awssdk:ssm} on
 * the class path (an optional dependency of this artifact); without it, resolving fails naming that
 * artifact. {@link #close()} closes the clients.
 */
public final class AwsParameterStoreResolver implements SecretResolver, AutoCloseable {

    static final String ARTIFACT = "software.amazon.awssdk:ssm";

    private final LazyAwsBackend backend;

    /** Configured by the SDK's default chains. */
    public AwsParameterStoreResolver() {
        this(AwsSettings.SDK_DEFAULTS);
    }

    /**
     * Reads {@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SSM}, {@code AWS_ENDPOINT_URL},
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} from
     * {@code environment} instead of the process environment (tests, or a program holding its own
     * configuration); what it does not set comes from the SDK's default chains.
     *
     * @param environment a variable's value, or {@code null} when it is not set
     */
    public AwsParameterStoreResolver(Function<String, String> environment) {
        this(new AwsSettings(Optional.of(Objects.requireNonNull(environment, "environment"))));
    }

    private AwsParameterStoreResolver(AwsSettings settings) {
        this.backend = new LazyAwsBackend("software.amazon.awssdk.services.ssm.SsmClient", ARTIFACT, AwsBackends::parameterStore, settings);
    }

    @Override
    public Set<String> schemes() {
        return Set.of("awsssm");
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        return backend.resolve(reference, context, this);
    }

    /** SDK clients held (one per region and profile asked for), for tests. */
    int clients() {
        return backend.clients();
    }

    /** Closes the SDK clients (their connections); a later resolve builds new ones. */
    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "AwsParameterStoreResolver";
    }
}
