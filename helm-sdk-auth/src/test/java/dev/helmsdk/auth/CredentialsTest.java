package dev.helmsdk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialResolutionException;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    static final String SECRET = "S3CRET-canary-pw";

    @Test
    void basicAuthRedactsPassword() {
        Credentials.BasicAuth b = new Credentials.BasicAuth("alice", SECRET);
        assertEquals("BasicAuth[username=alice, password=****]", b.toString());
        assertEquals(new Credentials.BasicAuth("alice", SECRET), b);
    }

    @Test
    void tokenCertificateAndRepositoryCredentialsRedact() {
        Credentials token = new Credentials.BearerToken(SECRET);
        Credentials cert = new Credentials.ClientCertificate("-----BEGIN CERTIFICATE-----\nabc\n", "KEY-" + SECRET);
        Credentials ca = new Credentials.TrustedCertificates("-----BEGIN CERTIFICATE-----\nca\n");
        RepositoryCredentials rc = new RepositoryCredentials(URI.create("oci://r.example.com"), List.of(token, cert, ca), "test");
        for (Object o : List.of(token, cert, ca, rc)) {
            assertFalse(o.toString().contains(SECRET), o.toString());
        }
        assertEquals("BearerToken[token=****]", token.toString());
        assertTrue(rc.toString().contains("source=test"));
        assertEquals(cert, rc.find(Credentials.ClientCertificate.class).orElseThrow());
    }

    @Test
    void repositoryCredentialsRequireAMethod() {
        assertThrows(IllegalArgumentException.class, () -> new RepositoryCredentials(URI.create("https://x"), List.of(), "s"));
    }

    @Test
    void resolutionExceptionListsReasonsInOrder() {
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("env", "no HELM_SDK_REPO_X_* variables");
        reasons.put("docker-config", "/tmp/c.json does not exist");
        CredentialResolutionException e = new CredentialResolutionException(Operation.INSTALL, URI.create("https://x"), reasons);
        assertEquals(Operation.INSTALL, e.operation());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().indexOf("env: no HELM_SDK_REPO_X_*") < e.getMessage().indexOf("docker-config: /tmp/c.json"), e.getMessage());
        assertEquals(reasons, e.reasons());
    }

    @Test
    void contextServicesAreTyped() {
        CredentialContext ctx = CredentialContext.of(Operation.INSTALL).with(StringBuilder.class, new StringBuilder("x"));
        assertEquals("x", ctx.service(StringBuilder.class).orElseThrow().toString());
        assertTrue(ctx.service(Integer.class).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> CredentialContext.of(Operation.INSTALL, Map.of(Integer.class, "not an int")));
    }
}
