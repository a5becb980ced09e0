package dev.helmsdk.testkit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link FakeSecretResolver}: lookup order, failures, latency within the time left, recording, redaction. */
class FakeSecretResolverTest {

    private static final SecretContext INSTALL = new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofSeconds(5));

    private static Object resolve(FakeSecretResolver fake, String ref, SecretContext context) {
        return fake.resolve(SecretReference.parse(ref), context);
    }

    private static SecretResolutionException failure(FakeSecretResolver fake, String ref, SecretContext context) {
        return assertThrows(SecretResolutionException.class, () -> resolve(fake, ref, context));
    }

    @Test
    void anExactValueWinsOverTheSecretAtThePathAndFragmentsSelectFromIt() {
        FakeSecretResolver fake = FakeSecretResolver.of("fake")
                .withSecret("db", Map.of("password", "from-path-pw", "port", 5432, "tls", Map.of("on", true)))
                .withValue("ref+fake://db#/password", "exact-pw");
        assertEquals("exact-pw", resolve(fake, "ref+fake://db#/password", INSTALL));
        assertEquals(5432, resolve(fake, "ref+fake://db#/port", INSTALL));
        assertEquals(true, resolve(fake, "ref+fake://db#/tls/on", INSTALL));
        assertEquals(Map.of("password", "from-path-pw", "port", 5432, "tls", Map.of("on", true)), resolve(fake, "ref+fake://db", INSTALL));
        fake.without("ref+fake://db#/password");
        assertEquals("from-path-pw", resolve(fake, "ref+fake://db#/password", INSTALL));
    }

    @Test
    void missingSecretsAndKeysFailWithTheirReasonNamingTheReferenceAndNoValue() {
        FakeSecretResolver fake = FakeSecretResolver.of("fake").withSecret("db", Map.of("password", "never-shown-pw"));
        SecretResolutionException notFound = failure(fake, "ref+fake://nothing#/password", INSTALL);
        assertEquals(Reason.NOT_FOUND, notFound.reason());
        assertEquals("ref+fake://nothing#/password", notFound.reference());
        SecretResolutionException missingKey = failure(fake, "ref+fake://db#/token", INSTALL);
        assertEquals(Reason.MISSING_KEY, missingKey.reason());
        assertTrue(missingKey.getMessage().contains("ref+fake://db#/token"), missingKey.getMessage());
        assertFalse(missingKey.getMessage().contains("never-shown-pw"), missingKey.getMessage());
        assertFalse(fake.toString().contains("never-shown-pw"), fake.toString());
        assertEquals(Reason.UNKNOWN_SCHEME, failure(fake, "ref+vault://db#/password", INSTALL).reason());
    }

    @Test
    void aConfiguredFailureAppliesToTheReferenceOrAllFragmentsOfItUntilHealed() {
        FakeSecretResolver fake = FakeSecretResolver.of("fake").withSecret("db", Map.of("password", "pw-12345678", "user", "app"))
                .failing("ref+fake://db", Reason.UNREACHABLE);
        SecretResolutionException e = failure(fake, "ref+fake://db#/password", INSTALL);
        assertEquals(Reason.UNREACHABLE, e.reason());
        assertTrue(e.retryable(), "UNREACHABLE is retryable, as the SDK's Retryability says");
        assertEquals(Reason.UNREACHABLE, failure(fake, "ref+fake://db#/user", INSTALL).reason());
        fake.healed("ref+fake://db");
        assertEquals("app", resolve(fake, "ref+fake://db#/user", INSTALL));
        fake.failing("ref+fake://db#/user", Reason.DENIED);
        assertEquals(Reason.DENIED, failure(fake, "ref+fake://db#/user", INSTALL).reason());
        assertEquals("pw-12345678", resolve(fake, "ref+fake://db#/password", INSTALL), "only that fragment fails");
    }

    @Test
    void latencyIsSpentWithinTheTimeLeftAndBeyondItFailsWithTimeout() {
        FakeSecretResolver fake = FakeSecretResolver.of("fake").withValue("ref+fake://pw", "pw-12345678").withLatency(Duration.ofMillis(300));
        long start = System.nanoTime();
        assertEquals("pw-12345678", resolve(fake, "ref+fake://pw", INSTALL));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 300, "took " + tookMs + " ms, latency 300 ms");

        SecretContext late = new SecretContext(Operation.UPGRADE, "web", "apps", () -> Duration.ofMillis(50));
        start = System.nanoTime();
        SecretResolutionException e = failure(fake, "ref+fake://pw", late);
        tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Reason.TIMEOUT, e.reason());
        assertTrue(tookMs >= 50 && tookMs < 280, "waited the 50 ms left, not the 300 ms latency: " + tookMs + " ms");
    }

    @Test
    void everyRequestIsRecordedWithItsOperationReleaseNamespaceAndOutcome() {
        FakeSecretResolver fake = FakeSecretResolver.of("fake").withValue("ref+fake://pw", "pw-12345678");
        resolve(fake, "ref+fake://pw", INSTALL);
        assertThrows(SecretResolutionException.class, () -> resolve(fake, "ref+fake://gone",
                new SecretContext(Operation.UPGRADE, null, null, () -> Duration.ofSeconds(1))));
        assertEquals(List.of(
                new FakeSecretResolver.Request(SecretReference.parse("ref+fake://pw"), Operation.INSTALL, Optional.of("web"), Optional.of("apps"), Optional.empty()),
                new FakeSecretResolver.Request(SecretReference.parse("ref+fake://gone"), Operation.UPGRADE, Optional.empty(), Optional.empty(),
                        Optional.of(Reason.NOT_FOUND))), fake.requests());
        assertEquals(List.of("ref+fake://pw", "ref+fake://gone"), fake.requestedReferences());
        fake.clearRequests();
        assertEquals(List.of(), fake.requests());
    }

    @Test
    void concurrentRequestsAreAllRecorded() throws Exception {
        FakeSecretResolver fake = FakeSecretResolver.of("fake").withSecret("db", Map.of("password", "pw-12345678"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                results.add(pool.submit(() -> resolve(fake, "ref+fake://db#/password", INSTALL)));
            }
            for (Future<Object> f : results) {
                assertEquals("pw-12345678", f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(400, fake.requests().size());
    }

    @Test
    void badConfigurationIsRejectedWhereItIsWritten() {
        IllegalArgumentException noScheme = assertThrows(IllegalArgumentException.class, FakeSecretResolver::of);
        assertTrue(noScheme.getMessage().contains("at least one scheme"), noScheme.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FakeSecretResolver.of("Vault")).getMessage().contains("'Vault'"));
        FakeSecretResolver fake = FakeSecretResolver.of("fake");
        IllegalArgumentException otherScheme = assertThrows(IllegalArgumentException.class, () -> fake.withValue("ref+vault://x", "v"));
        assertTrue(otherScheme.getMessage().contains("ref+vault://x"), otherScheme.getMessage());
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> fake.withSecret("db", Map.of("when", java.time.Instant.EPOCH)));
        assertTrue(badValue.getMessage().contains("secret.when") && badValue.getMessage().contains("java.time.Instant"), badValue.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fake.withLatency(Duration.ofMillis(-1)));
        assertFalse(fake.fragmentSelectsFromWhole(SecretReference.parse("ref+fake://db#/a")), "asks references as written by default");
        assertTrue(fake.selectingFragmentsFromWhole(true).fragmentSelectsFromWhole(SecretReference.parse("ref+fake://db#/a")));
    }
}
