package dev.helmsdk.core.internal.secrets;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.core.internal.Deadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretResolutionTest {

    /** A fake store: answers by path, counts requests per reference, records the threads that asked. */
    static final class FakeResolver implements SecretResolver {
        final String scheme;
        final Function<SecretReference, Object> answer;
        final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        FakeResolver(String scheme, Function<SecretReference, Object> answer) {
            this.scheme = scheme;
            this.answer = answer;
        }

        @Override
        public Set<String> schemes() {
            return Set.of(scheme);
        }

        @Override
        public Object resolve(SecretReference reference, SecretContext context) {
            requests.computeIfAbsent(reference.text(), k -> new AtomicInteger()).incrementAndGet();
            threads.add(Thread.currentThread().getName());
            return answer.apply(reference);
        }
    }

    static final class OtherFake extends FakeResolverBase {
    }

    static class FakeResolverBase implements SecretResolver {
        @Override
        public Set<String> schemes() {
            return Set.of("fake");
        }

        @Override
        public Object resolve(SecretReference reference, SecretContext context) {
            return "x";
        }
    }

    private static final Map<String, Object> TREE = Map.of("db", Map.of("password", "s3cret", "port", 5432, "tls", true));

    private static FakeResolver tree() {
        return new FakeResolver("fake", r -> r.select(TREE).orElseThrow(() -> new SecretResolutionException(Operation.INSTALL, "web",
                r.text(), "fake", Reason.MISSING_KEY, "no such key", null)));
    }

    private static Map<String, Object> resolve(Map<String, Object> values, SecretResolver... resolvers) {
        return resolve(values, Duration.ofSeconds(10), resolvers);
    }

    private static Map<String, Object> resolve(Map<String, Object> values, Duration limit, SecretResolver... resolvers) {
        return new SecretResolution(SecretResolvers.of(List.of(), List.of(resolvers)))
                .resolve(values, Operation.INSTALL, "web", "apps", Deadline.after(limit));
    }

    @Test
    void aWholeStringReferenceKeepsTheResolvedType() {
        Map<String, Object> out = resolve(Map.of(
                "port", "ref+fake://db#/db/port",
                "tls", "ref+fake://db#/db/tls+",
                "db", "secretref+fake://db#/db"), tree());
        assertEquals(5432, out.get("port"));
        assertEquals(true, out.get("tls"));
        assertEquals(TREE.get("db"), out.get("db"));
    }

    @Test
    void aTreeUsedTwiceIsTwoCopies() {
        Map<String, Object> out = resolve(Map.of("a", "ref+fake://db#/db", "b", "ref+fake://db#/db"), tree());
        assertEquals(out.get("a"), out.get("b"));
        assertFalse(out.get("a") == out.get("b"), "no shared subtree (a YAML writer would alias it)");
    }

    @Test
    void aReferenceInsideALongerStringEndsAtThePlusAndIsFormattedAsText() {
        Map<String, Object> out = resolve(Map.of("url", "postgres://app:ref+fake://db#/db/password+@db:ref+fake://db#/db/port+/app"), tree());
        assertEquals("postgres://app:s3cret@db:5432/app", out.get("url"));
    }

    @Test
    void referencesAnywhereInTheTreeAreReplacedAndOtherValuesKept() {
        Map<String, Object> values = Map.of("a", List.of(Map.of("b", "ref+fake://db#/db/password")), "n", 3, "s", "plain");
        Map<String, Object> out = resolve(values, tree());
        assertEquals(Map.of("a", List.of(Map.of("b", "s3cret")), "n", 3, "s", "plain"), out);
    }

    @Test
    void eachDistinctReferenceIsRequestedOnce() {
        FakeResolver fake = tree();
        resolve(Map.of("a", "ref+fake://db#/db/password", "b", List.of("ref+fake://db#/db/password+", "x-ref+fake://db#/db/password+-y"),
                "c", "ref+fake://db#/db/port"), fake);
        assertEquals(2, fake.requests.size());
        assertEquals(1, fake.requests.get("ref+fake://db#/db/password").get());
        assertEquals(1, fake.requests.get("ref+fake://db#/db/port").get());
    }

    @Test
    void distinctReferencesAreResolvedInParallel() {
        int n = 4;
        CountDownLatch all = new CountDownLatch(n);
        FakeResolver slow = new FakeResolver("slow", r -> {
            all.countDown();
            try {
                // Each request waits for all the others: sequential resolution would time out here.
                return all.await(5, TimeUnit.SECONDS) ? r.path() : "sequential";
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Object> out = resolve(Map.of("a", "ref+slow://1", "b", "ref+slow://2", "c", "ref+slow://3", "d", "ref+slow://4"), slow);
        assertEquals(Map.of("a", "1", "b", "2", "c", "3", "d", "4"), out);
        assertEquals(n, slow.threads.size());
    }

    @Test
    void valuesWithoutReferencesComeBackAsTheyAreWithoutAThread() {
        FakeResolver fake = tree();
        Map<String, Object> values = Map.of("a", "reference+text", "b", List.of(1, "x"));
        assertSame(values, resolve(values, fake));
        assertTrue(fake.threads.isEmpty());
    }

    @Test
    void aSlowStoreTimesOutNamingTheReferenceAndResolver() {
        FakeResolver hang = new FakeResolver("hang", r -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "late";
        });
        long start = System.nanoTime();
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("a", "ref+hang://vault/db"), Duration.ofMillis(400), hang));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals(Reason.TIMEOUT, e.reason());
        assertEquals("ref+hang://vault/db", e.reference());
        assertEquals(FakeResolver.class.getName(), e.resolver());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("ref+hang://vault/db"), e.getMessage());
    }

    @Test
    void aMissingKeyFailsTheResolutionAndIsNeverAnEmptyString() {
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("a", "ref+fake://db#/db/user"), tree()));
        assertEquals(Reason.MISSING_KEY, e.reason());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void anUnknownSchemeNamesTheSchemesAvailableAndTheArtifactForKnownOnes() {
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("a", "ref+envsubst://$PW"), tree()));
        assertEquals(Reason.UNKNOWN_SCHEME, e.reason());
        assertTrue(e.getMessage().contains("schemes available: fake"), e.getMessage());
        assertTrue(e.getMessage().contains("comes with the artifact dev.helmsdk:helm-sdk-secrets"), e.getMessage());
        SecretResolutionException shipped = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("a", "ref+vault://secret/db#/password"), tree()));
        assertTrue(shipped.getMessage().contains("comes with the artifact dev.helmsdk:helm-sdk-secrets"), shipped.getMessage());
        for (String scheme : List.of("awssecrets", "awsssm", "azurekeyvault", "k8s", "externalsecret", "openbao")) {
            SecretResolutionException known = assertThrows(SecretResolutionException.class,
                    () -> resolve(Map.of("a", "ref+" + scheme + "://x/y"), tree()));
            assertTrue(known.getMessage().contains("comes with the artifact dev.helmsdk:helm-sdk-secrets"), known.getMessage());
        }
        SecretResolutionException other = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("a", "ref+mystore://x"), tree()));
        assertFalse(other.getMessage().contains("helm-sdk-secrets"), other.getMessage());
        assertTrue(other.getMessage().contains("secretResolver"), other.getMessage());
    }

    @Test
    void aMalformedReferenceIsInvalidBeforeAnyResolverIsAsked() {
        FakeResolver fake = tree();
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("a", "ref+fake://db#/db/password", "b", "ref+1bad://x"), fake));
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
        assertEquals("ref+1bad://x", e.reference());
        assertTrue(fake.requests.isEmpty());
    }

    @Test
    void aTreeCannotBePartOfALongerString() {
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("a", "x=ref+fake://db#/db+"), tree()));
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
    }

    @Test
    void aResolverCrashIsTypedAndItsMessageKeptOut() {
        FakeResolver crash = new FakeResolver("crash", r -> {
            throw new IllegalStateException("leaky s3cret");
        });
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("a", "ref+crash://x"), crash));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains(IllegalStateException.class.getName()));
    }

    @Test
    void twoDiscoveredResolversClaimingOneSchemeFailNamingBoth() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> SecretResolvers.of(List.of(new FakeResolverBase(), new OtherFake()), List.of()));
        assertTrue(e.getMessage().contains(FakeResolverBase.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(OtherFake.class.getName()), e.getMessage());
    }

    @Test
    void theManagersBuildFailsOnTwoResolversForOneSchemeBeforeConnecting() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> dev.helmsdk.core.HelmSdk.builder()
                .kubeConfig(java.nio.file.Path.of("/nonexistent/kubeconfig"))
                .secretResolver(new FakeResolverBase()).secretResolver(new OtherFake()).build());
        assertTrue(e.getMessage().contains(OtherFake.class.getName()), e.getMessage());
        assertEquals(Operation.CONFIGURE, e.operation());
    }

    @Test
    void aResolverGivenToTheBuilderServesItsSchemeInPlaceOfADiscoveredOne() {
        OtherFake given = new OtherFake();   // e.g. a test's fake store in place of the real resolver on the class path
        Closing discovered = new Closing("fake");
        SecretResolvers resolvers = SecretResolvers.of(List.of(discovered, new Closing("other")), List.of(given));
        assertSame(given, resolvers.forScheme("fake"));
        assertTrue(resolvers.forScheme("other") instanceof Closing, "a discovered one keeps the schemes nobody gave");
        resolvers.close();
        assertEquals(0, discovered.closed.get(), "one that serves nothing is not the manager's to close");
    }

    @Test
    void anExplicitResolverReplacesADiscoveredOneOfTheSameClass() {
        FakeResolverBase explicit = new FakeResolverBase();
        assertSame(explicit, SecretResolvers.of(List.of(new FakeResolverBase()), List.of(explicit)).forScheme("fake"));
    }

    @Test
    void everyAccessIsReportedWithItsOutcomeAndNeverItsValue() {
        FakeResolver fake = tree();
        List<dev.helmsdk.api.secrets.SecretAccess> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        SecretResolution resolution = new SecretResolution(SecretResolvers.of(List.of(), List.of(fake)), d -> List.of(), Map.of());
        resolution.resolved(Map.of("a", "ref+fake://db#/db/password", "b", "ref+fake://db#/db/port"), Operation.INSTALL, "web", "apps",
                Deadline.after(Duration.ofSeconds(10)), seen::add);
        assertEquals(Set.of("ref+fake://db#/db/password", "ref+fake://db#/db/port"),
                Set.copyOf(seen.stream().map(dev.helmsdk.api.secrets.SecretAccess::reference).toList()));
        assertTrue(seen.stream().allMatch(a -> a.outcome() == dev.helmsdk.api.secrets.SecretAccess.Outcome.RESOLVED
                && a.scheme().equals("fake") && a.resolver().equals(FakeResolver.class.getName())), seen.toString());
        assertFalse(seen.toString().contains("s3cret"), seen.toString());
        seen.clear();
        assertThrows(SecretResolutionException.class, () -> resolution.resolved(Map.of("a", "ref+fake://db#/db/user"), Operation.INSTALL,
                "web", "apps", Deadline.after(Duration.ofSeconds(10)), seen::add));
        assertEquals(List.of(Reason.MISSING_KEY), seen.stream().map(a -> a.failure().orElseThrow()).toList());
    }

    @Test
    void aSchemesCacheTtlKeepsValuesAcrossOperationsAndOthersAreAskedEachTime() {
        FakeResolver cached = tree();
        FakeResolver other = new FakeResolver("other", r -> "fresh");
        SecretResolution resolution = new SecretResolution(SecretResolvers.of(List.of(), List.of(cached, other)), d -> List.of(),
                Map.of("fake", Duration.ofMinutes(5)));
        List<dev.helmsdk.api.secrets.SecretAccess> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, Object> values = Map.of("a", "ref+fake://db#/db/password", "b", "ref+other://x");
        for (int i = 0; i < 3; i++) {
            assertEquals(Map.of("a", "s3cret", "b", "fresh"), resolution.resolved(values, Operation.UPGRADE, "web", "apps",
                    Deadline.after(Duration.ofSeconds(10)), seen::add).values());
        }
        assertEquals(1, cached.requests.get("ref+fake://db#/db/password").get(), "asked once, then kept");
        assertEquals(3, other.requests.get("ref+other://x").get(), "a scheme without a TTL is asked every time");
        assertEquals(2, seen.stream().filter(a -> a.outcome() == dev.helmsdk.api.secrets.SecretAccess.Outcome.CACHED).count());
    }

    @Test
    void aKeptValueExpiresAfterItsTtl() {
        long[] now = {0};
        SecretCache cache = new SecretCache(Map.of("fake", Duration.ofSeconds(30)), () -> now[0]);
        SecretReference ref = SecretReference.parse("ref+fake://db");
        cache.put(ref, "v1");
        now[0] = Duration.ofSeconds(29).toNanos();
        assertEquals(java.util.Optional.of("v1"), cache.get(ref));
        now[0] = Duration.ofSeconds(30).toNanos();
        assertTrue(cache.get(ref).isEmpty(), "expired at its TTL");
        cache.put(SecretReference.parse("ref+uncached://x"), "v");
        assertTrue(cache.get(SecretReference.parse("ref+uncached://x")).isEmpty(), "a scheme without a TTL keeps nothing");
    }

    /** A store whose secrets are JSON texts, letting the SDK select fragments. */
    static final class WholeSecrets extends FakeResolverBase {
        static final String TEXT = "{\"username\": \"app\", \"password\": \"pw-from-json\", \"port\": 5432}";
        final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

        @Override
        public boolean fragmentSelectsFromWhole(SecretReference reference) {
            return true;
        }

        @Override
        public Object resolve(SecretReference reference, SecretContext context) {
            requests.computeIfAbsent(reference.text(), k -> new AtomicInteger()).incrementAndGet();
            assertTrue(reference.fragment().isEmpty(), "asked without its fragment");
            return TEXT;
        }
    }

    @Test
    void fragmentsOfOneSecretShareOneRequestWhenTheResolverLetsTheSdkSelect() {
        WholeSecrets store = new WholeSecrets();
        Map<String, Object> out = resolve(Map.of("whole", "ref+fake://db", "user", "ref+fake://db#/username", "pw", "ref+fake://db#/password",
                "port", "ref+fake://db#/port", "url", "postgres://ref+fake://db#/username+@host"), store);
        assertEquals(Map.of("whole", WholeSecrets.TEXT, "user", "app", "pw", "pw-from-json", "port", 5432, "url", "postgres://app@host"), out);
        assertEquals(Map.of("ref+fake://db", 1), Map.of("ref+fake://db", store.requests.get("ref+fake://db").get()),
                "one request for the secret, however many of its keys are used");
        SecretResolutionException missing = assertThrows(SecretResolutionException.class,
                () -> resolve(Map.of("x", "ref+fake://db#/nope"), store));
        assertEquals(Reason.MISSING_KEY, missing.reason());
        assertTrue(missing.getMessage().contains("ref+fake://db#/nope"), missing.getMessage());
        assertFalse(missing.getMessage().contains("pw-from-json"), missing.getMessage());
    }

    /** A resolver holding a client of its own. */
    static class Closing extends FakeResolverBase implements AutoCloseable {
        final AtomicInteger closed = new AtomicInteger();
        final String scheme;

        Closing(String scheme) {
            this.scheme = scheme;
        }

        @Override
        public Set<String> schemes() {
            return Set.of(scheme);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void closingClosesTheDiscoveredResolversAndLeavesTheCallersOwn() {
        Closing discovered = new Closing("found");
        Closing given = new Closing("given") {
            // another class: a given resolver replaces a discovered one of its own class
        };
        new SecretResolution(SecretResolvers.of(List.of(discovered), List.of(given))).close();
        assertEquals(1, discovered.closed.get());
        assertEquals(0, given.closed.get(), "a resolver given to the builder belongs to the caller");
    }
}
