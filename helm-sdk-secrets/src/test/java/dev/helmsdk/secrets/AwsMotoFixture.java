package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

import java.util.Map;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One real moto server per test class, reset before each test, and a fresh {@link AwsResolver} pointed at it. */
abstract class AwsMotoFixture {

    static MotoServer moto;
    AwsResolver resolver;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.start(Map.of());
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
        moto.reset();
        resolver = new AwsResolver(moto.environment()::get);
    }

    @AfterEach
    void closeResolver() {
        resolver.close();
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

    void failsWith(Reason reason, String ref, String... hidden) {
        failure(reason, ref, () -> resolve(ref), hidden);
    }
}
