package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The assertions behind {@link CredentialProviderContract}: canaries and leak checks, concurrent resolves. */
final class ProviderAssertions {

    private ProviderAssertions() {
    }

    /** The canaries, validated: missing or short ones make every leak check meaningless. */
    static Set<String> validatedCanaries(Set<String> values, int minLength) {
        assertNotNull(values, "secretValues() must not be null");
        assertFalse(values.isEmpty(), "secretValues() must name at least one secret in the store");
        for (String v : values) {
            assertNotNull(v, "secretValues() contains null");
            assertTrue(v.strip().length() >= minLength, () -> "secret value #" + List.copyOf(values).indexOf(v)
                    + " is shorter than " + minLength + " characters: too short to be a reliable canary");
        }
        return values;
    }

    /** The secret parts of credentials: passwords, tokens, private keys. */
    static List<String> secretParts(RepositoryCredentials rc) {
        List<String> secretParts = new ArrayList<>();
        for (Credentials method : rc.methods()) {
            if (method instanceof Credentials.BasicAuth basic) {
                secretParts.add(basic.password());
            } else if (method instanceof Credentials.BearerToken bearer) {
                secretParts.add(bearer.token());
            } else if (method instanceof Credentials.ClientCertificate cert) {
                secretParts.add(cert.privateKeyPem());
            }
        }
        return secretParts;
    }

    /**
     * Fails when {@code text} contains a canary, as is or Base64-encoded (standard and URL-safe
     * alphabets, without padding so that a padded encoding matches too).
     */
    static void assertNoSecret(String where, String text, Set<String> canaries) {
        for (String secret : canaries) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            Map<String, String> forms = new LinkedHashMap<>();
            forms.put("as is", secret);
            forms.put("Base64-encoded", Base64.getEncoder().withoutPadding().encodeToString(bytes));
            forms.put("URL-safe-Base64-encoded", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            forms.forEach((how, form) -> assertFalse(text.contains(form),
                    () -> where + " contains a secret value (" + how + "): " + text));
        }
    }

    /**
     * Resolves from {@code threads} threads started together, {@code calls} times each (every fifth call the
     * unknown repository, so hits and misses interleave); what differed from the single-threaded answer. Fails when
     * a call throws or the calls take over 2 minutes.
     */
    static Queue<String> concurrentProblems(CredentialProvider p, URI known, URI unknown, CredentialContext ctx,
            Optional<RepositoryCredentials> expected, int threads, int calls) throws InterruptedException {
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1); // start all threads together, to maximise overlap
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Void> task = () -> {
                    go.await();
                    for (int i = 0; i < calls; i++) {
                        if (i % 5 == 4) {
                            Optional<RepositoryCredentials> miss = p.resolve(unknown, ctx);
                            if (miss == null || miss.isPresent()) {
                                problems.add("thread " + thread + ", call " + i + ": " + unknown + " gave " + miss);
                            }
                        } else {
                            Optional<RepositoryCredentials> hit = p.resolve(known, ctx);
                            if (!expected.equals(hit)) {
                                problems.add("thread " + thread + ", call " + i + ": " + known + " gave " + hit + ", alone it gave " + expected);
                            }
                        }
                    }
                    return null;
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            for (Future<Void> f : futures) {
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    fail("resolve threw when called from " + threads + " threads at once: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    fail(threads + " x " + calls + " concurrent resolve calls did not finish within 2 minutes (deadlock?)");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return problems;
    }
}
