package dev.helmsdk.auth;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.CredentialResolutionException;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks credential providers in order and returns the first credentials that apply to a repository.
 *
 * <p><b>Providers.</b> Those registered in {@code META-INF/services/dev.helmsdk.api.auth.CredentialProvider}
 * (unless {@link Builder#discover(boolean) discover(false)}) plus those {@link Builder#add added}
 * in code. A discovered class that is also added in code is replaced by the added instance
 * (so {@code add(new DockerConfigCredentialProvider(path))} overrides the default file); a class
 * registered twice on the class path is used once, with a warning naming it. Several instances
 * added in code are all kept. A provider class that cannot be loaded or instantiated
 * ({@link ServiceConfigurationError}) is logged as a warning with the error, skipped, listed in
 * {@link #problems()} and in the message of a later {@link CredentialResolutionException}.
 *
 * <p><b>Order.</b> Descending {@link CredentialProvider#priority()}; with the shipped providers:
 * {@code explicit} (400) &gt; {@code kubernetes-secret} (300) &gt; {@code env} (200) &gt;
 * {@code helm-registry-config} (110) &gt; {@code docker-config} (100) &gt; {@code mounted-files} (50).
 * Equal priorities are ordered by class name, then name, and logged as a warning naming both.
 *
 * <p><b>Resolution.</b> For each call the providers are asked in order; the first non-empty
 * result wins. A provider that throws does not stop the others: its exception message becomes its
 * reason. When none applies, {@link CredentialResolutionException} lists every provider and its
 * reason (never a secret).
 *
 * <p><b>Rotation and caching.</b> By default ({@link Builder#cacheTtl(Duration) cacheTtl} zero)
 * nothing is remembered: each call reads current values, so a rotated Secret or file is used by the
 * next operation. With a positive TTL, successful results are kept per repository URL for that
 * long (misses and failures are never cached); {@link #invalidate()} empties the cache.
 *
 * <p><b>Time.</b> Within an operation ({@link CredentialContext#timeLeft()}), a provider is not
 * asked once the operation's time has run out; providers bound their own calls by it.
 *
 * <p><b>As a provider.</b> A chain is itself a {@link CredentialProvider} (name {@code chain}), so it
 * can be handed to anything that takes one, such as {@code ChartSources.builder().credentials(chain)}:
 * {@link #resolve(URI, CredentialContext)} returns empty when no provider applies and
 * {@link #explainMiss(URI)} lists every provider's reason from that miss (without asking them again).
 * {@link #require} throws instead.
 */
public final class CredentialChain implements CredentialProvider {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialChain.class);

    private final List<CredentialProvider> providers;
    private final List<String> problems;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<URI, Cached> cache = new ConcurrentHashMap<>();
    /** Why the last resolution for a repository found nothing, for {@link #explainMiss}; bounded by {@link #MAX_MISSES}. */
    private final Map<URI, String> misses = new ConcurrentHashMap<>();
    private static final int MAX_MISSES = 256;

    private record Cached(RepositoryCredentials credentials, Instant expires) {
    }

    private CredentialChain(List<CredentialProvider> providers, List<String> problems, Duration cacheTtl, Clock clock) {
        this.providers = List.copyOf(providers);
        this.problems = List.copyOf(problems);
        this.cacheTtl = cacheTtl;
        this.clock = clock;
    }

    /** A builder; discovery by ServiceLoader is on by default, caching off. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CredentialChain}. */
    public static final class Builder {
        private final List<CredentialProvider> added = new ArrayList<>();
        private boolean discover = true;
        private ClassLoader classLoader;
        private Duration cacheTtl = Duration.ZERO;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Whether to load providers with {@link ServiceLoader} (default {@code true}). */
        public Builder discover(boolean discover) {
            this.discover = discover;
            return this;
        }

        /** The class loader for discovery (default: the thread context class loader, else this class's). */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /** Adds a provider constructed in code. */
        public Builder add(CredentialProvider provider) {
            added.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** How long successful results are reused per repository; zero (default) disables caching. */
        public Builder cacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("cache TTL must not be negative, was " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** The clock for the cache (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Loads, de-duplicates and sorts the providers. */
        public CredentialChain build() {
            List<String> problems = new ArrayList<>();
            List<CredentialProvider> unique = new ArrayList<>(added);
            if (discover) {
                Set<Class<?>> fromCode = new HashSet<>();
                added.forEach(p -> fromCode.add(p.getClass()));
                Set<Class<?>> discovered = new HashSet<>();
                for (CredentialProvider p : load(problems)) {
                    // Providers added in code are often configured instances of a discoverable class
                    // (new DockerConfigCredentialProvider(path)): the added one replaces the discovered one.
                    if (fromCode.contains(p.getClass())) {
                        LOG.debug("credential provider {} was added in code; the discovered instance is not used", p.getClass().getName());
                        continue;
                    }
                    // The same class registered twice on the class path (e.g. two copies of a jar) is used once.
                    if (!discovered.add(p.getClass())) {
                        LOG.warn("credential provider {} ({}) is registered more than once on the class path; using it once",
                                p.getClass().getName(), safeName(p));
                        continue;
                    }
                    unique.add(p);
                }
            }
            unique.sort(Comparator.comparingInt(CredentialChain::safePriority).reversed()
                    .thenComparing(p -> p.getClass().getName())
                    .thenComparing(CredentialChain::safeName));
            for (int i = 1; i < unique.size(); i++) {
                CredentialProvider a = unique.get(i - 1);
                CredentialProvider b = unique.get(i);
                if (safePriority(a) == safePriority(b)) {
                    LOG.warn("credential providers {} ({}) and {} ({}) have the same priority {}; asking them in class-name order",
                            safeName(a), a.getClass().getName(), safeName(b), b.getClass().getName(), safePriority(a));
                }
            }
            return new CredentialChain(unique, problems, cacheTtl, clock);
        }

        private List<CredentialProvider> load(List<String> problems) {
            ClassLoader cl = classLoader != null ? classLoader
                    : Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                    : CredentialChain.class.getClassLoader();
            List<CredentialProvider> found = new ArrayList<>();
            Iterator<CredentialProvider> it = ServiceLoader.load(CredentialProvider.class, cl).iterator();
            int errors = 0;
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    found.add(it.next());
                } catch (ServiceConfigurationError e) {
                    String problem = describe(e);
                    problems.add(problem);
                    LOG.warn("skipping credential provider: {}", problem);
                    if (++errors > 100) {
                        break; // a loader that keeps failing on the same entry
                    }
                }
            }
            return found;
        }
    }

    private static String describe(ServiceConfigurationError e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        Set<Throwable> seen = new HashSet<>();
        while (c != null && seen.add(c)) {
            sb.append("; caused by ").append(c.getClass().getName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage());
            }
            c = c.getCause();
        }
        return sb.toString();
    }

    private static int safePriority(CredentialProvider p) {
        try {
            return p.priority();
        } catch (RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }

    private static String safeName(CredentialProvider p) {
        try {
            String n = p.name();
            return n == null || n.isBlank() ? p.getClass().getName() : n;
        } catch (RuntimeException e) {
            return p.getClass().getName();
        }
    }

    /** The providers in the order they are asked. */
    public List<CredentialProvider> providers() {
        return providers;
    }

    /** Provider classes that could not be loaded, with the reason; empty when all loaded. */
    public List<String> problems() {
        return problems;
    }

    /** The cache TTL (zero: no caching). */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** Forgets all cached results. */
    public void invalidate() {
        cache.clear();
    }

    /** The credentials for {@code repository}, or empty when no provider has any. */
    @Override
    public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
        try {
            return Optional.of(require(repository, ctx));
        } catch (CredentialResolutionException e) {
            return Optional.empty();
        }
    }

    /** {@code chain}. */
    @Override
    public String name() {
        return "chain";
    }

    /** The highest of its providers' priorities (a chain is normally used alone). */
    @Override
    public int priority() {
        return providers.stream().mapToInt(CredentialChain::safePriority).max().orElse(0);
    }

    /**
     * Every provider's reason, one per line, as in {@link CredentialResolutionException}; never a
     * secret. The reasons of the last miss for {@code repository}, so its providers are not asked
     * again (outside the operation's time); asked now if there was none.
     */
    @Override
    public String explainMiss(URI repository) {
        String known = misses.get(Objects.requireNonNull(repository, "repository"));
        if (known != null) {
            return known;
        }
        try {
            require(repository, CredentialContext.empty());
            return "credentials are available now (they appeared after the failed request)";
        } catch (CredentialResolutionException e) {
            return reasons(e);
        }
    }

    private static String reasons(CredentialResolutionException e) {
        String message = e.getMessage();
        int i = message.indexOf("; providers asked");
        return i < 0 ? message : message.substring(i + 2);
    }

    /**
     * The first credentials that apply to {@code repository}.
     *
     * @param repository the repository or registry URL
     * @param ctx        the operation and services; {@code null} is taken as {@link CredentialContext#empty()}
     * @throws CredentialResolutionException when no provider has any, listing each provider's reason
     */
    public RepositoryCredentials require(URI repository, CredentialContext ctx) {
        Objects.requireNonNull(repository, "repository");
        CredentialContext context = ctx == null ? CredentialContext.empty() : ctx;
        boolean caching = !cacheTtl.isZero();
        if (caching) {
            Cached c = cache.get(repository);
            if (c != null && clock.instant().isBefore(c.expires())) {
                return c.credentials();
            }
        }
        Map<String, String> reasons = new LinkedHashMap<>();
        for (CredentialProvider p : providers) {
            String name = safeName(p);
            if (context.timeLeft().map(Duration::isZero).orElse(false)) {
                put(reasons, name, "not asked: the operation's time ran out");
                continue;
            }
            Optional<RepositoryCredentials> result;
            try {
                result = p.resolve(repository, context);
            } catch (RuntimeException e) {
                String reason = "failed: " + (e.getMessage() == null ? e.getClass().getName() : e.getMessage());
                LOG.debug("credential provider {} failed for {}: {}", name, repository, reason);
                put(reasons, name, reason);
                continue;
            }
            if (result != null && result.isPresent()) {
                RepositoryCredentials found = result.get();
                LOG.debug("credentials for {} from {}: {}", repository, name, found.methods().stream().map(m -> m.method()).toList());
                if (caching) {
                    cache.put(repository, new Cached(found, clock.instant().plus(cacheTtl)));
                }
                misses.remove(repository);
                return found;
            }
            String reason;
            try {
                reason = p.explainMiss(repository);
            } catch (RuntimeException e) {
                reason = "no credentials (" + e.getClass().getSimpleName() + " while explaining)";
            }
            put(reasons, name, reason);
        }
        for (String problem : problems) {
            put(reasons, "<not loaded>", problem);
        }
        CredentialResolutionException miss = new CredentialResolutionException(context.operation(), repository, reasons);
        if (misses.size() >= MAX_MISSES) {
            misses.clear();
        }
        misses.put(repository, reasons(miss));
        throw miss;
    }

    private static void put(Map<String, String> reasons, String name, String reason) {
        String key = name;
        for (int i = 2; reasons.containsKey(key); i++) {
            key = name + "#" + i;
        }
        reasons.put(key, reason);
    }

    @Override
    public String toString() {
        return "CredentialChain" + providers.stream().map(p -> safeName(p) + "(" + safePriority(p) + ")").toList()
                + (cacheTtl.isZero() ? "" : ", cacheTtl=" + cacheTtl);
    }

    /** Convenience: {@link #require} for an operation with no services. */
    public RepositoryCredentials require(URI repository, Operation operation) {
        return require(repository, CredentialContext.of(operation));
    }
}
