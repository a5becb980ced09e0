package dev.helmsdk.secrets;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.AzureDeveloperCliCredentialBuilder;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretAsyncClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The only class of this module that touches the Azure SDK, loaded on the first azurekeyvault
 * resolve once {@link AzureKeyVaultResolver} has seen the SDK on the class path. One
 * {@link SecretAsyncClient} per vault URL (its pipeline caches the token; the SDK caches the vault's
 * bearer challenge process-wide, by host), built once and shared by every thread.
 */
final class KeyVaultClients {

    /** Key Vault throttles with 429 and has short 5xx blips: retry, but briefly, so a dead vault is reported within the operation's time. */
    private static final RetryOptions RETRY = new RetryOptions(new ExponentialBackoffOptions()
            .setMaxRetries(3).setBaseDelay(Duration.ofMillis(200)).setMaxDelay(Duration.ofSeconds(2)))
            .setShouldRetryCondition(KeyVaultClients::shouldRetry);

    /** What DefaultAzureCredential reads, for the hint when no credential is available (never their values). */
    static final String CREDENTIAL_HINT = "DefaultAzureCredential found no credential: set AZURE_TENANT_ID and AZURE_CLIENT_ID with "
            + "AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (service principal), or AZURE_FEDERATED_TOKEN_FILE (workload "
            + "identity), run on Azure with a managed identity (AZURE_CLIENT_ID picks a user-assigned one), or sign in with 'az login'; "
            + "AZKV_AUTH=workload|managed|cli|devcli selects one source, as in vals";

    private final TokenCredential credential;
    private final HttpClient httpClient;
    private final Map<String, Vault> clients = new ConcurrentHashMap<>();

    /**
     * A vault's client, and whether its first read is done. Key Vault answers a request without a
     * token with its challenge; concurrent first reads would each take that extra round trip, so
     * they wait for the first (any outcome), after which the challenge and the token are cached.
     */
    private record Vault(SecretAsyncClient client, AtomicBoolean leading, CompletableFuture<Void> primed) {
        Mono<KeyVaultSecret> read(String name, String version) {
            Mono<KeyVaultSecret> read = client.getSecret(name, version);
            if (primed.isDone()) {
                return read;
            }
            if (leading.compareAndSet(false, true)) {
                return read.doFinally(signal -> primed.complete(null));
            }
            return Mono.fromFuture(primed.copy()).then(read); // a copy: a waiter's timeout must not cancel the others' wait
        }
    }

    /**
     * @param credential the token source for every vault
     * @param httpClient the transport, or {@code null} for azure-core's default (the provider on the class path)
     */
    KeyVaultClients(TokenCredential credential, HttpClient httpClient) {
        this.credential = Objects.requireNonNull(credential, "credential");
        this.httpClient = httpClient;
    }

    /** The vendor's chain, as vals picks it: {@code AZKV_AUTH} unset or {@code default} is DefaultAzureCredential. */
    static KeyVaultClients fromEnvironment(Function<String, String> environment) {
        String auth = Objects.requireNonNullElse(environment.apply("AZKV_AUTH"), "").strip();
        String clientId = environment.apply("AZURE_CLIENT_ID");
        TokenCredential credential = switch (auth) {
            case "", "default" -> new DefaultAzureCredentialBuilder().build();
            case "workload" -> new WorkloadIdentityCredentialBuilder().build();
            case "managed" -> clientId == null || clientId.isBlank() ? new ManagedIdentityCredentialBuilder().build()
                    : new ManagedIdentityCredentialBuilder().clientId(clientId).build();
            case "cli" -> new AzureCliCredentialBuilder().build();
            case "devcli" -> new AzureDeveloperCliCredentialBuilder().build();
            default -> throw new KeyVaultFailure(Reason.DENIED,
                    "AZKV_AUTH='" + auth + "' is not one of default, workload, managed, cli, devcli");
        };
        return new KeyVaultClients(credential, null);
    }

    /**
     * The secret's value, within {@code timeout}.
     *
     * @param vaultUrl the vault, {@code https://<name>.vault.azure.net}
     * @param name     the secret's name
     * @param version  its version, or {@code null} for the latest
     * @throws KeyVaultFailure with the reason and a message that holds no value and no token
     */
    String value(String vaultUrl, String name, String version, Duration timeout) {
        Vault vault = vault(vaultUrl);
        KeyVaultSecret secret;
        try {
            secret = vault.read(name, version).timeout(timeout).block();
        } catch (RuntimeException e) {
            throw failure(e, vaultUrl, timeout);
        }
        if (secret == null || secret.getValue() == null) {
            throw new KeyVaultFailure(Reason.NOT_FOUND, vaultUrl + " returned secret '" + name + "' without a value");
        }
        return secret.getValue();
    }

