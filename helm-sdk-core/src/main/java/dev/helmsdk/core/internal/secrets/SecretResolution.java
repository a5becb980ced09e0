package dev.helmsdk.core.internal.secrets;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretAccess;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.core.internal.Deadline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Replaces the secret references in an operation's merged values by what they name: every string
 * of the tree is scanned, the distinct references are resolved once each and in parallel within the
 * operation's deadline, and a reference that is a whole string keeps the resolved value's type
 * while one inside a longer string is formatted as text. Any failure is a
 * {@link SecretResolutionException}; values without a reference come back as they are, with no
 * thread started.
 */
public final class SecretResolution {

    /** At most this many references of one operation are resolved at once. */
    static final int MAX_PARALLEL = 16;
    /** Resolution gives up this share of what is left before the operation's own timeout, so the error names the reference. */
    private static final int MARGIN_DIVISOR = 20;
    private static final Duration MAX_MARGIN = Duration.ofMillis(250);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final SecretResolvers resolvers;
    private final Function<Deadline, List<?>> connections;
    private final SecretCache cache;

    /** A resolution that offers resolvers no connections and caches nothing. */
    public SecretResolution(SecretResolvers resolvers) {
        this(resolvers, d -> List.of(), Map.of());
    }

    /**
     * @param connections what {@link SecretContext#connection} offers resolvers for an operation
     *                    ending at the deadline given, such as the manager's cluster client bounded by it
     * @param cacheTtls   how long each scheme's resolved values are kept; a scheme not named is resolved every time
     */
    public SecretResolution(SecretResolvers resolvers, Function<Deadline, List<?>> connections, Map<String, Duration> cacheTtls) {
        this.resolvers = resolvers;
        this.connections = connections;
        this.cache = SecretCache.of(cacheTtls);
    }

    /** Closes the resolvers the manager made. */
    public void close() {
        resolvers.close();
    }

    /** One operation's resolution: what it resolves for, its deadline, and where its accesses are reported. */
    private record Run(Operation op, String release, String namespace, Deadline deadline, Consumer<SecretAccess> audit) {

        void report(SecretReference ref, SecretResolver resolver, SecretAccess.Outcome outcome, Reason failure, long startNanos) {
            audit.accept(new SecretAccess(ref.text(), ref.scheme(), resolver.getClass().getName(), outcome, Optional.ofNullable(failure),
                    Duration.ofNanos(System.nanoTime() - startNanos)));
        }

        SecretResolutionException fail(String reference, String resolver, Reason reason, String detail, Throwable cause) {
            return new SecretResolutionException(op, release, reference, resolver, reason, detail, cause);
        }
    }

    /**
     * {@code values} with every reference replaced (a new tree), or {@code values} itself when it holds none.
     *
     * @throws SecretResolutionException naming the first reference that could not be resolved
     */
    public Map<String, Object> resolve(Map<String, Object> values, Operation op, String release, String namespace, Deadline deadline) {
        return resolved(values, op, release, namespace, deadline, access -> { }).values();
    }

    /**
     * Values with their references replaced, and what masks the resolved values in text.
     *
     * @param values   the values, unresolved
     * @param redactor masks what was resolved ({@link Redactor#NONE} when nothing was)
     * @param given    the values as given, with their references: what the release records
     */
    public record Resolved(Map<String, Object> values, Redactor redactor, Map<String, Object> given) {

        /** Whether any reference was resolved. */
        public boolean any() {
            return values != given;
        }

        /** Never the values. */
        @Override
        public String toString() {
            return "Resolved[" + (any() ? "references resolved, " + redactor : "no references") + "]";
        }
    }

    /**
     * What each distinct reference in {@code values} resolves to now, by its text; empty when they
     * hold none. Nothing is replaced.
     *
     * @throws SecretResolutionException naming the first reference that could not be resolved
     */
    public Map<String, Object> resolveEach(Map<String, Object> values, Operation op, String release, String namespace, Deadline deadline,
                                           Consumer<SecretAccess> audit) {
        Run run = new Run(op, release, namespace, deadline, audit);
        Map<String, SecretReference> distinct = new LinkedHashMap<>();
        collect(values, distinct, run);
        return distinct.isEmpty() ? Map.of() : resolveAll(distinct, run);
    }

