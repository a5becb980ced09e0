package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.testkit.contract.SecretResolverContract;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** {@link SecretResolverContract} for {@link VaultResolver} against a {@link FakeVault} (KV v2), token auth. */
@Tag("integration")
class VaultResolverContractTest extends SecretResolverContract {

    private static final String TOKEN = "hvs.contract-token-2c41";
    private FakeVault vault;
    private Map<String, String> env;

    @BeforeEach
    void startVault() throws IOException {
        vault = FakeVault.http().kv("secret", 2).token(TOKEN, new FakeVault.TokenInfo(true, 0, false))
                .put("secret/shop", Map.of("user", "app", "password", "vault-canary-pw-0e7d55", "port", 5432));
        env = Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", TOKEN, "HOME", "/nonexistent");
    }

    @AfterEach
    void stopVault() {
        vault.close();
    }

    @Override
    protected SecretResolver resolver() {
        return new VaultResolver(env::get);
    }

    @Override
    protected String existingReference() {
        return "ref+vault://secret/shop#/password";
    }

    @Override
    protected Object expectedValue() {
        return "vault-canary-pw-0e7d55";
    }

    @Override
    protected java.util.Set<String> secretValues() {
        return java.util.Set.of("vault-canary-pw-0e7d55", TOKEN);
    }

    @Override
    protected Optional<String> missingSecretReference() {
        return Optional.of("ref+vault://secret/nothing#/password");
    }

    @Override
    protected Optional<String> missingKeyReference() {
        return Optional.of("ref+vault://secret/shop#/token");
    }
}
