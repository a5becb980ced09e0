package dev.helmsdk.testkit.spi;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link CredentialProvider} over credentials held in memory, for unit tests: it answers the
 * credentials you give it per repository URL or per host, fails the repositories you tell it to, and
 * records every lookup with its {@link CredentialContext}.
 *
 * <pre>{@code
 * FakeCredentialProvider creds = FakeCredentialProvider.create()
 *         .withCredentials("oci://registry.example.com/charts", new Credentials.BasicAuth("robot", "s3cret-pw"))
 *         .withCredentials("charts.example.com", new Credentials.BearerToken("t0ken-abc"));   // any URL on that host
 * try (HelmManager helm = HelmSdk.builder().kubeConfig(Path.of("kubeconfig"))
 *         .chartSources(ChartSources.builder().credentials(creds).build()).build()) {
 *     helm.install("shop").chart(ChartRef.oci("oci://registry.example.com/charts/shop", "1.0.0")).run();
 * }
 * assertEquals(URI.create("oci://registry.example.com/charts/shop"), creds.lookups().get(0).repository());
 * }</pre>
 *
 * <p>A key with {@code ://} matches that URL and everything below it on path-segment boundaries
 * (host case and a trailing slash do not matter); a key without is a host, optionally with a port,
 * and matches every URL on it. The longest matching key wins. Named {@code fake} with priority
 * {@link #PRIORITY_EXPLICIT} unless {@link #named} says otherwise. Thread-safe; its configuration may
 * change while in use (rotation). Its {@link #toString()} and errors never show a secret.
 */
public final class FakeCredentialProvider implements CredentialProvider {

    /**
     * One lookup the fake got.
     *
     * @param repository the repository asked for
     * @param context    the context it came with ({@link CredentialContext#empty()} for {@code null})
     * @param answered   whether the fake returned credentials
     */
    public record Lookup(URI repository, CredentialContext context, boolean answered) {
        /** Requires every field. */
        public Lookup {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(context, "context");
        }
    }

    /** A configured key, parsed once. */
    private record Key(String text, String scheme, String host, int port, String path) {
        static Key parse(String text) {
            Objects.requireNonNull(text, "repositoryOrHost");
            if (text.isBlank()) {
                throw new IllegalArgumentException("repositoryOrHost must not be blank: give a URL (oci://registry.example.com/charts) or a host");
            }
            URI uri = URI.create(text.contains("://") ? text : "any://" + text);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("'" + text + "' names no host: give a URL (oci://registry.example.com/charts) or a host");
            }
            String scheme = text.contains("://") ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
            return new Key(text, scheme, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(), trim(scheme == null ? "" : uri.getPath()));
        }

        boolean matches(URI repository) {
            if (repository.getHost() == null || !host.equals(repository.getHost().toLowerCase(Locale.ROOT))) {
                return false;
            }
            if (port >= 0 && port != repository.getPort() || scheme != null && port < 0 && repository.getPort() >= 0) {
                return false;
            }
            if (scheme == null) {
                return true;
            }
            String p = trim(repository.getPath());
            return scheme.equalsIgnoreCase(repository.getScheme()) && (p.equals(path) || p.startsWith(path + "/"));
        }

        private static String trim(String path) {
            return path == null ? "" : path.replaceAll("/+$", "");
        }
    }

    private final String name;
    private final int priority;
    private final Map<Key, List<Credentials>> credentials = new ConcurrentHashMap<>();
    private final Map<Key, String> failures = new ConcurrentHashMap<>();
    private final List<Lookup> lookups = new CopyOnWriteArrayList<>();

    private FakeCredentialProvider(String name, int priority) {
        this.name = name;
        this.priority = priority;
    }

    /**
     * A fake named {@code fake}, at {@link #PRIORITY_EXPLICIT}, with no credentials yet.
     *
     * @return the fake
     */
    public static FakeCredentialProvider create() {
        return new FakeCredentialProvider("fake", PRIORITY_EXPLICIT);
    }

    /**
     * A fake with its own name and place in the chain, e.g. to stand in for one provider of several.
     *
     * @param name     its {@link #name()}: non-blank, no whitespace
     * @param priority its {@link #priority()}
     * @return the fake
     */
    public static FakeCredentialProvider named(String name, int priority) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("name must be non-blank and without whitespace: '" + name + "'");
        }
        return new FakeCredentialProvider(name, priority);
    }

    /**
     * Answers {@code methods} for {@code repositoryOrHost} (replacing what it had for that key).
     *
     * @param repositoryOrHost a URL ({@code oci://registry.example.com/charts}) or a host ({@code registry.example.com:5000})
     * @param methods          at least one method, in the order the engine should try them
     * @return this fake
     */
    public FakeCredentialProvider withCredentials(String repositoryOrHost, Credentials... methods) {
        Objects.requireNonNull(repositoryOrHost, "repositoryOrHost");
        Objects.requireNonNull(methods, "methods");
        Key key = Key.parse(repositoryOrHost);
        if (methods.length == 0) {
            throw new IllegalArgumentException("give at least one credentials method for " + repositoryOrHost);
        }
        credentials.put(key, List.of(methods));
        failures.remove(key);
        return this;
    }

    /**
     * Makes lookups for {@code repositoryOrHost} throw an {@link IllegalStateException} with
     * {@code message}, as a provider whose store is broken does (the chain records it and asks the next).
     *
     * @param repositoryOrHost a URL or a host, as for {@link #withCredentials}
     * @param message          the error's message (no secret in it)
     * @return this fake
     */
    public FakeCredentialProvider failing(String repositoryOrHost, String message) {
        failures.put(Key.parse(repositoryOrHost), Objects.requireNonNull(message, "message"));
        return this;
    }

    /**
     * Forgets credentials and failures given for {@code repositoryOrHost}.
     *
     * @param repositoryOrHost a key given before
     * @return this fake
     */
    public FakeCredentialProvider without(String repositoryOrHost) {
        Key key = Key.parse(repositoryOrHost);
        credentials.remove(key);
        failures.remove(key);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        Objects.requireNonNull(repository, "repository");
        CredentialContext context = ctx == null ? CredentialContext.empty() : ctx;
        Optional<Key> failing = best(failures, repository);
        Optional<Key> answering = best(credentials, repository);
        if (failing.isPresent() && (answering.isEmpty() || failing.get().path().length() >= answering.get().path().length())) {
            lookups.add(new Lookup(repository, context, false));
            throw new IllegalStateException(failures.get(failing.get()));
        }
        Optional<RepositoryCredentials> result = answering.map(k -> new RepositoryCredentials(repository, credentials.get(k), name));
        lookups.add(new Lookup(repository, context, result.isPresent()));
        return result;
    }

    private static Optional<Key> best(Map<Key, ?> keys, URI repository) {
        return keys.keySet().stream().filter(k -> k.matches(repository))
                .max(Comparator.comparingInt((Key k) -> k.scheme() == null ? -1 : k.path().length()));
    }

    @Override
    public String explainMiss(URI repository) {
        Objects.requireNonNull(repository, "repository");
        return "FakeCredentialProvider '" + name + "' has no credentials for " + repository + " (it has them for "
                + credentials.keySet().stream().map(Key::text).sorted().toList() + ")";
    }

    /**
     * Every lookup so far, in order.
     *
     * @return a copy
     */
    public List<Lookup> lookups() {
        return List.copyOf(lookups);
    }

    /** Forgets the lookups so far. */
    public void clearLookups() {
        lookups.clear();
    }

    /** Name, priority and keys only: never a secret. */
    @Override
    public String toString() {
        return "FakeCredentialProvider[name=" + name + ", priority=" + priority + ", repositories="
                + credentials.keySet().stream().map(Key::text).sorted().toList() + "]";
    }
}
