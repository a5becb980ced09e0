package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** The assertions behind {@link SecretResolverContract}: comparable outcomes, failure and leak checks, value trees. */
final class ResolverAssertions {

    private ResolverAssertions() {
    }

    /** A failure, as a value that concurrent outcomes can be compared by (not by message: a store's may carry a request id). */
    record Failure(Reason reason, String reference, String message) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Failure f && f.reason == reason && f.reference.equals(reference);
        }

        @Override
        public int hashCode() {
            return reason.hashCode() * 31 + reference.hashCode();
        }
    }

    interface ResolverCheck {
        void check(SecretResolver resolver) throws Exception;
    }

    /** Runs a check on a fresh resolver and closes it after. */
    static void withResolver(SecretResolver r, ResolverCheck check) {
        assertNotNull(r, "resolver() returned null");
        try {
            check.check(r);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            close(r);
        }
    }

    static void close(SecretResolver r) {
        if (r instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new AssertionError("closing the resolver failed", e);
            }
        }
    }

    static Object outcome(SecretResolver r, String ref, SecretContext context) {
        try {
            return r.resolve(ref(ref), context);
        } catch (SecretResolutionException e) {
            return new Failure(e.reason(), e.reference(), e.getMessage());
        }
    }

    static String describe(Object outcome) {
        return outcome instanceof Failure f ? "a " + f.reason() + " failure" : "a " + (outcome == null ? "null" : outcome.getClass().getSimpleName());
    }

    static SecretReference ref(String text) {
        return SecretReference.parse(text);
    }

    static void assertFailure(SecretResolver r, String reference, Reason reason, SecretContext context,
            Supplier<Set<String>> canaries) {
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> r.resolve(ref(reference), context), () -> "resolving " + reference + " must fail with " + reason);
        assertEquals(reason, e.reason(), () -> "resolving " + reference + ": " + e.getMessage());
        assertEquals(ref(reference).text(), e.reference(), "the exception must name the reference as written");
        assertTrue(e.getMessage().contains(ref(reference).text()), () -> "the message must name the reference: " + e.getMessage());
        assertNoSecretIn(e, canaries);
    }

    /** No canary in the messages or {@code toString()} of a throwable, its causes and suppressed ones. */
    static void assertNoSecretIn(Throwable e, Supplier<Set<String>> canaries) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            assertNoSecret("message of " + t.getClass().getName() + " (cause depth " + depth + ")", String.valueOf(t.getMessage()), canaries);
            assertNoSecret("toString() of " + t.getClass().getName(), t.toString(), canaries);
            for (Throwable s : t.getSuppressed()) {
                assertNoSecret("message of suppressed " + s.getClass().getName(), String.valueOf(s.getMessage()), canaries);
            }
        }
    }

    static void assertNoSecret(String where, String text, Supplier<Set<String>> canaries) {
        for (String secret : canaries.get()) {
            assertFalse(text.contains(secret), () -> where + " contains a secret value: " + text);
        }
    }

    /** A value is a tree of Strings, Numbers, Booleans, Maps with String keys and Lists. */
    static void assertAllowedTree(Object value, String what) {
        assertNotNull(value, () -> what + " is null: a missing value is a SecretResolutionException (NOT_FOUND or MISSING_KEY)");
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                assertTrue(k instanceof String, () -> what + " has a key that is not a String: " + (k == null ? "null" : k.getClass().getName()));
                assertAllowedTree(v, what + "." + k);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                assertAllowedTree(list.get(i), what + "[" + i + "]");
            }
        } else {
            assertTrue(value instanceof String || value instanceof Number || value instanceof Boolean,
                    () -> what + " is a " + value.getClass().getName() + ": values are Strings, Numbers, Booleans, Maps and Lists");
        }
    }

    static void collectStrings(Object value, Set<String> into) {
        if (value instanceof String s) {
            into.add(s);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectStrings(v, into));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collectStrings(v, into));
        }
    }

    /**
     * Resolves the references from {@code threads} threads started together, {@code calls} times each, each
     * thread starting at another reference; what differs from {@code expected} (the single-threaded outcomes).
     */
    static List<String> disagreements(List<String> refs, Map<String, Object> expected, Function<String, Object> outcome,
            int threads, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                Callable<List<String>> task = () -> {
                    start.await();
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < calls; i++) {
                        String ref = refs.get((i + offset) % refs.size());
                        Object got = outcome.apply(ref);
                        if (!expected.get(ref).equals(got)) {
                            wrong.add(ref + " gave " + describe(got) + " instead of " + describe(expected.get(ref)));
                        }
                    }
                    return wrong;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                wrong.addAll(f.get(2, TimeUnit.MINUTES));
            }
            return wrong;
        } finally {
            pool.shutdownNow();
        }
    }
}
