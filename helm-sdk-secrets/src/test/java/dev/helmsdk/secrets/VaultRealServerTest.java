package dev.helmsdk.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VaultResolver} against a REAL Vault or OpenBao server, opt-in: it runs only when
 * {@code VAULT_ADDR} and {@code VAULT_TOKEN} are set (e.g. {@code vault server -dev}, whose
 * {@code secret/} is KV v2; another KV v2 mount with {@code VAULT_TEST_MOUNT}) and is skipped
 * otherwise, also under {@code CI=true}: no Vault or OpenBao server can be had on this project's
 * machines (neither installs here), so CI runs {@link VaultResolverTest} against {@link FakeVault}.
 * It writes two versions of one secret under {@code <mount>/helm-sdk-test/<random>}, reads them
 * through the resolver as users would (the mounts preflight, {@code VAULT_CACERT} and
 * {@code VAULT_NAMESPACE} from the environment) and deletes the secret's metadata afterwards.
 */
@Tag("integration")
@EnabledIfEnvironmentVariable(named = "VAULT_ADDR", matches = ".+")
@EnabledIfEnvironmentVariable(named = "VAULT_TOKEN", matches = ".+")
class VaultRealServerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readsVersionsKeysAndTheWholeSecretFromARealServer() throws Exception {
        String mount = System.getenv().getOrDefault("VAULT_TEST_MOUNT", "secret");
        String name = "helm-sdk-test/" + UUID.randomUUID();
        write(mount + "/data/" + name, Map.of("data", Map.of("password", "first")));
        write(mount + "/data/" + name, Map.of("data", Map.of("password", "second", "port", 5432)));
        try {
            VaultResolver resolver = new VaultResolver();
            assertEquals("second", resolver.resolve(SecretReference.parse("ref+vault://" + mount + "/" + name + "#/password"), CONTEXT));
            assertEquals("first", resolver.resolve(SecretReference.parse("ref+vault://" + mount + "/" + name + "?version=1#/password"), CONTEXT));
            assertEquals(Map.of("password", "second", "port", 5432),
                    resolver.resolve(SecretReference.parse("ref+vault://" + mount + "/data/" + name), CONTEXT));
            SecretResolutionException missing = assertThrows(SecretResolutionException.class,
                    () -> resolver.resolve(SecretReference.parse("ref+vault://" + mount + "/" + name + "#/nope"), CONTEXT));
            assertEquals(Reason.MISSING_KEY, missing.reason());
            SecretResolutionException absent = assertThrows(SecretResolutionException.class,
                    () -> resolver.resolve(SecretReference.parse("ref+vault://" + mount + "/" + name + "-absent#/password"), CONTEXT));
            assertEquals(Reason.NOT_FOUND, absent.reason());
        } finally {
            send("DELETE", mount + "/metadata/" + name, null);
        }
    }

    private void write(String path, Map<String, ?> body) throws IOException, InterruptedException {
        HttpResponse<String> answer = send("POST", path, json.writeValueAsString(body));
        assertTrue(answer.statusCode() / 100 == 2, "writing " + path + ": HTTP " + answer.statusCode()
                + " (is the mount KV v2? set VAULT_TEST_MOUNT)");
        JsonNode version = json.readTree(answer.body()).path("data").path("version");
        assertTrue(version.isNumber(), "no version in the answer to writing " + path);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(System.getenv("VAULT_ADDR").replaceAll("/+$", "") + "/v1/" + path))
                .timeout(Duration.ofSeconds(10)).header("X-Vault-Token", System.getenv("VAULT_TOKEN"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        String namespace = System.getenv("VAULT_NAMESPACE");
        if (namespace != null && !namespace.isBlank()) {
            request.header("X-Vault-Namespace", namespace);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
