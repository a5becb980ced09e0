package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user who needs no AWS has no AWS SDK: this artifact's resolvers, found by ServiceLoader in a
 * class loader that hides {@code software.amazon.awssdk}, still load and instantiate, and resolving
 * an AWS reference says which artifact to add.
 */
class AwsResolversWithoutSdkTest {

    /** Loads this module's classes itself (so they link against what it sees) and hides the AWS SDK. */
    static final class WithoutAwsSdk extends URLClassLoader {

        WithoutAwsSdk() {
            super(new URL[] {AwsResolver.class.getProtectionDomain().getCodeSource().getLocation()},
                    AwsResolversWithoutSdkTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("software.amazon.awssdk.")) {
                throw new ClassNotFoundException(name + " (hidden)");
            }
            if (!name.startsWith("dev.helmsdk.secrets.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }

        @Override
        public URL getResource(String name) {
            return name.startsWith("software/amazon/awssdk/") ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.startsWith("software/amazon/awssdk/") ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }

    @Test
    void theResolversLoadWithoutTheSdkAndResolvingNamesTheArtifactToAdd() throws IOException {
        try (WithoutAwsSdk loader = new WithoutAwsSdk()) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("software.amazon.awssdk.core.SdkBytes", false, loader));
            Map<String, SecretResolver> byScheme = new HashMap<>();
            for (SecretResolver r : ServiceLoader.load(SecretResolver.class, loader)) {
                assertSame(loader, r.getClass().getClassLoader(), r + " must come from the loader without the SDK");
                r.schemes().forEach(s -> byScheme.put(s, r));
            }
            assertTrue(byScheme.keySet().containsAll(java.util.Set.of("envsubst", "file", "awssecrets", "awsssm")), byScheme.toString());

            assertNamesArtifact(byScheme.get("awssecrets"), "ref+awssecrets://shop/db#/password", "software.amazon.awssdk:secretsmanager");
            assertNamesArtifact(byScheme.get("awsssm"), "ref+awsssm://shop/db/password", "software.amazon.awssdk:ssm");
            // Asked again, the same answer (no half-built state), and closing is harmless.
            assertNamesArtifact(byScheme.get("awsssm"), "ref+awsssm://shop/db/password", "software.amazon.awssdk:ssm");
            for (SecretResolver r : byScheme.values()) {
                if (r instanceof AutoCloseable c) {
                    assertDoesNotThrowOnClose(c);
                }
            }
            // The other resolvers of the artifact are unaffected.
            assertEquals("x", byScheme.get("envsubst").resolve(SecretReference.parse("ref+envsubst://x"), CONTEXT));
        }
    }

    private static void assertNamesArtifact(SecretResolver resolver, String ref, String artifact) {
        SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> resolver.resolve(SecretReference.parse(ref), CONTEXT));
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
        assertTrue(e.getMessage().contains(artifact) && e.getMessage().contains(ref), e.getMessage());
    }

    private static void assertDoesNotThrowOnClose(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new AssertionError(c + " failed to close without the SDK", e);
        }
    }
}
