package dev.helmsdk.secrets;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading KV secrets with {@link VaultResolver}: versions, keys, errors, namespace, TLS, OpenBao, redaction. */
@Tag("integration")
class VaultResolverTest extends VaultFixture {

    @Test
    void kv2IsReadWithOrWithoutDataInThePathAndKeepsTypes() {
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app#/password"));
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/data/app#/password"));
        assertEquals(5432, resolve("ref+vault://secret/app#/port"));
        assertEquals(true, resolve("ref+vault://secret/app#/tls"));
    }

    @Test
    void decodeBase64DecodesTheSelectedValueAndHostWithProtoIsAnAddress() {
        vault.put("secret/cert", Map.of("pem", java.util.Base64.getEncoder().encodeToString("-----BEGIN CERT".getBytes())));
        assertEquals("-----BEGIN CERT", resolve("ref+vault://secret/cert?decode=base64#/pem"));
        assertEquals(Reason.INVALID_REFERENCE, failure("ref+vault://secret/app?decode=base64#/password").reason()); // not base64
        assertEquals(Reason.INVALID_REFERENCE, failure("ref+vault://secret/cert?decode=base64").reason()); // a map
        env.remove("VAULT_ADDR");
        String host = vault.address().substring("http://".length());
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app?proto=http&host=" + host + "#/password"));
    }

    @Test
    void aVersionParamReadsThatVersionOfAKv2Secret() {
        assertEquals("pw-v1", resolve("ref+vault://secret/app?version=1#/password"));
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app?version=2#/password"));
        assertEquals(Reason.NOT_FOUND, failure("ref+vault://secret/app?version=3#/password").reason());
        vault.deleteVersion("secret/app", 1);
        assertEquals(Reason.NOT_FOUND, failure("ref+vault://secret/app?version=1#/password").reason());
        assertEquals(Reason.INVALID_REFERENCE, failure("ref+vault://secret/app?version=latest#/password").reason());
    }

    @Test
    void kv1IsReadAtItsPathAndHasNoVersions() {
        assertEquals("legacy-s3cret", resolve("ref+vault://kv/legacy#/password"));
        SecretResolutionException e = failure("ref+vault://kv/legacy?version=1#/password");
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
        assertTrue(e.getMessage().contains("version 1 mount"), e.getMessage());
    }

    @Test
    void withoutAFragmentTheWholeSecretIsAMap() {
        assertEquals(Map.of("password", "pw-v2-s3cret", "port", 5432, "tls", true), resolve("ref+vault://secret/app"));
        assertEquals(Map.of("password", "legacy-s3cret"), resolve("ref+vault://kv/legacy"));
    }

    @Test
    void anAbsentKeyIsMissingKeyAndAnAbsentSecretNotFound() {
        SecretResolutionException missing = failure("ref+vault://secret/app#/username");
        assertEquals(Reason.MISSING_KEY, missing.reason());
        assertTrue(missing.getMessage().contains("ref+vault://secret/app#/username") && missing.getMessage().contains("/username"), missing.getMessage());
        assertFalse(missing.getMessage().contains("pw-v2-s3cret"), missing.getMessage());
        assertEquals(Reason.NOT_FOUND, failure("ref+vault://secret/nope#/password").reason());
        assertEquals(Reason.NOT_FOUND, failure("ref+vault://kv/nope#/password").reason());
        assertFalse(missing.retryable());
    }

    @Test
    void aWrongTokenOrAForbiddenPathIsDenied() {
        env.put("VAULT_TOKEN", "hvs.wrong-token-99");
        SecretResolutionException wrong = failure("ref+vault://secret/app#/password");
        assertEquals(Reason.DENIED, wrong.reason());
        assertFalse(wrong.getMessage().contains("hvs.wrong-token-99"), wrong.getMessage());
        env.put("VAULT_TOKEN", TOKEN);
        vault.deny("secret/data/app");
        assertEquals(Reason.DENIED, failure("ref+vault://secret/app#/password").reason());
        assertEquals("svc", resolve("ref+vault://secret/other#/user"));
    }

