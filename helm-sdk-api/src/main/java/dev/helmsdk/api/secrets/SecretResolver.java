package dev.helmsdk.api.secrets;

import java.util.Set;

/**
 * Resolves the secret references of one or more schemes ({@code ref+vault://...} is scheme
 * {@code vault}) to the values they name, at deploy time. Found by {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.helmsdk.api.secrets.SecretResolver} entry, public no-argument
 * constructor) or given to the manager's builder. One scheme has one resolver: two claiming the
 * same scheme fail the manager's build.
 *
 * <p>Called concurrently, from several threads and operations: implementations are thread-safe.
 * The SDK asks once per distinct reference per operation.
 */
public interface SecretResolver {

    /** The schemes this resolver serves (lower case, as written after {@code ref+}). */
    Set<String> schemes();

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
