package dev.helmsdk.core.internal.secrets;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.core.internal.Services;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** The manager's {@link SecretResolver}s, one per scheme. */
public final class SecretResolvers {

    /** The artifact whose resolvers serve the schemes the SDK knows of. */
    static final String SECRETS_ARTIFACT = "dev.helmsdk:helm-sdk-secrets";
    /** Schemes the SDK's secrets module serves, for the hint in an unknown-scheme error. */
    static final Set<String> SHIPPED_SCHEMES = Set.of("envsubst", "file", "vault", "openbao", "k8s", "externalsecret", "azurekeyvault",
            "awssecrets", "awsssm");

    private final SortedMap<String, SecretResolver> byScheme;
    /** The discovered resolvers in use: the manager made them, so it closes them; the builder's belong to the caller. */
    private final List<SecretResolver> owned;

    private SecretResolvers(SortedMap<String, SecretResolver> byScheme, List<SecretResolver> owned) {
        this.byScheme = byScheme;
        this.owned = List.copyOf(owned);
    }

    /**
     * The resolvers, by scheme. A resolver given to the builder serves its schemes whatever was
     * discovered (a configured instance, or a test's fake in place of a store); a discovered one serves
     * the schemes no given one claims. Two given ones, or two discovered ones, claiming one scheme are
     * a configuration error naming both classes.
     *
     * @param discovered what {@link #discover} found
     * @param explicit   what the builder was given
     */
    public static SecretResolvers of(List<SecretResolver> discovered, List<SecretResolver> explicit) {
        SortedMap<String, SecretResolver> byScheme = new TreeMap<>();
        claim(byScheme, explicit, Set.of(), "give the builder one resolver per scheme");
        Set<String> given = Set.copyOf(byScheme.keySet());
        claim(byScheme, discovered, given, "keep one on the class path, or give the one to use to the builder (secretResolver)");
        List<SecretResolver> owned = new ArrayList<>(discovered);
        owned.removeIf(d -> !byScheme.containsValue(d));
        return new SecretResolvers(byScheme, owned);
    }

    private static void claim(SortedMap<String, SecretResolver> byScheme, List<SecretResolver> resolvers, Set<String> taken, String fix) {
        for (SecretResolver r : resolvers) {
            Set<String> schemes = r.schemes();
            if (schemes == null || schemes.isEmpty()) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "secret resolver " + r.getClass().getName() + " serves no scheme");
            }
            for (String s : schemes) {
                String scheme = s.toLowerCase(Locale.ROOT);
                if (taken.contains(scheme)) {
                    continue;
                }
                SecretResolver before = byScheme.putIfAbsent(scheme, r);
                if (before != null && before != r) {
                    throw new InvalidRequestException(Operation.CONFIGURE, null, "two secret resolvers claim scheme '" + scheme + "': "
                            + before.getClass().getName() + " and " + r.getClass().getName() + "; " + fix);
                }
            }
        }
    }

    /** Closes the discovered resolvers that hold resources (clients of their own); a failure is logged, never thrown. */
    public void close() {
        for (SecretResolver r : owned) {
            if (r instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(SecretResolvers.class).warn("closing secret resolver {} failed (ignored): {}",
                            r.getClass().getName(), e.getClass().getName());
                }
            }
        }
    }

    /** The resolvers {@link java.util.ServiceLoader} finds through {@code loader}; one that cannot be loaded is skipped with a warning. */
    public static List<SecretResolver> discover(ClassLoader loader) {
        return Services.discover(SecretResolver.class, loader, "a secret resolver");
    }

    /** The resolver of {@code scheme}, or {@code null}. */
    SecretResolver forScheme(String scheme) {
        return byScheme.get(scheme);
    }

    /** What an unknown scheme's error says to do. */
    String unknown(String scheme) {
        String available = byScheme.isEmpty() ? "none (no secret resolver is registered)" : String.join(", ", byScheme.keySet());
        String register = "register a SecretResolver for it (ServiceLoader or HelmSdk.builder().secretResolver(...))";
        String hint = SHIPPED_SCHEMES.contains(scheme) ? "; the resolver for '" + scheme + "' comes with the artifact " + SECRETS_ARTIFACT
                : "; " + register;
        return "no secret resolver serves scheme '" + scheme + "'; schemes available: " + available + hint;
    }

    @Override
    public String toString() {
        return "SecretResolvers" + byScheme.keySet();
    }
}