    @Test
    void aClosedPortIsUnreachableAndRetryable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SecretResolutionException e = failure("ref+vault://secret/app?address=http://127.0.0.1:" + port + "#/password");
        assertEquals(Reason.UNREACHABLE, e.reason());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void aSealedVaultIsUnreachableAndRetryable() {
        vault.sealed(true);
        SecretResolutionException e = failure("ref+vault://secret/app#/password");
        assertEquals(Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertTrue(e.retryable());
    }

    @Test
    void aServerThatNeverAnswersIsATimeoutWithinTheTimeLeft() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accepts and says nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SecretContext soon = new SecretContext(Operation.INSTALL, "web", "apps", deadline(Duration.ofMillis(400)));
            long start = System.nanoTime();
            SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> resolver.resolve(
                    SecretReference.parse("ref+vault://secret/app?address=http://127.0.0.1:" + silent.getLocalPort() + "#/password"), soon));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Reason.TIMEOUT, e.reason());
            assertTrue(millis < 2000, "took " + millis + " ms");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static java.util.function.Supplier<Duration> deadline(Duration in) {
        long end = System.nanoTime() + in.toNanos();
        return () -> Duration.ofNanos(Math.max(0, end - System.nanoTime()));
    }

    @Test
    void theMountsPreflightRunsOncePerMount() {
        resolve("ref+vault://secret/app#/password");
        resolve("ref+vault://secret/other#/user");
        resolve("ref+vault://secret/app#/port");
        assertEquals(1, vault.preflights.get());
        resolve("ref+vault://kv/legacy#/password");
        assertEquals(2, vault.preflights.get());
    }

    @Test
    void anExplicitKvVersionSkipsThePreflightForATokenThatMayNotReadSys() {
        vault.token("hvs.no-sys", new FakeVault.TokenInfo(false, 0, false));
        env.put("VAULT_TOKEN", "hvs.no-sys");
        SecretResolutionException e = failure("ref+vault://secret/app#/password");
        assertEquals(Reason.DENIED, e.reason());
        assertTrue(e.getMessage().contains("kv_version"), e.getMessage()); // says how to do without the preflight
        int preflights = vault.preflights.get();
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app?kv_version=2#/password"));
        assertEquals("pw-v1", resolve("ref+vault://secret/data/app?kv_version=2&mount=secret&version=1#/password"));
        assertEquals("legacy-s3cret", resolve("ref+vault://kv/legacy?kv_version=1#/password"));
        assertEquals(preflights, vault.preflights.get());
    }

    @Test
    void theNamespaceIsSentOnEveryRequest() {
        vault.namespace("team-a");
        assertEquals(Reason.DENIED, failure("ref+vault://secret/app#/password").reason());
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app?namespace=team-a#/password"));
        vault.namespacesSeen.clear();
        env.put("VAULT_NAMESPACE", "team-a");
        useAppRole(new FakeVault.TokenInfo(true, 3600, true));
        assertEquals("svc", resolve("ref+vault://secret/other#/user"));
        assertEquals(List.of("team-a", "team-a", "team-a"), vault.namespacesSeen); // login, preflight, read
    }

    @Test
    void aPrivateCaIsTrustedThroughVaultCacert() throws Exception {
        try (FakeVault tls = FakeVault.https(dir)) {
            tls.kv("secret", 2).token(TOKEN, new FakeVault.TokenInfo(true, 0, false)).put("secret/app", Map.of("password", "tls-s3cret"));
            env.put("VAULT_ADDR", tls.address());
            SecretResolutionException untrusted = failure("ref+vault://secret/app#/password");
            assertEquals(Reason.UNREACHABLE, untrusted.reason());
            assertTrue(untrusted.getMessage().contains("VAULT_CACERT"), untrusted.getMessage());
            env.put("VAULT_CACERT", tls.caPem().toString());
            assertEquals("tls-s3cret", resolve("ref+vault://secret/app#/password"));
            env.remove("VAULT_CACERT");
            env.put("VAULT_CAPATH", tls.caPem().getParent().toString());
            Files.delete(dir.resolve("vault.p12")); // only PEM files in the CA directory
            assertEquals("tls-s3cret", resolve("ref+vault://secret/app#/password"));
        }
    }

    @Test
    void openbaoPrefersBaoVariablesAndFallsBackToVaultOnes() throws IOException {
        try (FakeVault bao = FakeVault.http()) {
            bao.kv("secret", 2).token("s.bao-token", new FakeVault.TokenInfo(true, 0, false)).put("secret/app", Map.of("password", "bao-s3cret"));
            env.put("BAO_ADDR", bao.address());
            env.put("BAO_TOKEN", "s.bao-token");
            assertEquals("bao-s3cret", resolve("ref+openbao://secret/app#/password"));
            assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app#/password")); // vault ignores BAO_*
            env.remove("BAO_ADDR");
            env.remove("BAO_TOKEN");
            assertEquals("pw-v2-s3cret", resolve("ref+openbao://secret/app#/password")); // VAULT_* as the fallback
            env.remove("VAULT_ADDR");
            SecretResolutionException e = failure("ref+openbao://secret/app#/password");
            assertTrue(e.getMessage().contains("BAO_ADDR"), e.getMessage());
        }
    }

    @Test
    void theTokenFileIsReadWhenNoTokenVariableIsSet() throws IOException {
        env.remove("VAULT_TOKEN");
        assertEquals(Reason.INVALID_REFERENCE, failure("ref+vault://secret/app#/password").reason());
        Files.writeString(dir.resolve(".vault-token"), TOKEN + "\n");
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app#/password"));
        Files.delete(dir.resolve(".vault-token"));
        Path other = Files.writeString(dir.resolve("tok"), TOKEN);
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app?token_file=" + other + "#/password"));
        env.put("MY_TOKEN", TOKEN);
        assertEquals("pw-v2-s3cret", resolve("ref+vault://secret/app?token_env=MY_TOKEN#/password"));
    }

    @Test
    void nothingSecretAppearsInMessagesOrToString() throws IOException {
        useAppRole(new FakeVault.TokenInfo(true, 3600, true));
        resolve("ref+vault://secret/app#/password");
        List<String> texts = new ArrayList<>();
        texts.add(resolver.toString());
        texts.add(failure("ref+vault://secret/app#/nope").getMessage());
        texts.add(failure("ref+vault://secret/app?secret_id=" + SECRET_ID + "x#/password").getMessage().replace(SECRET_ID + "x", ""));
        env.put("VAULT_SECRET_ID", SECRET_ID + "-wrong");
        texts.add(failure("ref+vault://secret/app?namespace=n#/password").getMessage());
        env.put("VAULT_AUTH_METHOD", "token");
        env.put("VAULT_TOKEN", TOKEN + "-wrong");
        texts.add(failure("ref+vault://secret/app#/password").getMessage());
        env.put("VAULT_TOKEN", TOKEN);
        VaultStore store = VaultStore.of(SecretReference.parse("ref+vault://secret/app"), env::get);
        texts.add(store.toString());
        vault.sealed(true);
        texts.add(failure("ref+vault://secret/other#/user").getMessage());
        for (String text : texts) {
            for (String secret : List.of(TOKEN, SECRET_ID, "hvs.issued", "pw-v2-s3cret", "pw-v1", "svc")) {
                assertFalse(text.contains(secret), secret + " in: " + text);
            }
        }
    }

    @Test
    void aSecretIdInTheReferenceIsRefused() {
        SecretResolutionException e = failure("ref+vault://secret/app?auth_method=approle&role_id=r&secret_id=abc#/password");
        assertEquals(Reason.INVALID_REFERENCE, e.reason());
        assertTrue(e.getMessage().contains("VAULT_SECRET_ID"), e.getMessage());
    }
}
