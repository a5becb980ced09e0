package dev.helmsdk.testkit.contract;

import static dev.helmsdk.testkit.contract.ResolverAssertions.assertAllowedTree;
import static dev.helmsdk.testkit.contract.ResolverAssertions.close;
import static dev.helmsdk.testkit.contract.ResolverAssertions.collectStrings;
import static dev.helmsdk.testkit.contract.ResolverAssertions.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SecretResolver} must have, as a JUnit 5 suite to extend in your own
 * tests. Implement the hooks (a resolver over a store the test controls, a reference to a secret in
 * it with the value expected, references to a missing secret and a missing key) and JUnit runs every
 * inherited {@code @Test} against your resolver:
 *
 * <pre>{@code
 * class MyVaultResolverContractTest extends SecretResolverContract {
 *     // the store your resolver reads, filled for each test
 *     final FakeSecretResolver store = FakeSecretResolver.of("myvault").withSecret("secret/shop", Map.of("password", "canary-pw-4f1c9e"));
 *
 *     @Override protected SecretResolver resolver() { return store; }   // your resolver here, over that store
 *     @Override protected String existingReference() { return "ref+myvault://secret/shop#/password"; }
 *     @Override protected Object expectedValue() { return "canary-pw-4f1c9e"; }
 *     @Override protected Optional<String> missingSecretReference() { return Optional.of("ref+myvault://secret/nothing#/password"); }
 *     @Override protected Optional<String> missingKeyReference() { return Optional.of("ref+myvault://secret/shop#/nokey"); }
 * }
 * }</pre>
 *
 * <p>What is checked, each a promise of the SPI a user would notice when broken: lower-case schemes
 * that include the reference's; the expected value, of the types values may hold, never
 * {@code null}; {@code NOT_FOUND} and {@code MISSING_KEY} failures naming the reference; no secret
 * value in any message, cause or {@code toString()}; agreement under concurrent calls; with no
 * time left, an answer within {@link #zeroTimeLeftBound()} that is either the value (a resolver that
 * calls nothing out) or a {@code TIMEOUT} failure, never a hang or another reason; and, when the
 * resolver lets the SDK select fragments itself ({@link SecretResolver#fragmentSelectsFromWhole}),
 * that resolving the whole secret and selecting gives what resolving with the fragment gives.
 *
 * <p>JUnit creates a new instance of the subclass per test (unless the subclass says otherwise), so
 * fields and {@code @BeforeEach} methods of the subclass give every test a fresh store; hooks are
 * called from test methods only. A check that does not apply can be switched off by overriding its
 * method with {@code @Test @Disabled("why")}; a hook returning {@code Optional.empty()} skips the
 * checks that need it.
 */
public abstract class SecretResolverContract {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 25;
    private static final int MIN_CANARY_LENGTH = 8;
    /** A scheme as {@link SecretReference} lower-cases it: Go's url.Parse scheme grammar. */
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9.-]*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** For subclasses. */
    protected SecretResolverContract() {
    }

    // ---------------------------------------------------------------- hooks

    /**
     * A resolver over the store this test controls. May be called more than once per test; every
     * call returns a resolver over the same store. One that is {@link AutoCloseable} is closed by the
     * suite after use.
     *
     * @return a resolver
     */
    protected abstract SecretResolver resolver();

    /**
     * A reference to a secret in the store, e.g. {@code ref+vault://secret/shop#/password}.
     *
     * @return its text
     */
    protected abstract String existingReference();

    /**
     * What {@link #existingReference()} resolves to.
     *
     * @return a String, Number, Boolean, or a tree of Maps and Lists of those
     */
    protected abstract Object expectedValue();

    /**
     * A reference to a secret the store does not have, which must fail with {@code NOT_FOUND}.
     *
     * @return its text, or empty when the resolver has no notion of a missing secret (as envsubst)
     */
    protected abstract Optional<String> missingSecretReference();

    /**
     * A reference to a key (fragment, field, variable) the existing secret does not have, which must
     * fail with {@code MISSING_KEY}.
     *
     * @return its text, or empty when the resolver's references name no keys
     */
    protected abstract Optional<String> missingKeyReference();

    /**
     * A reference with a fragment into an existing secret, for the fragment consistency check.
     *
     * @return by default {@link #existingReference()} when it has a fragment, else empty
     */
    protected Optional<String> fragmentReference() {
        return SecretReference.parse(existingReference()).fragment().isPresent() ? Optional.of(existingReference()) : Optional.empty();
    }

    /**
     * The secret strings in the store, used as canaries: none may appear in a message or
     * {@code toString()}. Each at least 8 characters.
     *
     * @return by default the strings of {@link #expectedValue()} (its leaves) of 8 characters or more
     */
    protected Set<String> secretValues() {
        Set<String> leaves = new LinkedHashSet<>();
        collectStrings(expectedValue(), leaves);
        leaves.removeIf(s -> s.strip().length() < MIN_CANARY_LENGTH);
        return leaves;
    }

    /**
     * The context of the suite's calls, with {@code timeLeft} as its time left. Override to add the
     * connections your resolver takes from the manager (see {@link SecretContext#connection}).
     *
     * @param timeLeft what the context answers for {@link SecretContext#timeLeft()}
     * @return by default an {@link Operation#INSTALL} of release {@code contract} in {@code default}
     */
    protected SecretContext context(Duration timeLeft) {
        return new SecretContext(Operation.INSTALL, "contract", "default", () -> timeLeft);
    }

    /**
     * How long a resolve with no time left may take before the suite calls it a hang.
     *
     * @return by default 2 seconds
     */
    protected Duration zeroTimeLeftBound() {
        return Duration.ofSeconds(2);
    }

    // ---------------------------------------------------------------- checks

    /** Schemes are what the SDK dispatches on: not empty, lower case, the grammar's, stable, and the references' among them. */
    @Test
    public void schemesAreLowerCaseAndServeTheReferences() {
        SecretResolver r = resolver();
        try {
            Set<String> schemes = r.schemes();
            assertNotNull(schemes, "schemes() must not be null");
            assertFalse(schemes.isEmpty(), "schemes() must not be empty: a resolver nobody can dispatch to");
            for (String s : schemes) {
                assertNotNull(s, "schemes() contains null");
                assertTrue(SCHEME.matcher(s).matches(), () -> "scheme '" + s + "' is not lower case or not a scheme (a letter, then letters, digits, '-', '.')");
            }
            assertTrue(schemes.contains(SecretReference.parse(existingReference()).scheme()),
                    () -> "schemes() " + schemes + " does not contain the scheme of " + existingReference());
            assertEquals(schemes, r.schemes(), "schemes() must not change between calls");
        } finally {
            close(r);
        }
    }

    /** The existing reference resolves to the expected value, made only of the types values may hold, the same twice. */
    @Test
    public void existingReferenceResolvesToTheExpectedValue() {
        withResolver(r -> {
            Object value = r.resolve(ref(existingReference()), context(Duration.ofSeconds(30)));
            assertAllowedTree(value, "the value of " + existingReference());
            assertEquals(expectedValue(), value, () -> "the value of " + existingReference());
            assertEquals(value, r.resolve(ref(existingReference()), context(Duration.ofSeconds(30))), "a second resolve of the same reference");
        });
    }

    /** Sanity check of the subclass: the canaries are long enough and really are the store's; else the leak checks prove nothing. */
    @Test
    public void canariesAreTheSecrets() {
        Set<String> canaries = secretValues();
        assertFalse(canaries.isEmpty(), "secretValues() is empty: give the store's secret strings (8 characters or more) as canaries");
        canaries.forEach(c -> assertTrue(c.strip().length() >= MIN_CANARY_LENGTH, () -> "canary shorter than " + MIN_CANARY_LENGTH + " characters"));
        Set<String> leaves = new LinkedHashSet<>();
        collectStrings(expectedValue(), leaves);
        assertTrue(leaves.stream().anyMatch(l -> canaries.stream().anyMatch(l::contains)),
                "none of secretValues() is in expectedValue(): the leak checks need the real secrets as canaries");
    }

    /** A secret the store lacks is {@code NOT_FOUND}, naming the reference and the resolver. */
    @Test
    public void missingSecretIsNotFound() {
        String missing = missingSecretReference().orElseGet(() -> Assumptions.abort("this resolver has no notion of a missing secret"));
        withResolver(r -> assertFailure(r, missing, Reason.NOT_FOUND));
    }

    /** A key the secret lacks is {@code MISSING_KEY}, naming the reference: a missing secret is never deployed as empty. */
    @Test
    public void missingKeyIsMissingKey() {
        String missing = missingKeyReference().orElseGet(() -> Assumptions.abort("this resolver's references name no keys"));
        withResolver(r -> assertFailure(r, missing, Reason.MISSING_KEY));
    }

    /** Nothing the resolver prints holds a secret: its {@code toString()} after resolving, and every failure's message and causes. */
    @Test
    public void noValueInMessagesOrToString() {
        withResolver(r -> {
            r.resolve(ref(existingReference()), context(Duration.ofSeconds(30)));
            assertNoSecret("resolver.toString()", String.valueOf(r));
            for (Optional<String> missing : List.of(missingSecretReference(), missingKeyReference())) {
                missing.ifPresent(m -> {
                    SecretResolutionException e = assertThrows(SecretResolutionException.class,
                            () -> r.resolve(ref(m), context(Duration.ofSeconds(30))), () -> "resolving " + m);
                    assertNoSecretIn(e);
                });
            }
        });
    }

    /**
     * The SPI requires thread-safety: 8 threads resolving 25 times each on one resolver (the missing
     * references interleaved) all get the single-threaded answers.
     */
    @Test
    public void concurrentResolvesAgree() throws Exception {
        withResolver(r -> {
            List<String> refs = new ArrayList<>(List.of(existingReference()));
            missingSecretReference().ifPresent(refs::add);
            missingKeyReference().ifPresent(refs::add);
            Map<String, Object> expected = new LinkedHashMap<>();
            for (String ref : refs) {
                expected.put(ref, outcome(r, ref));
            }
            List<String> wrong = ResolverAssertions.disagreements(refs, expected, ref -> outcome(r, ref), THREADS,
                    CALLS_PER_THREAD);
            assertTrue(wrong.isEmpty(), () -> wrong.size() + " concurrent resolves disagreed with the single-threaded answer, e.g. " + wrong.get(0));
        });
    }

    /**
     * With no time left, a resolver answers quickly ({@link #zeroTimeLeftBound()}): a resolver that
     * calls out must not start a call it has no time for and fails with {@code TIMEOUT} (not
     * {@code UNREACHABLE}: the store is fine, the operation is late); one that only reads memory,
     * the environment or a file may still answer, with the right value.
     */
    @Test
    public void zeroTimeLeftFailsWithTimeoutOrAnswersQuickly() throws Exception {
        withResolver(r -> {
            ExecutorService one = Executors.newSingleThreadExecutor();
            try {
                Future<Object> f = one.submit(() -> ResolverAssertions.outcome(r, existingReference(), context(Duration.ZERO)));
                Object got;
                try {
                    got = f.get(zeroTimeLeftBound().toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    f.cancel(true);
                    throw new AssertionError("with no time left, resolving " + existingReference() + " did not return within "
                            + zeroTimeLeftBound().toMillis() + " ms: a resolver bounds its calls by context.timeLeft()");
                }
                if (got instanceof ResolverAssertions.Failure failure) {
                    assertEquals(Reason.TIMEOUT, failure.reason(), () -> "with no time left, resolving " + existingReference()
                            + " failed, but not with TIMEOUT: " + failure.message());
                } else {
                    assertEquals(expectedValue(), got, "with no time left, the resolver answered, but not the value");
                }
            } finally {
                one.shutdownNow();
            }
        });
    }

    /**
     * When the resolver says its fragment selects from the whole, the SDK resolves the reference
     * without the fragment and selects itself (a text read as YAML): that must give what resolving the
     * reference as written gives, or the same values would deploy differently depending on how many
     * fragments of a secret a chart uses.
     */
    @Test
    public void fragmentSelectsFromWholeIsConsistent() {
        String withFragment = fragmentReference().orElseGet(() -> Assumptions.abort("no reference with a fragment given"));
        withResolver(r -> {
            SecretReference reference = ref(withFragment);
            Assumptions.assumeTrue(r.fragmentSelectsFromWhole(reference),
                    "this resolver asks every reference as written: the SDK does no selection of its own for it");
            SecretContext context = context(Duration.ofSeconds(30));
            Object direct = r.resolve(reference, context);
            Object whole = r.resolve(reference.withoutFragment(), context);
            assertAllowedTree(whole, "the value of " + reference.withoutFragment());
            Object tree = whole;
            if (whole instanceof String text) {
                try {
                    tree = YAML.readValue(text, Object.class);
                } catch (java.io.IOException e) {
                    fail("the whole secret of " + reference.withoutFragment() + " is a text that is not YAML, so the SDK cannot select "
                            + reference.fragment().orElseThrow() + " from it: " + e.getClass().getSimpleName());
                }
            }
            Object selected = reference.select(tree).orElseThrow(() -> new AssertionError("selecting " + reference.fragment().orElseThrow()
                    + " from the whole secret finds nothing, but resolving " + withFragment + " gives a value"));
            assertEquals(direct, selected, () -> "resolving " + withFragment + " differs from resolving " + reference.withoutFragment()
                    + " and selecting the fragment");
        });
    }

    /** {@code null} arguments are rejected at once with a {@link NullPointerException}, not passed on to the store. */
    @Test
    public void nullArgumentsAreRejected() {
        withResolver(r -> {
            assertThrows(NullPointerException.class, () -> r.resolve(null, context(Duration.ofSeconds(30))), "resolve(null, context)");
            assertThrows(NullPointerException.class, () -> r.resolve(ref(existingReference()), null), "resolve(reference, null)");
        });
    }

    private Object outcome(SecretResolver r, String ref) {
        return ResolverAssertions.outcome(r, ref, context(Duration.ofSeconds(30)));
    }

    private void withResolver(ResolverAssertions.ResolverCheck check) {
        ResolverAssertions.withResolver(resolver(), check);
    }

    private void assertFailure(SecretResolver r, String reference, Reason reason) {
        ResolverAssertions.assertFailure(r, reference, reason, context(Duration.ofSeconds(30)), this::secretValues);
    }

    private void assertNoSecretIn(Throwable e) {
        ResolverAssertions.assertNoSecretIn(e, this::secretValues);
    }

    private void assertNoSecret(String where, String text) {
        ResolverAssertions.assertNoSecret(where, text, this::secretValues);
    }
}
