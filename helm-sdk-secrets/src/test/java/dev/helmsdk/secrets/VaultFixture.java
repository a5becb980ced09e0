package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link VaultResolver} against a {@link FakeVault} (a fake of the documented endpoints it calls: no
 * real Vault can be had here) holding a KV v2 mount {@code secret} and a KV v1 mount {@code kv}, with
 * a token, an environment and a clock each test changes.
 */
abstract class VaultFixture {

    static final String TOKEN = "hvs.given-token-77";
    static final String SECRET_ID = "secret-id-5c9194b9";
    static final String JWT = "eyJhbGciOi.jwt-payload.sig";

    @TempDir
    Path dir;

    FakeVault vault;
    final Map<String, String> env = new HashMap<>();
    final MutableClock clock = new MutableClock();
    VaultResolver resolver;

    @BeforeEach
    void start() throws IOException {
        vault = FakeVault.http().kv("secret", 2).kv("kv", 1).token(TOKEN, new FakeVault.TokenInfo(true, 0, false))
                .put("secret/app", Map.of("password", "pw-v1"))
                .put("secret/app", Map.of("password", "pw-v2-s3cret", "port", 5432, "tls", true))
                .put("secret/other", Map.of("user", "svc"))
                .put("kv/legacy", Map.of("password", "legacy-s3cret"));
        env.put("VAULT_ADDR", vault.address());
        env.put("VAULT_TOKEN", TOKEN);
        env.put("HOME", dir.toString());
        resolver = new VaultResolver(env::get, clock);
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    Object resolve(String ref) {
        return resolver.resolve(SecretReference.parse(ref), EnvSubstResolverTest.CONTEXT);
    }

    SecretResolutionException failure(String ref) {
        return assertThrows(SecretResolutionException.class, () -> resolve(ref));
    }

    void useAppRole(FakeVault.TokenInfo issued) {
        vault.appRole("approle", "role-1", SECRET_ID).issuing(issued);
        env.remove("VAULT_TOKEN");
        env.put("VAULT_AUTH_METHOD", "approle");
        env.put("VAULT_ROLE_ID", "role-1");
        env.put("VAULT_SECRET_ID", SECRET_ID);
    }

    /** A clock the test moves: token lifetimes without waiting. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
