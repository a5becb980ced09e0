package dev.helmsdk.secrets;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.CredentialUnavailableException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import javax.net.ssl.SSLException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The azurekeyvault resolver through the real Azure SDK (its challenge policy, retries and Netty
 * transport) against {@link FakeKeyVault} over HTTPS. No Key Vault emulator can be had here; the
 * SDK is pointed at the fake only by its transport: requests keep their real URL
 * ({@code https://<vault>.vault.azure.net}, vals' rule) and challenge check, and the test's address
 * resolver connects them to the fake on loopback, trusting the fake's certificate in that client only.
 */
@Tag("integration")
class AzureKeyVaultFakeTest {

    private static final String VALUE = "s3cret-" + UUID.randomUUID();
    /** A vault of its own per test: the SDK caches a vault's challenge process-wide, by host. */
    private final String v = "kv" + UUID.randomUUID().toString().substring(0, 8);
    private final String token = "fake-bearer-" + UUID.randomUUID();
    private final CountingCredential credential = new CountingCredential(r -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1))));
    private final SecretContext context = context(Duration.ofSeconds(20));
    private FakeKeyVault vault;
    private KeyVaultClients clients;
    private AzureKeyVaultResolver resolver;

    @BeforeEach
    void start() throws Exception {
        vault = new FakeKeyVault(token);
        clients = new KeyVaultClients(credential, transportTo(vault.address(), vault.certificate()));
        resolver = new AzureKeyVaultResolver(() -> clients);
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private static SecretContext context(Duration left) {
        return new SecretContext(Operation.INSTALL, "web", "apps", () -> left);
    }

    private Object resolve(String ref) {
        return resolver.resolve(SecretReference.parse(ref), context);
    }

    private SecretResolutionException failure(String ref, Reason reason) {
        SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> resolve(ref));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(ref), e.getMessage());
        assertNoSecretIn(e);
        return e;
    }

    private void assertNoSecretIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(VALUE), t.getMessage());
            assertFalse(String.valueOf(t.getMessage()).contains(token), t.getMessage());
            assertFalse(String.valueOf(t).contains("s3cret"), t.toString());
        }
    }

    @Test
    void theLatestVersionOrANamedOneAfterTheBearerChallenge() {
        String first = vault.put("db-password", "first-" + VALUE);
        vault.put("db-password", VALUE);
        assertEquals(VALUE, resolve("ref+azurekeyvault://" + v + "/db-password"));
        assertEquals("first-" + VALUE, resolve("ref+azurekeyvault://" + v + "/db-password/" + first));
        assertEquals(VALUE, resolve("ref+azurekeyvault://" + v + "/db-password/"));
        assertEquals(1, vault.challenges(), "one challenge, then the token is reused");
        assertEquals(List.of("https://vault.azure.net/.default"), credential.requests.get(0).getScopes());
        assertEquals(FakeKeyVault.TENANT, credential.requests.get(0).getTenantId());
        assertEquals(1, credential.calls.get());
        assertTrue(vault.hosts().stream().allMatch(h -> h.startsWith(v + ".vault.azure.net")), vault.hosts().toString());
    }

    @Test
    void aFragmentParsesTheValueAsJsonOrYamlAndSelectsKeepingTheType() {
        vault.put("db", "{\"user\": \"app\", \"password\": \"" + VALUE + "\", \"port\": 5432, \"tls\": {\"on\": true}}");
        vault.put("api", "token: " + VALUE + "\nretries: 3\n");
        assertEquals(VALUE, resolve("ref+azurekeyvault://" + v + "/db#/password"));
        assertEquals(5432, resolve("ref+azurekeyvault://" + v + "/db#/port"));
        assertEquals(Map.of("on", true), resolve("ref+azurekeyvault://" + v + "/db#/tls"));
        assertEquals(3, resolve("ref+azurekeyvault://" + v + "/api#/retries"));
    }

    @Test
    void aMissingSecretOrVersionIsNotFound() {
        vault.put("db-password", VALUE);
        failure("ref+azurekeyvault://" + v + "/nope", Reason.NOT_FOUND);
        SecretResolutionException e = failure("ref+azurekeyvault://" + v + "/db-password/0123456789abcdef0123456789abcdef", Reason.NOT_FOUND);
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("https://" + v + ".vault.azure.net"), e.getMessage());
    }

    @Test
    void aMissingKeyIsMissingKeyNeverAnEmptyValueAndAValueThatIsNotYamlIsNotQuoted() {
        vault.put("db", "{\"password\": \"" + VALUE + "\"}");
        vault.put("flat", "[" + VALUE);
        assertTrue(failure("ref+azurekeyvault://" + v + "/db#/user", Reason.MISSING_KEY).getMessage().contains("/user"));
        failure("ref+azurekeyvault://" + v + "/flat#/key", Reason.INVALID_REFERENCE);
    }

    @Test
    void aForbiddenReadIsDenied() {
        vault.put("db", VALUE);
        vault.forbid("db");
        SecretResolutionException e = failure("ref+azurekeyvault://" + v + "/db", Reason.DENIED);
        assertTrue(e.getMessage().contains("403"), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void aTokenTheVaultRejectsIsDenied() {
        vault.put("db", VALUE);
        credential.answer = r -> Mono.just(new AccessToken("someone-elses-token", OffsetDateTime.now().plusHours(1)));
        assertTrue(failure("ref+azurekeyvault://" + v + "/db", Reason.DENIED).getMessage().contains("401"));
    }

    @Test
    void noCredentialIsDeniedNamingWhatDefaultAzureCredentialReads() {
        vault.put("db", VALUE);
        credential.answer = r -> Mono.error(new CredentialUnavailableException(
                "EnvironmentCredential authentication unavailable. Environment variables are not fully configured."));
        SecretResolutionException e = failure("ref+azurekeyvault://" + v + "/db", Reason.DENIED);
        for (String variable : List.of("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE", "az login")) {
            assertTrue(e.getMessage().contains(variable), e.getMessage());
        }
        assertEquals(0, vault.reads(), "no read without a token");
        assertEquals(1, credential.calls.get(), "a credential without a token is not asked again");
    }

    @Test
    void aServerErrorIsUnreachableAndRetryable() {
        // The SDK retries 5xx, briefly (3 retries from 200 ms): the answer comes well within the operation's time.
        vault.put("db", VALUE);
        vault.failWith(503);
        long start = System.nanoTime();
        SecretResolutionException e = failure("ref+azurekeyvault://" + v + "/db", Reason.UNREACHABLE);
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertEquals(4, vault.reads(), "the first read and 3 retries");
        assertTrue(e.retryable());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0);
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        clients = new KeyVaultClients(credential, transportTo(closed, vault.certificate()));
        resolver = new AzureKeyVaultResolver(() -> clients);
        SecretResolutionException e = failure("ref+azurekeyvault://" + v + "/db", Reason.UNREACHABLE);
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        assertTrue(e.retryable());
    }

    @Test
    void aVaultHostThatDoesNotExistIsUnreachableAtOnce() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        clients = new KeyVaultClients(credential, transport(vault.certificate(), (host, promise) -> {
            lookups.incrementAndGet();
            promise.setFailure(new UnknownHostException(host.getHostString()));
        }));
        resolver = new AzureKeyVaultResolver(() -> clients);
        SecretResolutionException e = failure("ref+azurekeyvault://" + v + "/db", Reason.UNREACHABLE);
        assertTrue(e.getMessage().contains("unknown host"), e.getMessage());
        assertEquals(1, lookups.get(), "a misspelt vault is not retried");
    }

    @Test
    void aVaultThatDoesNotAnswerIsATimeoutWithinTheTimeLeft() {
        vault.put("db", VALUE);
        vault.stall();
        SecretReference ref = SecretReference.parse("ref+azurekeyvault://" + v + "/db");
        long start = System.nanoTime();
        SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> resolver.resolve(ref, context(Duration.ofMillis(800))));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(Reason.TIMEOUT, e.reason(), e.getMessage());
        assertTrue(e.retryable());
        assertTrue(took.compareTo(Duration.ofMillis(3000)) < 0, "took " + took.toMillis() + " ms");
        assertNoSecretIn(e);
    }

    @Test
    void coldConcurrentResolvesShareOneClientPerVaultOneChallengeAndOneToken() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            names.add("s" + i);
            vault.put("s" + i, VALUE + "-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String name = names.get(i % names.size());
                results.add(pool.submit(() -> resolve("ref+azurekeyvault://" + v + "/" + name)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(VALUE + "-" + (i % names.size()), results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, clients.clientCount());
        assertEquals(1, vault.challenges());
        assertEquals(1, credential.calls.get());
        // A second vault is a second client, with its own challenge.
        assertEquals(VALUE + "-1", resolve("ref+azurekeyvault://" + v + "-2/s1"));
        assertEquals(2, clients.clientCount());
        assertEquals(2, vault.challenges());
    }

    /** A Netty transport that connects every host to {@code target} and trusts only {@code trusted}: nothing JVM-wide. */
    static HttpClient transportTo(InetSocketAddress target, X509Certificate trusted) throws SSLException {
        return transport(trusted, (host, promise) -> promise.setSuccess(target));
    }

    /** A Netty transport whose host lookups {@code lookup} answers, trusting only {@code trusted}. */
    static HttpClient transport(X509Certificate trusted, BiConsumer<InetSocketAddress, Promise<InetSocketAddress>> lookup) throws SSLException {
        SslContext tls = SslContextBuilder.forClient().trustManager(trusted).build();
        AddressResolverGroup<InetSocketAddress> toTarget = new AddressResolverGroup<>() {
            @Override
            protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
                return new AbstractAddressResolver<>(executor) {
                    @Override
                    protected boolean doIsResolved(InetSocketAddress address) {
                        return !address.isUnresolved();
                    }

                    @Override
                    protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
                        lookup.accept(unresolved, promise);
                    }

                    @Override
                    protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
                        Promise<InetSocketAddress> one = executor().newPromise();
                        one.addListener(f -> {
                            if (f.isSuccess()) {
                                promise.setSuccess(List.of(one.getNow()));
                            } else {
                                promise.setFailure(f.cause());
                            }
                        });
                        lookup.accept(unresolved, one);
                    }
                };
            }
        };
        return new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                .resolver(toTarget).secure(spec -> spec.sslContext(tls))).build();
    }

    /** A credential that counts its calls, records what it was asked and answers as told. */
    static final class CountingCredential implements TokenCredential {
        final AtomicInteger calls = new AtomicInteger();
        final List<TokenRequestContext> requests = new CopyOnWriteArrayList<>();
        volatile Function<TokenRequestContext, Mono<AccessToken>> answer;

        CountingCredential(Function<TokenRequestContext, Mono<AccessToken>> answer) {
            this.answer = answer;
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            calls.incrementAndGet();
            requests.add(request);
            return answer.apply(request);
        }
    }
}
