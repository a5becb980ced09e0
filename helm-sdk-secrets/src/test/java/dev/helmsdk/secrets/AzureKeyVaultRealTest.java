package dev.helmsdk.secrets;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opt-in: the azurekeyvault resolver against a real Azure Key Vault, with the credentials
 * DefaultAzureCredential finds. No Key Vault emulator can be had on these machines (CI included), so
 * this test runs only when {@code AZURE_KEYVAULT_URL} names a vault ({@code https://<name>.vault.azure.net/})
 * whose identity may set, get and delete secrets; it skips otherwise, in CI too. It writes one secret
 * with a random name and deletes it. {@link AzureKeyVaultFakeTest} covers the same paths on every build.
 */
@Tag("integration")
class AzureKeyVaultRealTest {

    @Test
    void resolvesASecretItWroteThenReportsAMissingOneAsNotFound() {
        String url = System.getenv("AZURE_KEYVAULT_URL");
        assumeTrue(url != null && !url.isBlank(), "set AZURE_KEYVAULT_URL (and Azure credentials) to run against a real Key Vault");
        String host = URI.create(url.strip()).getHost();
        SecretClient admin = new SecretClientBuilder().vaultUrl(url.strip()).credential(new DefaultAzureCredentialBuilder().build()).buildClient();
        String name = "helmsdk-test-" + UUID.randomUUID();
        String password = UUID.randomUUID().toString();
        String value = "{\"password\": \"" + password + "\"}";
        String version = admin.setSecret(name, value).getProperties().getVersion();
        try {
            AzureKeyVaultResolver resolver = new AzureKeyVaultResolver();
            SecretContext context = new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofSeconds(30));
            assertEquals(value, resolver.resolve(SecretReference.parse("ref+azurekeyvault://" + host + "/" + name), context));
            assertEquals(value, resolver.resolve(SecretReference.parse("ref+azurekeyvault://" + host + "/" + name + "/" + version), context));
            assertEquals(password, resolver.resolve(SecretReference.parse("ref+azurekeyvault://" + host + "/" + name + "#/password"), context));
            assertEquals(Reason.NOT_FOUND, assertThrows(SecretResolutionException.class,
                    () -> resolver.resolve(SecretReference.parse("ref+azurekeyvault://" + host + "/" + name + "-absent"), context)).reason());
        } finally {
            admin.beginDeleteSecret(name);
        }
    }
}
