package dev.helmsdk.secrets;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the azurekeyvault resolver decides before any request: reference syntax, vals' vault URL rule, a missing SDK. */
class AzureKeyVaultResolverTest {

    /** A resolver whose first request would fail the test: these cases must be decided without the SDK's clients. */
    private final AzureKeyVaultResolver offline = new AzureKeyVaultResolver(() -> fail("no client may be built"));

    @Test
    void aVaultNameIsInThePublicCloudAndADnsNameIsTakenAsItIsAsInVals() {
        assertEquals("https://my-vault.vault.azure.net", AzureKeyVaultResolver.vaultUrl("my-vault"));
        assertEquals("https://gov-cloud-test.vault.usgovcloudapi.net", AzureKeyVaultResolver.vaultUrl("gov-cloud-test.vault.usgovcloudapi.net"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ref+azurekeyvault://only-a-vault",            // vals: invalid secret specifier
            "ref+azurekeyvault://vault/secret/version/x",  // too many parts
            "ref+azurekeyvault:///secret",                 // no vault
            "ref+azurekeyvault://vault/bad_name",          // Key Vault names: letters, digits, '-'
            "ref+azurekeyvault://vault/secret/not-a-version",
            "ref+azurekeyvault://va%2Fult/../secret",
    })
    void malformedReferencesAreInvalidNamingTheReference(String text) {
        SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> offline.resolve(SecretReference.parse(text), CONTEXT));
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        assertEquals(AzureKeyVaultResolver.class.getName(), e.resolver());
    }

    @Test
    void noTimeLeftIsATimeoutBeforeAnyRequest() {
        SecretContext spent = new SecretContext(Operation.UPGRADE, "web", "apps", () -> Duration.ZERO);
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> offline.resolve(SecretReference.parse("ref+azurekeyvault://vault/secret"), spent));
        assertEquals(Reason.TIMEOUT, e.reason());
        assertTrue(e.retryable());
    }

    @Test
    void anUnknownAzkvAuthIsDeniedNamingTheVariable() {
        AzureKeyVaultResolver resolver = new AzureKeyVaultResolver(Map.of("AZKV_AUTH", "kerberos")::get);
        SecretResolutionException e = assertThrows(SecretResolutionException.class,
                () -> resolver.resolve(SecretReference.parse("ref+azurekeyvault://vault/secret"), CONTEXT));
        assertEquals(Reason.DENIED, e.reason());
        assertTrue(e.getMessage().contains("AZKV_AUTH='kerberos'"), e.getMessage());
    }

    @Test
    void serviceLoaderFindsItForTheScheme() {
        assertTrue(ServiceLoader.load(SecretResolver.class).stream()
                .anyMatch(p -> p.type() == AzureKeyVaultResolver.class && p.get().schemes().equals(Set.of("azurekeyvault"))));
    }

    @Test
    void withoutTheSdkItLoadsAndAResolveNamesTheArtifactsToAdd() throws Exception {
        URL classes = AzureKeyVaultResolver.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader withoutAzure = new HidingClassLoader(classes, getClass().getClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("com.azure.core.credential.TokenCredential", false, withoutAzure));
            SecretResolver azure = ServiceLoader.load(SecretResolver.class, withoutAzure).stream()
                    .filter(p -> p.type().getName().equals(AzureKeyVaultResolver.class.getName()))
                    .findFirst().orElseThrow().get();
            assertSame(withoutAzure, azure.getClass().getClassLoader());
            assertEquals(Set.of("azurekeyvault"), azure.schemes());

            SecretResolutionException e = assertThrows(SecretResolutionException.class,
                    () -> azure.resolve(SecretReference.parse("ref+azurekeyvault://vault/secret"), CONTEXT));
            assertEquals(Reason.UNKNOWN_SCHEME, e.reason());
            assertTrue(e.getMessage().contains("the Azure SDK is not on the class path"), e.getMessage());
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("com.azure:azure-security-keyvault-secrets"), e.getMessage());
            assertTrue(e.getMessage().contains("com.azure:azure-identity"), e.getMessage());
            assertTrue(e.getMessage().contains("ref+azurekeyvault://vault/secret"), e.getMessage());
        }
    }

    /** Loads this module's classes itself (child first) and has no com.azure: the class path of a user who did not add the SDK. */
    private static final class HidingClassLoader extends URLClassLoader {
        HidingClassLoader(URL classes, ClassLoader parent) {
            super(new URL[]{classes}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("com.azure.")) {
                    throw new ClassNotFoundException(name);
                }
                if (!name.startsWith("dev.helmsdk.secrets.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
