package dev.helmsdk.auth;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials from Kubernetes Secrets referenced per repository; name {@code kubernetes-secret},
 * priority {@link CredentialProvider#PRIORITY_KUBERNETES_SECRET} (300).
 *
 * <p>Constructed in code with a fabric8 {@link KubernetesClient} (not found by ServiceLoader: it
 * needs a client and the references). The Secret is read on every call, so a rotated Secret is used
 * by the next operation. Supported types:
 * <ul>
 *   <li>{@code kubernetes.io/basic-auth}: {@code username}, {@code password}</li>
 *   <li>{@code kubernetes.io/tls}: {@code tls.crt}, {@code tls.key} (and {@code ca.crt} if present)</li>
 *   <li>{@code kubernetes.io/dockerconfigjson}: {@code .dockerconfigjson}, matched on host[:port]</li>
 *   <li>{@code Opaque} (or any other type): the keys of {@link SecretKeys}, by default
 *       {@code username}, {@code password}, {@code token}, {@code tls.crt}, {@code tls.key},
 *       {@code ca.crt}; other names with {@link Builder#secret(URI, String, String, SecretKeys)}</li>
 * </ul>
 * A referenced Secret that does not exist, cannot be read or lacks the keys is an error (reported
 * as this provider's reason; the chain goes on with the next provider). Built with a client, the
 * Secret's read ends within the time the asking operation has left ({@link CredentialContext#timeLeft()}).
 */
public final class KubernetesSecretCredentialProvider implements CredentialProvider {

    /** Reads a Secret; returns null when it does not exist. */
    @FunctionalInterface
    public interface SecretReader {
        /** The Secret, or null. */
        Secret read(String namespace, String name);
    }

    /** A Secret reference with the key names to use for Opaque Secrets. */
    public record SecretRef(String namespace, String name, SecretKeys keys) {
        /** Validates. */
        public SecretRef {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(keys, "keys");
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    /** A {@link SecretReader} that is told the time the operation has left. */
    private interface TimedReader {
        Secret read(String namespace, String name, Optional<Duration> timeLeft);
    }

    private final TimedReader reader;
    private final Map<String, SecretRef> refs;

    private KubernetesSecretCredentialProvider(TimedReader reader, Map<String, SecretRef> refs) {
        this.reader = reader;
        this.refs = Map.copyOf(refs);
    }

    /** A builder reading Secrets with {@code client}. */
    public static Builder builder(KubernetesClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder((ns, name, left) -> within(client, left).secrets().inNamespace(ns).withName(name).get());
    }

    /** A builder with a custom reader (a cache, an informer, a test double), which bounds its own reads. */
    public static Builder builder(SecretReader reader) {
        Objects.requireNonNull(reader, "reader");
        return new Builder((ns, name, left) -> reader.read(ns, name));
    }

    /** {@code client}, its requests ending within {@code timeLeft} when given (fabric8's per-request timeout). */
    private static KubernetesClient within(KubernetesClient client, Optional<Duration> timeLeft) {
        if (timeLeft.isEmpty()) {
            return client;
        }
        long millis = timeLeft.get().toMillis();
        if (millis <= 0) {
            throw new IllegalStateException("the operation's time ran out before the Secret was read");
        }
        RequestConfig rc = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestTimeout((int) Math.min(Integer.MAX_VALUE, millis)).build();
        return client.newClient(rc).adapt(KubernetesClient.class);
    }

    /** Builds a {@link KubernetesSecretCredentialProvider}. */
    public static final class Builder {
        private final TimedReader reader;
        private final Map<String, SecretRef> refs = new LinkedHashMap<>();

        private Builder(TimedReader reader) {
            this.reader = reader;
        }

        /** The credentials for {@code repository} (URL or prefix) are in Secret {@code namespace/name}. */
        public Builder secret(URI repository, String namespace, String name) {
            return secret(repository, namespace, name, SecretKeys.DEFAULT);
        }

        /** As {@link #secret(URI, String, String)} with custom key names for Opaque Secrets. */
        public Builder secret(URI repository, String namespace, String name, SecretKeys keys) {
            Objects.requireNonNull(repository, "repository");
            refs.put(repository.toString(), new SecretRef(namespace, name, keys));
            return this;
        }

        /** The provider. */
        public KubernetesSecretCredentialProvider build() {
            return new KubernetesSecretCredentialProvider(reader, refs);
        }
    }

    @Override
    public String name() {
        return "kubernetes-secret";
    }

    @Override
    public int priority() {
        return PRIORITY_KUBERNETES_SECRET;
    }

    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        Objects.requireNonNull(repository, "repository");
        Optional<SecretRef> ref = RepositoryMatcher.bestMatch(refs, repository, false);
        if (ref.isEmpty()) {
            return Optional.empty();
        }
        SecretRef r = ref.get();
        Secret secret;
        try {
            secret = reader.read(r.namespace(), r.name(), ctx == null ? Optional.empty() : ctx.timeLeft());
        } catch (KubernetesClientException e) {
            if (e.getCode() <= 0) {
                throw new IllegalStateException("cannot read Secret " + r + ": no answer from the Kubernetes API"
                        + (ctx != null && ctx.timeLeft().isPresent() ? " within the time its operation had left" : ""), e);
            }
            throw new IllegalStateException("cannot read Secret " + r + ": HTTP " + e.getCode()
                    + (e.getStatus() != null && e.getStatus().getReason() != null ? " " + e.getStatus().getReason() : ""), e);
        }
        if (secret == null) {
            throw new IllegalStateException("Secret " + r + " does not exist");
        }
        String type = secret.getType() == null ? "Opaque" : secret.getType();
        Map<String, String> data = decode(secret, r);
        List<Credentials> methods;
        String where = "Secret " + r + " (" + type + ")";
        switch (type) {
            case "kubernetes.io/dockerconfigjson" -> {
                String json = data.get(".dockerconfigjson");
                if (json == null) {
                    throw new IllegalStateException(where + " has no .dockerconfigjson key");
                }
                DockerConfig config = DockerConfig.parse(json.getBytes(StandardCharsets.UTF_8), "Secret " + r);
                methods = config.credentialsFor(repository)
                        .orElseThrow(() -> new IllegalStateException(config.explainMiss(repository)));
            }
            case "kubernetes.io/basic-auth", "kubernetes.io/tls" -> methods = SecretFiles.read(SecretKeys.DEFAULT, data::get, where);
            default -> methods = SecretFiles.read(r.keys(), data::get, where);
        }
        if (methods.isEmpty()) {
            throw new IllegalStateException(where + " has none of the keys " + r.keys().username() + "/" + r.keys().password()
                    + ", " + r.keys().token() + ", " + r.keys().certificate() + "/" + r.keys().privateKey()
                    + " (keys present: " + String.join(", ", data.keySet().stream().sorted().toList()) + ")");
        }
        return Optional.of(new RepositoryCredentials(repository, methods, name()));
    }

    private static Map<String, String> decode(Secret secret, SecretRef r) {
        Map<String, String> out = new LinkedHashMap<>();
        if (secret.getStringData() != null) {
            out.putAll(secret.getStringData());
        }
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> {
                try {
                    out.put(k, v == null ? null : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("Secret " + r + ": key " + k + " is not valid base64");
                }
            });
        }
        return out;
    }

    @Override
    public String explainMiss(URI repository) {
        Objects.requireNonNull(repository, "repository");
        return refs.isEmpty() ? "no Secret references configured"
                : "no Secret reference for " + repository + " (configured: " + String.join(", ", refs.keySet()) + ")";
    }
}