    /**
     * azure-core's own rule (408, 429, 5xx but 501 and 505; any exception) less what a retry cannot
     * mend: a credential without a token (DefaultAzureCredential probes for seconds each time) and a
     * vault host that does not exist (a misspelt name).
     */
    static boolean shouldRetry(RequestRetryCondition condition) {
        if (condition.getResponse() != null) {
            int status = condition.getResponse().getStatusCode();
            return status == 408 || status == 429 || status >= 500 && status != 501 && status != 505;
        }
        Throwable t = condition.getThrowable();
        return t instanceof Exception && find(t, ClientAuthenticationException.class) == null
                && find(t, CredentialUnavailableException.class) == null && find(t, UnknownHostException.class) == null;
    }

    /** How many vault clients were built (one per vault URL). */
    int clientCount() {
        return clients.size();
    }

    private Vault vault(String vaultUrl) {
        return clients.computeIfAbsent(vaultUrl, url -> {
            try {
                SecretClientBuilder builder = new SecretClientBuilder().vaultUrl(url).credential(credential).retryOptions(RETRY);
                if (httpClient != null) {
                    builder.httpClient(httpClient);
                }
                return new Vault(builder.buildAsyncClient(), new AtomicBoolean(), new CompletableFuture<>());
            } catch (IllegalStateException e) {
                // azure-core found no HTTP transport: its message names the artifacts, and holds nothing secret.
                throw new KeyVaultFailure(Reason.UNREACHABLE, "the Azure SDK has no HTTP transport on the class path: add "
                        + "com.azure:azure-core-http-netty (the SDK's default), or another azure-core HTTP client");
            }
        });
    }

    /** The SDK's failure as a reason; SDK messages may quote response bodies, so only status codes and classes are kept. */
    private static KeyVaultFailure failure(RuntimeException e, String vaultUrl, Duration timeout) {
        Throwable timeoutCause = find(e, TimeoutException.class);
        if (timeoutCause != null) {
            return new KeyVaultFailure(Reason.TIMEOUT, vaultUrl + " did not answer within " + timeout.toMillis() + " ms");
        }
        if (find(e, InterruptedException.class) != null) {
            Thread.currentThread().interrupt(); // the SDK's caller stops this thread at the operation's deadline
            return new KeyVaultFailure(Reason.TIMEOUT, "interrupted while reading from " + vaultUrl + ": the operation's time ran out");
        }
        if (find(e, CredentialUnavailableException.class) != null) {
            return new KeyVaultFailure(Reason.DENIED, "no Azure credential for " + vaultUrl + ": " + CREDENTIAL_HINT);
        }
        HttpResponseException http = find(e, HttpResponseException.class);
        if (http != null && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            if (status == 404) {
                return new KeyVaultFailure(Reason.NOT_FOUND, vaultUrl + " has no such secret (or version): HTTP 404");
            }
            if (status == 401) {
                return new KeyVaultFailure(Reason.DENIED, vaultUrl + " rejected the token: HTTP 401; check that the identity "
                        + "belongs to the vault's tenant (AZURE_TENANT_ID)");
            }
            if (status == 403) {
                return new KeyVaultFailure(Reason.DENIED, vaultUrl + " refused the identity: HTTP 403; grant it 'get' on secrets "
                        + "(the Key Vault Secrets User role, or an access policy) and check the vault's firewall");
            }
            return new KeyVaultFailure(Reason.UNREACHABLE, vaultUrl + " answered HTTP " + status);
        }
        if (find(e, ClientAuthenticationException.class) != null) {
            return new KeyVaultFailure(Reason.DENIED, "the Azure credential could not get a token for " + vaultUrl + " ("
                    + e.getClass().getSimpleName() + "): " + CREDENTIAL_HINT);
        }
        String what = find(e, UnknownHostException.class) != null ? "unknown host"
                : find(e, ConnectException.class) != null ? "connection refused"
                : find(e, SSLException.class) != null ? "TLS handshake failed"
                : Objects.requireNonNullElse(find(e, IOException.class), e).getClass().getSimpleName();
        return new KeyVaultFailure(Reason.UNREACHABLE, "cannot reach " + vaultUrl + " (" + what + ")");
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable s : t.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }

    /** A failure with its reason and a message fit for users (no value, no token, no response body). */
    static final class KeyVaultFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Reason reason;

        KeyVaultFailure(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }
}
