package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolver;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * vals' {@code awssecrets} scheme, AWS Secrets Manager:
 * {@code ref+awssecrets://<name or ARN>[?region=&profile=&version_stage=&version_id=][#/key/...]}, for
 * instance {@code ref+awssecrets://myteam/db#/password}. Without a fragment the secret's
 * {@code SecretString} (or its {@code SecretBinary} as UTF-8 text); with one, that text parsed as JSON
 * or YAML and the key selected, keeping its type. A missing secret is {@code NOT_FOUND}, a missing key
 * {@code MISSING_KEY}, never an empty value.
 *
 * <p>Configured only by the AWS SDK for Java v2's default chains, as the AWS CLI is: region from
 * {@code AWS_REGION} or the profile (or {@code ?region=}), endpoint from {@code AWS_ENDPOINT_URL} /
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} or the profile, credentials from the environment, web
 * identity, the profile ({@code AWS_PROFILE} or {@code ?profile=}), SSO, container or instance role.
 * One client per region and profile, shared by all threads; each call ends within the operation's time
 * left. Needs {@code software.amazon.awssdk:secretsmanager} on the class path (an optional dependency of
 * this artifact); without it, resolving fails naming that artifact. {@link #close()} closes the clients.
 */
public final class AwsSecretsManagerResolver implements SecretResolver, AutoCloseable {

    static final String ARTIFACT = "software.amazon.awssdk:secretsmanager";

    private final LazyAwsBackend backend;

    /** Configured by the SDK's default chains. */
    public AwsSecretsManagerResolver() {
        this(AwsSettings.SDK_DEFAULTS);
    }

    /**
     * Reads {@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code AWS_ENDPOINT_URL},
     * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} from
     * {@code environment} instead of the process environment (tests, or a program holding its own
     * configuration); what it does not set comes from the SDK's default chains.
     *
     * @param environment a variable's value, or {@code null} when it is not set
     */
    public AwsSecretsManagerResolver(Function<String, String> environment) {
        this(new AwsSettings(Optional.of(Objects.requireNonNull(environment, "environment"))));
    }

    private AwsSecretsManagerResolver(AwsSettings settings) {
        this.backend = new LazyAwsBackend("software.amazon.awssdk.services.secretsmanager.SecretsManagerClient", ARTIFACT,
                AwsBackends::secretsManager, settings);
    }

    @Override
    public Set<String> schemes() {
        return Set.of("awssecrets");
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
        return "AwsSecretsManagerResolver";
    }
}
