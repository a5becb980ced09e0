package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One SDK client per region and profile a reference asks for ({@code ?region=}, {@code ?profile=}),
 * built on first use and shared by every thread after. Everything not asked for comes from the SDK's
 * default chains: region ({@code AWS_REGION}, {@code aws.region}, the profile), endpoint
 * ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_<SERVICE>}, the profile), credentials (environment,
 * system properties, web identity, profile, SSO, container and instance roles). With an injected
 * environment ({@link AwsSettings}) region, endpoint and static credentials are read from it instead.
 *
 * @param <B> the service client's builder
 * @param <C> the service client
 */
final class AwsClients<B extends AwsClientBuilder<B, C>, C extends SdkAutoCloseable> implements AutoCloseable {

    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** A client's configuration as the reference writes it ({@code null}: not given). */
    private record Key(String region, String profile) {
    }

    /** A client and the region it was built for, to name in messages. */
    record Client<C>(C sdk, String region) {
    }

    private final Supplier<B> builders;
    private final String service;
    private final String endpointVariable;
    private final AwsSettings settings;
    private final Map<Key, Client<C>> clients = new ConcurrentHashMap<>();
    /** Clients built since the last close: more than {@code clients.size()} would mean one was built twice. */
    private final AtomicInteger built = new AtomicInteger();

    /**
     * @param builders         the service's {@code builder()}
     * @param service          the service's name in messages, e.g. {@code "Secrets Manager"}
     * @param endpointVariable the service's own endpoint variable, e.g. {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}
     *                         (read by the SDK itself, and by us only from an injected environment)
     * @param settings         where configuration comes from
     */
    AwsClients(Supplier<B> builders, String service, String endpointVariable, AwsSettings settings) {
        this.builders = builders;
        this.service = service;
        this.endpointVariable = endpointVariable;
        this.settings = settings;
    }

    /** The client for {@code reference}'s region and profile, built on first use. */
    Client<C> client(SecretReference reference, SecretContext context, SecretResolver resolver) {
        Key key = new Key(reference.param("region").filter(r -> !r.isEmpty()).orElse(null),
                reference.param("profile").filter(p -> !p.isEmpty()).orElse(null));
        if (key.region() != null && !REGION.matcher(key.region()).matches()) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    "'" + key.region() + "' is not an AWS region name (such as us-east-1)");
        }
        // computeIfAbsent: concurrent first resolves of one configuration wait for one client.
        return clients.computeIfAbsent(key, k -> build(k, reference, context, resolver));
    }

    private Client<C> build(Key key, SecretReference reference, SecretContext context, SecretResolver resolver) {
        Function<String, String> env = settings.environment().orElse(null);
        B builder = builders.get();
        String region = key.region() != null ? key.region() : env != null ? blankToNull(env.apply("AWS_REGION")) : defaultRegion(key.profile());
        if (region == null) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    "no AWS region" + (key.profile() == null ? "" : " (profile '" + key.profile() + "' has none, or does not exist)")
                            + ": set AWS_REGION (or a region in the AWS profile), or add ?region=<region> to the reference");
        }
        builder.region(Region.of(region));
        if (key.profile() != null) {
            builder.overrideConfiguration(o -> o.defaultProfileName(key.profile()));
        }
        if (env != null) {
            injected(builder, env, reference, context, resolver);
        }
        try {
            Client<C> client = new Client<>(builder.build(), region);
            built.incrementAndGet();
            return client;
        } catch (RuntimeException e) {
            throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                    "the AWS SDK could not set up its " + service + " client in " + region + " (" + e.getClass().getSimpleName()
                            + "); check the AWS configuration (environment, profile) and that an SDK HTTP client "
                            + "(software.amazon.awssdk:apache5-client or url-connection-client) is on the class path");
        }
    }

    /** The SDK's own region chain (environment, system property, profile, instance metadata), or null. */
    private static String defaultRegion(String profile) {
        DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
        if (profile != null) {
            chain.profileName(profile);
        }
        try {
            return chain.build().getRegion().id();
        } catch (SdkClientException e) {
            return null;
        }
    }

    /** What the SDK would read from the process environment, read from the injected one (tests). */
    private void injected(B builder, Function<String, String> env, SecretReference reference, SecretContext context, SecretResolver resolver) {
        String endpoint = blankToNull(env.apply(endpointVariable));
        String variable = endpointVariable;
        if (endpoint == null) {
            endpoint = blankToNull(env.apply("AWS_ENDPOINT_URL"));
            variable = "AWS_ENDPOINT_URL";
        }
        if (endpoint != null) {
            try {
                builder.endpointOverride(URI.create(endpoint));
            } catch (IllegalArgumentException e) {
                throw SecretResolutionException.of(context, reference, resolver, Reason.INVALID_REFERENCE,
                        variable + " is not a URL such as https://host:port");
            }
        }
        String id = blankToNull(env.apply("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.apply("AWS_SECRET_ACCESS_KEY"));
        if (id != null && secret != null) {
            String token = blankToNull(env.apply("AWS_SESSION_TOKEN"));
            AwsCredentials credentials = token == null ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token);
            builder.credentialsProvider(StaticCredentialsProvider.create(credentials));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Clients built and not closed (one per configuration asked for, however many threads asked at once). */
    int size() {
        return built.get();
    }

    @Override
    public void close() {
        List<Client<C>> open = new ArrayList<>(clients.values());
        clients.clear();
        built.set(0);
        open.forEach(c -> c.sdk().close());
    }
}
