package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fabric8 is optional here: on a class path without it, ServiceLoader still loads every resolver of
 * this module, the others resolve, and a {@code k8s} or {@code externalsecret} reference fails
 * naming the artifact to add.
 */
class WithoutFabric8Test {

    /** This module's classes, loaded again, child first, over a parent that has no io.fabric8 class. */
    private static ClassLoader withoutFabric8() {
        ClassLoader test = WithoutFabric8Test.class.getClassLoader();
        ClassLoader noFabric8 = new ClassLoader(test) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("io.fabric8.")) {
                    throw new ClassNotFoundException(name + " (hidden by the test)");
                }
                return super.loadClass(name, resolve);
            }

            @Override
            public URL getResource(String name) {
                return name.startsWith("io/fabric8/") ? null : super.getResource(name);
            }
        };
        URL classes = KubernetesResolver.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[]{classes}, noFabric8) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (name.startsWith("dev.helmsdk.secrets.")) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : findClass(name);
                    }
                    return super.loadClass(name, resolve);
                }
            }
        };
    }

    @Test
    void theResolversLoadAndTheClusterOnesNameTheArtifact() {
        ClassLoader loader = withoutFabric8();
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.fabric8.kubernetes.client.KubernetesClient", false, loader));
        List<SecretResolver> all = new ArrayList<>();
        ServiceLoader.load(SecretResolver.class, loader).forEach(all::add);
        assertTrue(all.stream().map(r -> r.getClass().getSimpleName()).toList().containsAll(
                List.of("EnvSubstResolver", "FileResolver", "KubernetesResolver", "ExternalSecretResolver")), all.toString());
        assertTrue(all.stream().allMatch(r -> r.getClass().getClassLoader() == loader), "loaded again, without fabric8");
        for (SecretResolver r : all.stream().filter(r -> r.schemes().contains("k8s") || r.schemes().contains("externalsecret")).toList()) {
            String ref = r.schemes().contains("k8s") ? "ref+k8s://v1/Secret/apps/db/password" : "ref+externalsecret://apps/db/password";
            SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> r.resolve(SecretReference.parse(ref), CONTEXT));
            assertEquals(Reason.INVALID_REFERENCE, e.reason());
            assertTrue(e.getMessage().contains("io.fabric8:kubernetes-client"), e.getMessage());
        }
        assertEquals("x", all.stream().filter(r -> r.schemes().contains("envsubst")).findFirst().orElseThrow().resolve(SecretReference.parse("ref+envsubst://x"), CONTEXT), "the others work");
    }
}
