package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One real moto server per test class, reset before each test, and a fresh {@link AwsResolver} pointed at it. */
abstract class AwsMotoFixture {

    static MotoServer moto;
    /** Why moto is not there (skipped per test, so that each test reports the install hint), or null. */
    private static String missing;
    AwsResolver resolver;

    @BeforeAll
    static void startMoto() {
        try {
            moto = MotoServer.start(Map.of());
            missing = null;
        } catch (TestAbortedException e) {
            missing = e.getMessage();
        }
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
            moto = null;
        }
    }

    @BeforeEach
    void freshStore() {
        Assumptions.assumeTrue(missing == null, missing);
        moto.reset();
        resolver = new AwsResolver(moto.environment()::get);
    }

    @AfterEach
    void closeResolver() {
        if (resolver != null) {
            resolver.close();
        }
    }

    Object resolve(String ref) {
        return resolver.resolve(SecretReference.parse(ref), CONTEXT);
    }

    /** The failure, checked to name the reference and to hold none of {@code hidden}. */
    static SecretResolutionException failure(Reason reason, String ref, Executable call, String... hidden) {
        SecretResolutionException e = assertThrows(SecretResolutionException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(ref), e.getMessage());
        for (String h : hidden) {
            assertFalse(e.getMessage().contains(h), e.getMessage());
        }
        return e;
    }

    /** Resolves {@code count} references (the n-th from {@code ref}) on as many threads, released together. */
    List<Object> resolveAtOnce(int count, IntFunction<String> ref) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String r = ref.apply(i);
                results.add(pool.submit(() -> {
                    go.await();
                    return resolve(r);
                }));
            }
            go.countDown();
            List<Object> values = new ArrayList<>();
            for (Future<Object> f : results) {
                values.add(f.get());
            }
            return values;
        } finally {
            pool.shutdownNow();
        }
    }

    void failsWith(Reason reason, String ref, String... hidden) {
        failure(reason, ref, () -> resolve(ref), hidden);
    }
}
