package dev.helmsdk.api.secrets;

import java.util.Set;

/**
 * Resolves the secret references of one or more schemes ({@code ref+vault://...} is scheme
 * {@code vault}) to the values they name, at deploy time. Found by {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.helmsdk.api.secrets.SecretResolver} entry, public no-argument
 * constructor) or given to the manager's builder. One scheme has one resolver: one given to the
 * builder serves its schemes in place of a found one, and two found (or two given) claiming the
 * same scheme fail the manager's build.
 *
 * <p>Called concurrently, from several threads and operations: implementations are thread-safe.
 * The SDK asks once per distinct reference per operation.
 */
public interface SecretResolver {

    /** The schemes this resolver serves (lower case, as written after {@code ref+}). */
    Set<String> schemes();

    /**
     * Whether {@code reference}'s fragment selects from what the reference without it resolves to
     * (a tree, or a YAML or JSON text), as in vals: then the SDK asks this resolver once per secret,
     * with the fragment removed, however many fragments of it the values use ({@code #/username},
     * {@code #/password}), and selects each fragment itself: a text is read as YAML (JSON included),
     * and a missing key is {@code MISSING_KEY}. Default {@code false}: every reference is asked for as
     * written.
     *
     * @param reference a reference with a fragment
     * @return whether the SDK may share one request among that secret's fragments
     */
    default boolean fragmentSelectsFromWhole(SecretReference reference) {
        java.util.Objects.requireNonNull(reference, "reference");
        return false;
    }

    /**
     * The value {@code reference} names, its fragment applied ({@link SecretReference#select}
     * helps): a {@code String}, a {@code Number}, a {@code Boolean}, or a tree of
     * {@code Map<String, Object>} and {@code List<Object>} of those. Never {@code null}: a missing
     * secret or key is a {@link SecretResolutionException} ({@code NOT_FOUND}, {@code MISSING_KEY}).
     *
     * @param reference the parsed reference
     * @param context   the operation asking, and its time left
     * @return the value
     * @throws SecretResolutionException when it cannot be resolved; its message never holds a value
     */
    Object resolve(SecretReference reference, SecretContext context);
}
