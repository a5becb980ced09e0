package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link VaultResolver} decides before it sends anything (no server). */
class VaultResolverUnitTest {

    private static SecretResolutionException failure(Map<String, String> env, String ref) {
        return assertThrows(SecretResolutionException.class, () -> new VaultResolver(env::get).resolve(SecretReference.parse(ref), CONTEXT));
    }

    @Test
    void isFoundByServiceLoaderForBothSchemes() {
        SecretResolver found = ServiceLoader.load(SecretResolver.class).stream().map(ServiceLoader.Provider::get)
                .filter(VaultResolver.class::isInstance).findFirst().orElseThrow();
        assertEquals(Set.of("vault", "openbao"), found.schemes());
    }

    @Test
    void withoutAnAddressTheErrorSaysToSetVaultAddrOrTheParameter() {
        SecretResolutionException e = failure(Map.of("VAULT_TOKEN", "t"), "ref+vault://secret/app#/password");
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
        assertTrue(e.getMessage().contains("VAULT_ADDR") && e.getMessage().contains("?address="), e.getMessage());
        assertTrue(e.getMessage().contains("ref+vault://secret/app#/password"), e.getMessage());
        assertFalse(e.retryable());
        assertEquals(Reason.INVALID_REFERENCE, failure(Map.of("VAULT_ADDR", "vault:8200", "VAULT_TOKEN", "t"), "ref+vault://secret/app").reason());
    }

    @Test
    void unknownParametersAndAuthMethodsAreRefusedNamingThem() {
        Map<String, String> env = Map.of("VAULT_ADDR", "http://127.0.0.1:1", "VAULT_TOKEN", "t");
        SecretResolutionException typo = failure(env, "ref+vault://secret/app?verison=2#/password");
        assertEquals(Reason.INVALID_REFERENCE, typo.reason());
        assertTrue(typo.getMessage().contains("'verison'"), typo.getMessage());
        SecretResolutionException method = failure(env, "ref+vault://secret/app?auth_method=ldap#/password");
        assertTrue(method.getMessage().contains("ldap") && method.getMessage().contains("approle"), method.getMessage());
        assertEquals(Reason.INVALID_REFERENCE, failure(env, "ref+vault://secret/app?kv_version=3#/password").reason());
        assertEquals(Reason.INVALID_REFERENCE, failure(env, "ref+vault://secret/app?mount=secret#/password").reason());
        assertEquals(Reason.INVALID_REFERENCE, failure(env, "ref+vault://secret/app?kv_version=2&mount=other#/password").reason());
        SecretResolutionException approle = failure(Map.of("VAULT_ADDR", "http://127.0.0.1:1", "VAULT_AUTH_METHOD", "approle",
                "VAULT_ROLE_ID", "r"), "ref+vault://secret/app#/password");
        assertTrue(approle.getMessage().contains("VAULT_SECRET_ID"), approle.getMessage());
    }

    @Test
    void kv2PathsGetDataInsertedOnceAfterTheMount() {
        assertEquals("secret/data/app", VaultClient.v2DataPath("secret/app", "secret/"));
        assertEquals("secret/data/app", VaultClient.v2DataPath("secret/data/app", "secret/"));
        assertEquals("team/kv/data/a/b", VaultClient.v2DataPath("team/kv/a/b", "team/kv/"));
        assertEquals("secret/data/app", VaultClient.v2DataPath("secret/app", "ns1/secret/")); // mount reported with its namespace
        assertEquals(Reason.INVALID_REFERENCE, assertThrows(VaultFailure.class, () -> VaultClient.v2DataPath("secret", "secret/")).reason());
    }

    @Test
    void pathSegmentsAreEncoded() {
        assertEquals("secret/data/my%20app/p%C3%A4ss", VaultHttp.encodePath("secret/data/my app/päss"));
    }
}
