package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link CredentialProviderContract} plus the checks for a provider that reads an external store
 * (files, environment variables, Kubernetes Secrets, a vault): a rotated secret is seen by the next
 * call of the same instance, and a broken store is reported by name without its secrets.
 * Providers over values given in code extend {@link CredentialProviderContract} directly.
 *
 * <pre>{@code
 * class EnvironmentCredentialProviderContractTest extends StoredCredentialProviderContract {
 *     // the store your provider reads (here a map standing in for the environment), changed by rotate()
 *     final Map<String, String> env = new ConcurrentHashMap<>(Map.of(
 *             "HELM_SDK_REPO_CHARTS_CORP_USERNAME", "ci", "HELM_SDK_REPO_CHARTS_CORP_PASSWORD", "canary-pw-4f1c9e"));
 *
 *     @Override protected CredentialProvider provider() { return new EnvironmentCredentialProvider(env); }
 *     @Override protected URI knownRepository() { return URI.create("https://charts.corp/stable"); }
 *     @Override protected URI unknownRepository() { return URI.create("https://elsewhere.example.com"); }
 *     @Override protected Set<String> secretValues() { return Set.of("canary-pw-4f1c9e", "rotated-pw-8d2b7a"); }
 *     @Override protected void rotate() { env.put("HELM_SDK_REPO_CHARTS_CORP_PASSWORD", "rotated-pw-8d2b7a"); }
 *     @Override protected String breakSource() { env.remove("HELM_SDK_REPO_CHARTS_CORP_USERNAME"); return "no USERNAME"; }
 * }
 * }</pre>
 */
public abstract class StoredCredentialProviderContract extends CredentialProviderContract {

    /** For subclasses. */
    protected StoredCredentialProviderContract() {
    }

    /**
     * Changes the secret of {@link #knownRepository()} in the backing store, as an operator rotating
     * it would (rewrite the file, update the Secret); the provider already built must see the new
     * value on its next call.
     */
    protected abstract void rotate();

    /**
     * Makes the store behind {@link #knownRepository()} unreadable or malformed (truncated JSON, half a
     * login, a Secret lacking a key), preferably leaving the secrets in it so that leaks through error
     * messages are caught. Afterwards {@code resolve} may throw, or return empty with a reason.
     *
     * @return a fragment the resulting error message (or miss reason) must contain to name the
     *         problem, such as the file or Secret name; {@code ""} to only require a non-blank message
     */
    protected abstract String breakSource();

    /**
     * The SPI says values are read on every call: after {@link #rotate()} the same provider instance
     * returns the new credentials on its next call (a rotated Secret must be used by the next
     * operation, without a restart).
     */
    @Test
    public void rotatedSecretIsReadByTheNextResolve() {
        CredentialProvider p = provider();
        RepositoryCredentials before = resolveKnown(p);
        rotate();
        RepositoryCredentials after = resolveKnown(p);
        assertNotEquals(before.methods(), after.methods(),
                "after rotate() the provider still returns the old credentials: values must be read on every call, not cached");
        assertEquals(expectedSource(p), after.source(), "source() after rotation");
        assertEquals(after, resolveKnown(p), "the rotated credentials must be stable from one call to the next");
        assertNoSecret("RepositoryCredentials.toString() after rotation", after.toString());
    }

    /**
     * A broken store ({@link #breakSource()}) is reported, not papered over: {@code resolve} either
     * throws with a message naming the problem, or returns empty with such a reason from
     * {@code explainMiss}; neither, nor any cause's message, contains a secret. It must not keep
     * returning the credentials it read before.
     */
    @Test
    public void brokenSourceIsReportedWithoutSecrets() {
        CredentialProvider p = provider();
        resolveKnown(p); // the same instance must notice the breakage: it was working a moment ago
        String fragment = breakSource();
        assertNotNull(fragment, "breakSource() must return a fragment of the expected message, or \"\"");
        URI known = knownRepository();
        Optional<RepositoryCredentials> result;
        try {
            result = p.resolve(known, context());
        } catch (RuntimeException e) {
            String message = e.getMessage();
            assertNotNull(message, () -> "resolve threw " + e.getClass().getName() + " without a message; the chain shows it as the provider's reason");
            assertFalse(message.isBlank(), () -> "resolve threw " + e.getClass().getName() + " with a blank message");
            assertTrue(message.contains(fragment), () -> "the error for the broken store does not name the problem ('" + fragment + "'): " + message);
            // Loggers print the causes too, so none of them may carry a secret either.
            int depth = 0;
            for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
                assertNoSecret("message of " + t.getClass().getName() + " (cause depth " + depth + ")", String.valueOf(t.getMessage()));
                for (Throwable s : t.getSuppressed()) {
                    assertNoSecret("message of suppressed " + s.getClass().getName(), String.valueOf(s.getMessage()));
                }
            }
            return;
        }
        assertNotNull(result, "resolve must return Optional.empty(), never null");
        assertTrue(result.isEmpty(), () -> "after breakSource() the provider still returns credentials: " + result.get());
        String why = p.explainMiss(known);
        assertNotNull(why, "explainMiss must not return null");
        assertTrue(why.contains(fragment), () -> "resolve returned empty for the broken store, but explainMiss does not name the problem ('"
                + fragment + "'): " + why);
        assertNoSecret("explainMiss(knownRepository()) for the broken store", why);
    }
}