    /**
     * {@code values} with every reference replaced, or {@code values} itself (and {@link Redactor#NONE}) when it holds none.
     *
     * @param audit told of every access: each reference resolved, taken from the cache, or failed
     * @throws SecretResolutionException naming the first reference that could not be resolved
     */
    public Resolved resolved(Map<String, Object> values, Operation op, String release, String namespace, Deadline deadline,
                             Consumer<SecretAccess> audit) {
        Run run = new Run(op, release, namespace, deadline, audit);
        Map<String, SecretReference> distinct = new LinkedHashMap<>();
        collect(values, distinct, run);
        if (distinct.isEmpty()) {
            return new Resolved(values, Redactor.NONE, values);
        }
        // A phase only when there is something to resolve: values without references cost no span.
        Map<String, Object> resolved = deadline.during(dev.helmsdk.api.spi.OperationPhase.SECRETS, "resolving secret references",
                () -> resolveAll(distinct, run));
        @SuppressWarnings("unchecked")
        Map<String, Object> replaced = (Map<String, Object>) replace(values, resolved, run);
        return new Resolved(replaced, Redactor.of(resolved.values()), values);
    }

    /** Whether {@code values} hold a secret reference anywhere (a string starting a {@code ref+} or {@code secretref+}). */
    public static boolean holdsReferences(Object values) {
        if (values instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(SecretResolution::holdsReferences);
        }
        if (values instanceof List<?> list) {
            return list.stream().anyMatch(SecretResolution::holdsReferences);
        }
        return values instanceof String s && !ReferenceScanner.find(s).isEmpty();
    }

