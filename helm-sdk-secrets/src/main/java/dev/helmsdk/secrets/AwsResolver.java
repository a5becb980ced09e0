package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * vals' AWS schemes, with the AWS SDK for Java v2:
 * <ul>
 *   <li>{@code awssecrets}, Secrets Manager:
 *       {@code ref+awssecrets://<name or ARN>[?region=&profile=&version_stage=&version_id=][#/key/...]}, e.g.
 *       {@code ref+awssecrets://myteam/db#/password}. Without a fragment the secret's {@code SecretString} (or its
 *       {@code SecretBinary} as UTF-8 text); with one, that text parsed as JSON or YAML and the key selected,
 *       keeping its type.</li>
 *   <li>{@code awsssm}, Parameter Store: {@code ref+awsssm://<path>[?region=&profile=&version=]} is one
 *       parameter's value (a {@code SecureString} decrypted); {@code ref+awsssm://<prefix>[?recursive=true]#/<name>/...}
 *       selects among the parameters under a prefix; {@code ref+awsssm://<path>?mode=singleparam#/key} a key of
 *       one parameter's JSON or YAML value.</li>
 * </ul>
 * A missing secret or parameter is {@code NOT_FOUND}, a missing key {@code MISSING_KEY}, never an empty value.
 *
 * <p>Configured only by the SDK's default chains, as the AWS CLI is: region from {@code AWS_REGION} or the
 * profile (or {@code ?region=}), endpoint from {@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER},
 * {@code AWS_ENDPOINT_URL_SSM} or the profile, credentials from the environment, web identity, the profile
 * ({@code AWS_PROFILE} or {@code ?profile=}), SSO, container or instance role. One SDK client per service,
 * region and profile, shared by all threads; each call ends within the operation's time left.
 *
 * <p>The SDK is an optional dependency of this artifact: {@code software.amazon.awssdk:secretsmanager} for
 * {@code awssecrets}, {@code software.amazon.awssdk:ssm} for {@code awsssm} (versions from
 * {@code software.amazon.awssdk:bom}). Without it this class still loads, and resolving fails naming the
 * artifact to add. {@link #close()} closes the clients.
 */
public final class AwsResolver implements SecretResolver, AutoCloseable {

    private final LazyAwsBackend secretsManager;
    private final LazyAwsBackend parameterStore;

    /** Configured by the SDK's default chains. */
    public AwsResolver() {
        this(AwsSettings.SDK_DEFAULTS);
    }

    /**
     * Reads {@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code AWS_ENDPOINT_URL_SSM},
     * {@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and
     * {@code AWS_SESSION_TOKEN} from {@code environment} instead of the process environment (tests, or a
     * program holding its own configuration); what it does not set comes from the SDK's default chains.
     *
     * @param environment a variable's value, or {@code null} when it is not set
     */
    public AwsResolver(Function<String, String> environment) {
        this(new AwsSettings(Optional.of(Objects.requireNonNull(environment, "environment"))));
    }

    private AwsResolver(AwsSettings settings) {
        this.secretsManager = new LazyAwsBackend("software.amazon.awssdk.services.secretsmanager.SecretsManagerClient",
                "software.amazon.awssdk:secretsmanager", AwsBackends::secretsManager, settings);
        this.parameterStore = new LazyAwsBackend("software.amazon.awssdk.services.ssm.SsmClient",
                "software.amazon.awssdk:ssm", AwsBackends::parameterStore, settings);
    }

    /**
     * A Secrets Manager fragment selects from the secret's text: one read serves every key of it.
     * (A Parameter Store fragment names parameters under a path: each its own request.)
     */
    @Override
    public boolean fragmentSelectsFromWhole(SecretReference reference) {
        Objects.requireNonNull(reference, "reference");
        return reference.scheme().equals("awssecrets");
    }

    @Override
    public Set<String> schemes() {
        return Set.of("awssecrets", "awsssm");
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        return switch (reference.scheme()) {
            case "awssecrets" -> secretsManager.resolve(reference, context, this);
            case "awsssm" -> parameterStore.resolve(reference, context, this);
            default -> throw SecretResolutionException.of(context, reference, this, Reason.UNKNOWN_SCHEME,
                    "AwsResolver serves awssecrets and awsssm, not " + reference.scheme());
        };
    }

    /** SDK clients held (one per service, region and profile asked for), for tests. */
    int clients() {
        return secretsManager.clients() + parameterStore.clients();
    }

    /** Closes the SDK clients (their connections); a later resolve builds new ones. */
    @Override
    public void close() {
        try {
            secretsManager.close();
        } finally {
            parameterStore.close();
        }
    }

    @Override
    public String toString() {
        return "AwsResolver";
    }
}
