package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CredentialProvider} must have, as a JUnit 5 suite to extend in your own
 * tests. Implement the abstract hooks (a provider over a backing store the test controls, a
 * repository it has credentials for, one it has none for, and the secret strings in the store) and
 * JUnit runs every inherited {@code @Test} against your provider:
 *
 * <pre>{@code
 * class StaticCredentialProviderContractTest extends CredentialProviderContract {
 *     @Override protected CredentialProvider provider() {   // your provider here
 *         return StaticCredentialProvider.of(URI.create("https://charts.corp"), new Credentials.BasicAuth("ci", "canary-pw-4f1c9e"));
 *     }
 *     @Override protected URI knownRepository() { return URI.create("https://charts.corp/stable"); }
 *     @Override protected URI unknownRepository() { return URI.create("https://elsewhere.example.com"); }
 *     @Override protected Set<String> secretValues() { return Set.of("canary-pw-4f1c9e", "rotated-pw-8d2b7a"); }
 * }
 * }</pre>
 *
 * <p>What is checked, each a promise of the SPI that a user would notice when broken: a usable
 * {@link CredentialProvider#name() name} and a stable {@link CredentialProvider#priority() priority};
 * credentials for the known repository, none (with a reason) for the unknown one; no secret, plain
 * or Base64, in any {@code toString()}, miss reason or error message; agreement under concurrent
 * calls; {@code null} rejected; and equivalent spellings of a URL (trailing
 * slash, host case) answered alike ({@link #equivalentForms(URI)}).
 *
 * <p>JUnit creates a new instance of the subclass per test (unless the subclass says otherwise),
 * so fields, {@code @TempDir} fields and {@code @BeforeEach} methods of the subclass give every test
 * a fresh store. Hooks are only called from test methods, after the subclass's {@code @BeforeEach}
 * methods have run. A check that does not apply to your provider can be switched off by overriding
 * its method with {@code @Test @Disabled("why")}.
 *
 * <p>A provider that reads an external store (files, environment, Secrets, a vault) extends
 * {@link StoredCredentialProviderContract} instead, which adds rotation and broken-store checks.
 */
public abstract class CredentialProviderContract {

    /** Threads and calls per thread in {@link #concurrentResolvesAgree()}. */
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 50;
    /** Shorter canaries would match unrelated text (and are not realistic secrets). */
    private static final int MIN_CANARY_LENGTH = 8;

    /** For subclasses. */
    protected CredentialProviderContract() {
    }

    // ---------------------------------------------------------------- hooks

    /**
     * A new provider over the backing store this test controls (a map, a temporary file or
     * directory, a Secret in an embedded cluster). May be called more than once per test; every call
     * must return a provider over the same store.
     *
     * @return a fresh provider
     */
    protected abstract CredentialProvider provider();

    /**
     * A repository URL the store has credentials for; at least one of {@link #secretValues()} must
     * be part of those credentials.
     *
     * @return the repository the provider must resolve
     */
    protected abstract URI knownRepository();

    /**
     * A repository URL the provider has no credentials for, and which is not broken either: resolving
     * it must return empty.
     *
     * @return a repository the provider must not resolve
     */
    protected abstract URI unknownRepository();

    /**
     * The secret strings put in the store (passwords, tokens, private keys), used as canaries: none
     * may appear, plain or Base64-encoded, in anything the provider prints. Include the values
     * {@link StoredCredentialProviderContract#rotate()} writes (the set is asked again after rotating). Each must be at least 8
     * characters, so that a match means a leak. User names and host names are not secrets.
     *
     * <p>Base64 of {@code user:secret} (docker's {@code auth}) contains Base64 of the secret only when
     * {@code "user:"} is a multiple of 3 characters long; pick such a user name (e.g. {@code robot})
     * to have those leaks caught too.
     *
     * @return the canaries, not empty
     */
    protected abstract Set<String> secretValues();

    /**
     * The context every {@code resolve} call of the suite passes.
     *
     * @return by default a context for {@link Operation#INSTALL} without services
     */
    protected CredentialContext context() {
        return CredentialContext.of(Operation.INSTALL);
    }

    /**
     * The {@link RepositoryCredentials#source()} expected for credentials from {@code provider}. The
     * SPI uses the provider's name; a provider that delegates (a chain) passes on the name of the
     * provider that answered and overrides this.
     *
     * @param provider the provider under test
     * @return by default {@code provider.name()}
     */
    protected String expectedSource(CredentialProvider provider) {
        return provider.name();
    }

    /**
     * Other spellings of {@code repository} that must resolve to the same credentials. The default
     * gives the URL with its trailing slash added or removed, and with its host upper-cased: hosts
     * are case-insensitive, and {@code helm repo add} users write both {@code /charts} and
     * {@code /charts/}. Override to return fewer if your provider deliberately distinguishes them.
     *
     * @param repository {@link #knownRepository()} or {@link #unknownRepository()}
     * @return equivalent URLs, possibly empty
     */
    protected List<URI> equivalentForms(URI repository) {
        List<URI> forms = new ArrayList<>();
        String scheme = repository.getScheme();
        String authority = repository.getRawAuthority();
        String path = repository.getRawPath();
        if (scheme == null || authority == null || path == null) {
            return forms; // opaque or relative: no generic rewrite is safe
        }
        String tail = (repository.getRawQuery() == null ? "" : "?" + repository.getRawQuery())
                + (repository.getRawFragment() == null ? "" : "#" + repository.getRawFragment());
        String toggled = path.endsWith("/") ? path.replaceAll("/+$", "") : path + "/";
        forms.add(URI.create(scheme + "://" + authority + toggled + tail));
        String host = repository.getHost();
        if (host != null && !host.equals(host.toUpperCase(Locale.ROOT))) {
            String upper = (repository.getRawUserInfo() == null ? "" : repository.getRawUserInfo() + "@")
                    + host.toUpperCase(Locale.ROOT) + (repository.getPort() < 0 ? "" : ":" + repository.getPort());
            forms.add(URI.create(scheme + "://" + upper + path + tail));
        }
        return forms;
    }

    // ---------------------------------------------------------------- checks

    /**
     * {@code name()} is what users see in every "no credentials" listing and as the source of
     * credentials: it must be non-blank, free of whitespace and the same on every call and instance.
     */
    @Test
    public void nameIsNonBlankStableAndWithoutWhitespace() {
        CredentialProvider p = provider();
        String name = p.name();
        assertNotNull(name, "name() must not be null");
        assertFalse(name.isBlank(), "name() must not be blank");
        assertFalse(name.chars().anyMatch(Character::isWhitespace), () -> "name() must not contain whitespace: '" + name + "'");
        p.resolve(knownRepository(), context());
        assertEquals(name, p.name(), "name() must not change between calls (here: after a resolve)");
        assertEquals(name, provider().name(), "name() must be the same for every provider built from the same configuration");
    }

    /** A chain sorts providers by {@code priority()} once; a value that changes would reorder nothing and confuse everyone. */
    @Test
    public void priorityIsStable() {
        CredentialProvider p = provider();
        int priority = p.priority();
        p.resolve(knownRepository(), context());
        assertEquals(priority, p.priority(), "priority() must not change between calls (here: after a resolve)");
        assertEquals(priority, provider().priority(), "priority() must be the same for every provider built from the same configuration");
    }

    /**
     * The known repository resolves to credentials the engine can use: at least one method, each
     * naming itself, for the requested host, with {@link #expectedSource} as their source.
     */
    @Test
    public void knownRepositoryResolvesToUsableCredentials() {
        CredentialProvider p = provider();
        URI known = knownRepository();
        Optional<RepositoryCredentials> result = p.resolve(known, context());
        assertNotNull(result, "resolve must return Optional.empty(), never null");
        assertTrue(result.isPresent(), () -> "no credentials for the known repository " + known + "; explainMiss says: " + p.explainMiss(known));
        RepositoryCredentials rc = result.get();
        assertFalse(rc.methods().isEmpty(), "credentials must have at least one method");
        for (Credentials method : rc.methods()) {
            assertNotNull(method, "a credentials method is null");
            assertNotNull(method.method(), () -> method.getClass().getSimpleName() + ".method() is null");
            assertFalse(method.method().isBlank(), () -> method.getClass().getSimpleName() + ".method() is blank");
        }
        assertNotNull(rc.repository(), "RepositoryCredentials.repository() must not be null");
        // The repository may be the matching prefix rather than the URL asked for, but never another host.
        if (known.getHost() != null) {
            assertNotNull(rc.repository().getHost(), () -> "credentials for " + known + " claim to be for " + rc.repository());
            assertEquals(known.getHost().toLowerCase(Locale.ROOT), rc.repository().getHost().toLowerCase(Locale.ROOT),
                    () -> "credentials for " + known + " claim to be for another host: " + rc.repository());
        }
        assertEquals(expectedSource(p), rc.source(), "RepositoryCredentials.source() must name the provider that produced them");
    }

    /**
     * Sanity check of the subclass: the canaries of {@link #secretValues()} are real (long enough, and
     * part of the resolved credentials). Otherwise the leak checks below would prove nothing.
     */
    @Test
    public void resolvedCredentialsCarryTheCanaries() {
        Set<String> canaries = canaries();
        RepositoryCredentials rc = resolveKnown(provider());
        List<String> secretParts = ProviderAssertions.secretParts(rc);
        assertTrue(secretParts.stream().anyMatch(part -> canaries.stream().anyMatch(part::contains)),
                () -> "none of secretValues() is in the credentials resolved for " + knownRepository() + " (methods: "
                        + rc.methods().stream().map(Credentials::method).toList() + "): the leak checks need the real secrets as canaries");
    }

    /** No credentials for the unknown repository, and a reason for the "no credentials found" listing. */
    @Test
    public void unknownRepositoryIsEmptyWithAReason() {
        CredentialProvider p = provider();
        URI unknown = unknownRepository();
        Optional<RepositoryCredentials> result = p.resolve(unknown, context());
        assertNotNull(result, "resolve must return Optional.empty(), never null");
        assertTrue(result.isEmpty(), () -> "credentials for the unknown repository " + unknown + ": " + result.get());
        String why = p.explainMiss(unknown);
        assertNotNull(why, "explainMiss must not return null");
        assertFalse(why.isBlank(), "explainMiss must say why there are no credentials");
    }

    /**
     * Nothing the provider prints contains a secret, plain or Base64: its own {@code toString()}, the
     * resolved credentials and each method's {@code toString()}, and the miss reasons. These end up in
     * logs and exception messages.
     */
    @Test
    public void noSecretInToStringOrExplanations() {
        CredentialProvider p = provider();
        RepositoryCredentials rc = resolveKnown(p);
        Map<String, String> printed = new LinkedHashMap<>();
        printed.put("provider.toString()", String.valueOf(p));
        printed.put("name()", p.name());
        printed.put("RepositoryCredentials.toString()", rc.toString());
        for (Credentials method : rc.methods()) {
            printed.put(method.getClass().getSimpleName() + ".toString()", method.toString());
            printed.put(method.getClass().getSimpleName() + ".method()", method.method());
        }
        printed.put("explainMiss(unknownRepository())", p.explainMiss(unknownRepository()));
        printed.put("explainMiss(knownRepository())", p.explainMiss(knownRepository()));
        printed.forEach(this::assertNoSecret);
    }

    /**
     * The SPI requires thread-safety: 8 threads calling {@code resolve} 50 times each on one provider (every fifth call for the unknown
     * repository, so hits and misses interleave) all get the single-threaded answer, and nothing throws.
     *
     * @throws InterruptedException when the test thread is interrupted
     */
    @Test
    public void concurrentResolvesAgree() throws InterruptedException {
        CredentialProvider p = provider();
        URI known = knownRepository();
        URI unknown = unknownRepository();
        CredentialContext ctx = context();
        Optional<RepositoryCredentials> expected = Optional.of(resolveKnown(p));
        Queue<String> problems = ProviderAssertions.concurrentProblems(p, known, unknown, ctx, expected, THREADS,
                CALLS_PER_THREAD);
        assertTrue(problems.isEmpty(), () -> problems.size() + " concurrent calls disagreed with the single-threaded answer, e.g.: "
                + problems.stream().limit(3).toList());
    }

    /**
     * {@code resolve(null, ctx)} is a caller's bug and must fail loudly ({@link NullPointerException}
     * or {@link IllegalArgumentException}), not answer as if a repository had been named. All shipped
     * providers throw {@link NullPointerException}.
     */
    @Test
    public void nullRepositoryIsRejected() {
        CredentialProvider p = provider();
        RuntimeException e = assertThrows(RuntimeException.class, () -> p.resolve(null, context()),
                "resolve(null, ctx) must throw, not answer");
        assertTrue(e instanceof NullPointerException || e instanceof IllegalArgumentException,
                () -> "resolve(null, ctx) must throw NullPointerException or IllegalArgumentException, threw " + e);
    }

    /**
     * A {@code null} context may be rejected (NullPointerException or IllegalArgumentException) or
     * ignored, but not given a different answer: lenient, because the SPI does not say, the shipped
     * providers ignore the context and {@code CredentialChain} deliberately treats {@code null} as
     * {@link CredentialContext#empty()}. A provider that needs the context (for a service) should reject it.
     */
    @Test
    public void nullContextIsRejectedOrIgnored() {
        CredentialProvider p = provider();
        RepositoryCredentials expected = resolveKnown(p);
        Optional<RepositoryCredentials> result;
        try {
            result = p.resolve(knownRepository(), null);
        } catch (NullPointerException | IllegalArgumentException rejected) {
            return;
        }
        assertEquals(Optional.of(expected), result, "resolve(repository, null) must either throw or answer as with a context");
    }

    /**
     * {@code explainMiss(null)} may throw NullPointerException or IllegalArgumentException, or return
     * a text without secrets; nothing else. Lenient, because the shipped providers differ: most throw
     * NullPointerException, {@code explicit} and {@code kubernetes-secret} return a reason naming
     * {@code null}.
     */
    @Test
    public void explainMissOfNullIsRejectedOrHarmless() {
        CredentialProvider p = provider();
        String why;
        try {
            why = p.explainMiss(null);
        } catch (NullPointerException | IllegalArgumentException rejected) {
            return;
        }
        assertNotNull(why, "explainMiss(null) must throw or return a text, not null");
        assertNoSecret("explainMiss(null)", why);
    }

    /**
     * The same repository spelled differently ({@link #equivalentForms(URI)}: trailing slash, host
     * case) gets the same answer, since the shipped providers match hosts case-insensitively and
     * ignore trailing slashes. The credentials' {@code repository()} may echo the spelling asked
     * for; methods and source must not differ.
     */
    @Test
    public void equivalentFormsOfARepositoryGiveTheSameAnswer() {
        CredentialProvider p = provider();
        RepositoryCredentials base = resolveKnown(p);
        for (URI form : equivalentForms(knownRepository())) {
            Optional<RepositoryCredentials> result = p.resolve(form, context());
            assertNotNull(result, "resolve must return Optional.empty(), never null");
            assertTrue(result.isPresent(), () -> "no credentials for " + form + ", an equivalent of " + knownRepository()
                    + "; explainMiss says: " + p.explainMiss(form));
            assertEquals(base.methods(), result.get().methods(), () -> form + " must resolve like " + knownRepository());
            assertEquals(base.source(), result.get().source(), () -> form + " must resolve like " + knownRepository());
        }
        for (URI form : equivalentForms(unknownRepository())) {
            Optional<RepositoryCredentials> result = p.resolve(form, context());
            assertTrue(result != null && result.isEmpty(), () -> form + ", an equivalent of the unknown " + unknownRepository()
                    + ", must not resolve; got " + result);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Resolves the known repository, failing with the provider's reason when it has no credentials. */
    RepositoryCredentials resolveKnown(CredentialProvider p) {
        URI known = knownRepository();
        Optional<RepositoryCredentials> result = p.resolve(known, context());
        assertNotNull(result, "resolve must return Optional.empty(), never null");
        return result.orElseThrow(() -> new AssertionError("no credentials for the known repository " + known
                + "; explainMiss says: " + p.explainMiss(known)));
    }

    /** {@link #secretValues()}, validated: canaries that are missing or short make every leak check meaningless. */
    private Set<String> canaries() {
        return ProviderAssertions.validatedCanaries(secretValues(), MIN_CANARY_LENGTH);
    }

    /**
     * Fails when {@code text} contains a canary, as is or Base64-encoded (standard and URL-safe
     * alphabets, without padding so that a padded encoding matches too).
     */
    void assertNoSecret(String where, String text) {
        if (text == null) {
            return;
        }
        ProviderAssertions.assertNoSecret(where, text, canaries());
    }
}