    private void collect(Object node, Map<String, SecretReference> into, Run run) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, into, run));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> collect(v, into, run));
        } else if (node instanceof String s) {
            for (ReferenceScanner.Found f : ReferenceScanner.find(s)) {
                SecretReference ref;
                try {
                    ref = SecretReference.parse(f.text());
                } catch (IllegalArgumentException e) {
                    throw run.fail(f.text(), "none", Reason.INVALID_REFERENCE, e.getMessage(), null);
                }
                if (resolvers.forScheme(ref.scheme()) == null) {
                    throw run.fail(ref.text(), "none", Reason.UNKNOWN_SCHEME, resolvers.unknown(ref.scheme()), null);
                }
                into.putIfAbsent(ref.text(), ref);
            }
        }
    }

    /** One request to a store: the reference asked for, and the references of the values it answers. */
    private record Request(SecretReference asked, SecretResolver resolver, List<SecretReference> members) {
    }

    private Map<String, Object> resolveAll(Map<String, SecretReference> distinct, Run run) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        // One request per secret: references differing only in fragment share one when the resolver lets the SDK select.
        Map<String, Request> requests = new LinkedHashMap<>();
        for (SecretReference ref : distinct.values()) {
            long start = System.nanoTime();
            SecretResolver resolver = resolvers.forScheme(ref.scheme());
            Optional<Object> kept = cache.get(ref);
            if (kept.isPresent()) {
                resolved.put(ref.text(), kept.get());
                run.report(ref, resolver, SecretAccess.Outcome.CACHED, null, start);
                continue;
            }
            boolean selects = ref.fragment().isPresent() && resolver.fragmentSelectsFromWhole(ref);
            SecretReference asked = selects ? ref.withoutFragment() : ref;
            requests.computeIfAbsent(asked.text(), k -> new Request(asked, resolver, new ArrayList<>())).members().add(ref);
        }
        if (requests.isEmpty()) {
            return resolved;
        }
        long started = System.nanoTime();
        SecretContext context = new SecretContext(run.op(), run.release(), run.namespace(), run.deadline()::remaining,
                connections.apply(run.deadline()));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(requests.size(), MAX_PARALLEL), r -> {
            Thread t = new Thread(r, "helm-sdk-secrets-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<Map<String, Object>> done = new ExecutorCompletionService<>(pool);
            Map<Future<Map<String, Object>>, Request> pending = new LinkedHashMap<>();
            for (Request request : requests.values()) {
                // Each resolver logs with the operation's MDC; the pool's threads end with the resolution.
                pending.put(done.submit(dev.helmsdk.core.internal.telemetry.LogContext.carried(() -> resolveOne(request, context, run))), request);
            }
            while (!pending.isEmpty()) {
                Future<Map<String, Object>> next = done.poll(waitFor(run.deadline()).toNanos(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    Request slow = pending.values().iterator().next();
                    run.report(slow.asked(), slow.resolver(), SecretAccess.Outcome.FAILED, Reason.TIMEOUT, started);
                    throw run.fail(slow.asked().text(), slow.resolver().getClass().getName(), Reason.TIMEOUT,
                            "the operation's time ran out while resolving it (" + pending.size() + " of " + requests.size()
                                    + " secrets unresolved); raise the operation's start timeout or check the store", null);
                }
                Request request = pending.remove(next);
                try {
                    resolved.putAll(next.get());
                } catch (ExecutionException e) {
                    throw failure(e.getCause(), request.asked(), run);
                }
            }
            return resolved;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HelmSdkException(run.op(), run.release(), "interrupted while resolving secret references", e);
        } finally {
            pool.shutdownNow(); // a failure or timeout stops the requests still running
        }
    }

    /**
     * Asks the store once on a pool thread, gives each member reference its value (its fragment
     * selected, when the SDK selects), keeps them as their scheme's TTL says, and reports the access.
     */
    private Map<String, Object> resolveOne(Request request, SecretContext context, Run run) {
        long start = System.nanoTime();
        SecretResolver resolver = request.resolver();
        Map<String, Object> values = new LinkedHashMap<>();
        try {
            Object whole = checked(resolver.resolve(request.asked(), context), request.asked(), resolver, run);
            for (SecretReference member : request.members()) {
                // A member with a fragment joined this request only if its fragment is the SDK's to select.
                Object value = !member.text().equals(request.asked().text()) ? Fragments.select(whole, member, resolver, run::fail) : whole;
                values.put(member.text(), checked(value, member, resolver, run));
            }
        } catch (RuntimeException e) {
            Reason reason = e instanceof SecretResolutionException s ? s.reason() : Reason.UNREACHABLE;
            run.report(request.asked(), resolver, SecretAccess.Outcome.FAILED, reason, start);
            throw e;
        }
        request.members().forEach(m -> cache.put(m, values.get(m.text())));
        run.report(request.asked(), resolver, SecretAccess.Outcome.RESOLVED, null, start);
        return values;
    }

    private static Duration waitFor(Deadline deadline) {
        Duration left = deadline.remaining();
        Duration margin = left.dividedBy(MARGIN_DIVISOR);
        return left.minus(margin.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : margin);
    }

    private RuntimeException failure(Throwable cause, SecretReference ref, Run run) {
        if (cause instanceof SecretResolutionException s) {
            return s;
        }
        String resolver = resolvers.forScheme(ref.scheme()).getClass().getName();
        // The cause's message is the resolver's, not ours: only its type goes into the message.
        return run.fail(ref.text(), resolver, Reason.UNREACHABLE, "the resolver failed with " + cause.getClass().getName(), cause);
    }

    private static Object checked(Object value, SecretReference ref, SecretResolver resolver, Run run) {
        if (value == null) {
            throw run.fail(ref.text(), resolver.getClass().getName(), Reason.NOT_FOUND, "the resolver returned nothing", null);
        }
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Map || value instanceof List)) {
            throw run.fail(ref.text(), resolver.getClass().getName(), Reason.INVALID_REFERENCE,
                    "the resolver returned a " + value.getClass().getName() + "; values are strings, numbers, booleans, maps and lists", null);
        }
        return value;
    }

    private Object replace(Object node, Map<String, Object> resolved, Run run) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, replace(v, resolved, run)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(replace(v, resolved, run)));
            return copy;
        }
        if (node instanceof String s) {
            return replaceIn(s, resolved, run);
        }
        return node;
    }

    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, copy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(SecretResolution::copy).toList());
        }
        return value;
    }

    private Object replaceIn(String s, Map<String, Object> resolved, Run run) {
        List<ReferenceScanner.Found> found = ReferenceScanner.find(s);
        if (found.isEmpty()) {
            return s;
        }
        if (found.size() == 1 && found.get(0).start() == 0 && found.get(0).end() == s.length()) {
            // The whole string: the value keeps its type; a tree is copied, so no two places share one (no YAML aliases).
            return copy(resolved.get(SecretReference.parse(s).text()));
        }
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (ReferenceScanner.Found f : found) {
            String text = SecretReference.parse(f.text()).text();
            Object value = resolved.get(text);
            if (value instanceof Map || value instanceof List) {
                throw run.fail(text, resolvers.forScheme(SecretReference.parse(text).scheme()).getClass().getName(), Reason.INVALID_REFERENCE,
                        "it names a map or list, which cannot be part of a longer string; select a single value with a fragment (#/key)", null);
            }
            sb.append(s, at, f.start()).append(value);
            at = f.end();
        }
        return sb.append(s, at, s.length()).toString();
    }
}
