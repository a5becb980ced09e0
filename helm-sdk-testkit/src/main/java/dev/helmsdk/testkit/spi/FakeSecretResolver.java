package dev.helmsdk.testkit.spi;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;

import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A {@link SecretResolver} over secrets held in memory, for unit tests: it serves the schemes it is
 * created with, answers the values you give it (per reference, or per path with the fragment
 * selected from the whole), fails the references you tell it to with the {@link Reason} you choose,
 * optionally after a latency, and records every request with its operation, release and namespace.
 *
 * <pre>{@code
 * FakeSecretResolver vault = FakeSecretResolver.of("vault")
 *         .withSecret("secret/shop", Map.of("password", "s3cret-pw"))     // ref+vault://secret/shop#/password
 *         .withValue("ref+vault://secret/legacy", "old-pw")
 *         .failing("ref+vault://secret/down", SecretResolutionException.Reason.UNREACHABLE);
 * try (HelmManager helm = HelmSdk.builder().kubeConfig(Path.of("kubeconfig")).secretResolver(vault).build()) {
 *     helm.install("shop").chart(ChartRef.local(Path.of("charts/shop"))).set("db.password", "ref+vault://secret/shop#/password").run();
 * }
 * assertEquals(List.of("ref+vault://secret/shop#/password"), vault.requestedReferences());
 * }</pre>
 *
 * <p>Lookup order for a reference: a configured failure for its text (or its text without the
 * fragment); a value given for its exact text ({@link #withValue}); the secret at its
 * {@link SecretReference#path() path} ({@link #withSecret}) with the fragment selected from it. No
 * secret at the path is {@code NOT_FOUND}, a fragment selecting nothing is {@code MISSING_KEY}. The
 * fake asks every reference as written ({@link #fragmentSelectsFromWhole} is {@code false}) unless
 * {@link #selectingFragmentsFromWhole(boolean)} says otherwise, so that its requests show exactly
 * what the values wrote.
 *
 * <p>Latency ({@link #withLatency}) is spent within the operation's {@link SecretContext#timeLeft()}:
 * when the latency exceeds it, the fake waits for the time left and fails with {@code TIMEOUT}, as a
 * well-behaved remote resolver does. Thread-safe; its configuration may change while in use. Its
 * {@link #toString()} and its exceptions never show a value.
 */
public final class FakeSecretResolver implements SecretResolver {

    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9.-]*");

    /**
     * One request the fake got.
     *
     * @param reference   the reference asked for
     * @param operation   the operation asking
     * @param releaseName its release, if any
     * @param namespace   its namespace, if any
     * @param failure     why the fake failed it, if it did
     */
    public record Request(SecretReference reference, Operation operation, Optional<String> releaseName,
                          Optional<String> namespace, Optional<Reason> failure) {
        /** Requires every field. */
        public Request {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(releaseName, "releaseName");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(failure, "failure");
        }
    }

    private final Set<String> schemes;
    private final Map<String, Object> byReference = new ConcurrentHashMap<>();
    private final Map<String, Object> byPath = new ConcurrentHashMap<>();
    private final Map<String, Reason> failures = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean fragmentsFromWhole;

    private FakeSecretResolver(Set<String> schemes) {
        this.schemes = schemes;
    }

    /**
     * A fake serving {@code schemes}, with no secrets yet.
     *
     * @param schemes the schemes, as written after {@code ref+} ({@code vault}, {@code fake}); lower case
     * @return the fake
     * @throws IllegalArgumentException when none is given or one is not a lower-case scheme
     */
    public static FakeSecretResolver of(String... schemes) {
        Objects.requireNonNull(schemes, "schemes");
        if (schemes.length == 0) {
            throw new IllegalArgumentException("a FakeSecretResolver needs at least one scheme, e.g. FakeSecretResolver.of(\"fake\")");
        }
        for (String s : schemes) {
            if (s == null || !SCHEME.matcher(s).matches()) {
                throw new IllegalArgumentException("scheme '" + s + "' is not a lower-case scheme: a letter followed by letters, digits, '-' or '.'");
            }
        }
        return new FakeSecretResolver(Set.of(schemes));
    }

    /**
     * Serves {@code value} for the reference written exactly as {@code reference} (fragment included).
     *
     * @param reference a reference of one of the fake's schemes, e.g. {@code ref+fake://db#/password}
     * @param value     a String, Number, Boolean, or a tree of Maps (String keys) and Lists of those
     * @return this fake
     * @throws IllegalArgumentException when the reference does not parse, is of another scheme, or the value is not such a tree
     */
    public FakeSecretResolver withValue(String reference, Object value) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(value, "value");
        byReference.put(own(reference).text(), checked(value, "value"));
        return this;
    }

    /**
     * Holds {@code secret} at {@code path}: a reference with that path resolves to it, its fragment
     * selected ({@code ref+fake://db#/password} is the {@code password} entry of the secret at {@code db}).
     *
     * @param path   the path, as {@link SecretReference#path()} gives it ({@code db}, {@code secret/shop})
     * @param secret a String, Number, Boolean, or a tree of Maps (String keys) and Lists of those
     * @return this fake
     */
    public FakeSecretResolver withSecret(String path, Object secret) {
        byPath.put(Objects.requireNonNull(path, "path"), checked(secret, "secret"));
        return this;
    }

    /**
     * Removes what {@link #withValue} and {@link #withSecret} gave for {@code referenceOrPath}.
     *
     * @param referenceOrPath a reference's text or a path
     * @return this fake
     */
    public FakeSecretResolver without(String referenceOrPath) {
        Objects.requireNonNull(referenceOrPath, "referenceOrPath");
        byReference.remove(referenceOrPath);
        byPath.remove(referenceOrPath);
        return this;
    }

    /**
     * Fails every request for {@code reference} (or, given without a fragment, for any of its
     * fragments) with {@code reason}, until {@link #healed}.
     *
     * @param reference a reference of one of the fake's schemes
     * @param reason    the reason its {@link SecretResolutionException} carries
     * @return this fake
     */
    public FakeSecretResolver failing(String reference, Reason reason) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(reason, "reason");
        failures.put(own(reference).text(), reason);
        return this;
    }

    /**
     * Stops failing {@code reference}.
     *
     * @param reference a reference given to {@link #failing}
     * @return this fake
     */
    public FakeSecretResolver healed(String reference) {
        failures.remove(own(reference).text());
        return this;
    }

    /**
     * Makes every request take {@code latency}, within the operation's time left.
     *
     * @param latency how long each request takes; zero for none
     * @return this fake
     */
    public FakeSecretResolver withLatency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        this.latency = latency;
        return this;
    }

    /**
     * Whether the fake lets the SDK ask once per secret and select fragments itself (see
     * {@link SecretResolver#fragmentSelectsFromWhole}); values given by {@link #withValue} for a
     * reference with a fragment are then not asked for.
     *
     * @param fromWhole {@code true} to share one request among a secret's fragments
     * @return this fake
     */
    public FakeSecretResolver selectingFragmentsFromWhole(boolean fromWhole) {
        this.fragmentsFromWhole = fromWhole;
        return this;
    }

    @Override
    public Set<String> schemes() {
        return schemes;
    }

    @Override
    public boolean fragmentSelectsFromWhole(SecretReference reference) {
        Objects.requireNonNull(reference, "reference");
        return fragmentsFromWhole;
    }

    @Override
    public Object resolve(SecretReference reference, SecretContext context) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(context, "context");
        try {
            Object value = lookUp(reference, context);
            requests.add(request(reference, context, null));
            return value;
        } catch (SecretResolutionException e) {
            requests.add(request(reference, context, e.reason()));
            throw e;
        }
    }

    private Object lookUp(SecretReference reference, SecretContext context) {
        if (!schemes.contains(reference.scheme())) {
            throw fail(context, reference, Reason.UNKNOWN_SCHEME, "this FakeSecretResolver serves " + schemes + ", not " + reference.scheme());
        }
        wait(reference, context);
        Reason failure = Optional.ofNullable(failures.get(reference.text())).orElse(failures.get(reference.withoutFragment().text()));
        if (failure != null) {
            throw fail(context, reference, failure, "FakeSecretResolver was told to fail it with " + failure);
        }
        Object exact = byReference.get(reference.text());
        if (exact != null) {
            return exact;
        }
        Object whole = byPath.get(reference.path());
        if (whole == null) {
            throw fail(context, reference, Reason.NOT_FOUND, "no secret at path '" + reference.path() + "' in this FakeSecretResolver");
        }
        return reference.select(whole).orElseThrow(() -> fail(context, reference, Reason.MISSING_KEY,
                "the secret at '" + reference.path() + "' has no key " + reference.fragmentKeys()));
    }

    private void wait(SecretReference reference, SecretContext context) {
        Duration wanted = latency;
        if (wanted.isZero()) {
            return;
        }
        Duration left = context.timeLeft();
        try {
            Thread.sleep(Math.min(wanted.toMillis(), left.toMillis()), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(context, reference, Reason.TIMEOUT, "interrupted while waiting out its latency of " + wanted.toMillis() + " ms");
        }
        if (wanted.compareTo(left) > 0) {
            throw fail(context, reference, Reason.TIMEOUT, "its latency of " + wanted.toMillis() + " ms is more than the "
                    + left.toMillis() + " ms the operation had left");
        }
    }

    private SecretResolutionException fail(SecretContext context, SecretReference reference, Reason reason, String detail) {
        return SecretResolutionException.of(context, reference, this, reason, detail);
    }

    private static Request request(SecretReference reference, SecretContext context, Reason failure) {
        return new Request(reference, context.operation(), context.releaseName(), context.namespace(), Optional.ofNullable(failure));
    }

    private SecretReference own(String reference) {
        SecretReference parsed = SecretReference.parse(Objects.requireNonNull(reference, "reference"));
        if (!schemes.contains(parsed.scheme())) {
            throw new IllegalArgumentException("'" + reference + "' is of scheme " + parsed.scheme() + ", this FakeSecretResolver serves " + schemes);
        }
        return parsed;
    }

    /** Values as the SPI allows them, so a test fails where it configures a bad one rather than deep in an install. */
    private static Object checked(Object value, String what) {
        Objects.requireNonNull(value, what);
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!(k instanceof String key)) {
                    throw new IllegalArgumentException(what + " has a key that is not a String: " + (k == null ? "null" : k.getClass().getName()));
                }
                copy.put(key, checked(v, what + "." + key));
            });
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                copy.add(checked(list.get(i), what + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(what + " is a " + value.getClass().getName()
                + ": a secret value is a String, Number, Boolean, or a tree of Maps and Lists of those");
    }

    /**
     * Every request so far, in order.
     *
     * @return a copy
     */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * The text of every reference asked for so far, in order.
     *
     * @return a copy
     */
    public List<String> requestedReferences() {
        return requests.stream().map(r -> r.reference().text()).toList();
    }

    /** Forgets the requests so far. */
    public void clearRequests() {
        requests.clear();
    }

    /** Schemes and counts only: never a value. */
    @Override
    public String toString() {
        return "FakeSecretResolver[schemes=" + schemes.stream().sorted().toList() + ", " + byPath.size() + " secrets, "
                + byReference.size() + " values, " + failures.size() + " failing, latency=" + latency.toMillis() + " ms]";
    }
}
