package dev.helmsdk.secrets;

import com.azure.core.credential.AccessToken;
import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.testkit.contract.SecretResolverContract;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import reactor.core.publisher.Mono;

/** {@link SecretResolverContract} for {@link AzureKeyVaultResolver} against a {@link FakeKeyVault}, a JSON secret. */
@Tag("integration")
class AzureKeyVaultResolverContractTest extends SecretResolverContract {

    private static final String PASSWORD = "azure-canary-pw-" + UUID.randomUUID();
    private final String token = "fake-bearer-" + UUID.randomUUID();
    /** A vault of its own per test: the Azure SDK caches a vault's challenge process-wide, by host. */
    private final String vaultName = "kv" + UUID.randomUUID().toString().substring(0, 8);
    private FakeKeyVault vault;
    private KeyVaultClients clients;

    @BeforeEach
    void startVault() throws Exception {
        vault = new FakeKeyVault(token);
        vault.put("db", "{\"user\": \"app\", \"password\": \"" + PASSWORD + "\", \"port\": 5432}");
        clients = new KeyVaultClients(new AzureKeyVaultFakeTest.CountingCredential(
                r -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)))),
                AzureKeyVaultFakeTest.transportTo(vault.address(), vault.certificate()));
    }

    @AfterEach
    void stopVault() {
        vault.close();
    }

    @Override
    protected SecretResolver resolver() {
        return new AzureKeyVaultResolver(() -> clients);
    }

    @Override
    protected String existingReference() {
        return "ref+azurekeyvault://" + vaultName + "/db#/password";
    }

    @Override
    protected Object expectedValue() {
        return PASSWORD;
    }

    @Override
    protected Set<String> secretValues() {
        return Set.of(PASSWORD, token);
    }

    @Override
    protected Optional<String> missingSecretReference() {
        return Optional.of("ref+azurekeyvault://" + vaultName + "/nothing#/password");
    }

    @Override
    protected Optional<String> missingKeyReference() {
        return Optional.of("ref+azurekeyvault://" + vaultName + "/db#/token");
    }
}
