package dev.helmsdk.secrets;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ExternalSecretResolver}'s grammar and its refusals, against fabric8's mock API server. The
 * waiting (late, stale, never synced) is tested on the real control plane with ESO's CRD, in the
 * testkit (ExternalSecretControlPlaneTest).
 */
@EnableKubernetesMockClient
class ExternalSecretResolverTest {

    KubernetesMockServer server;
    KubernetesClient client;

    private final ExternalSecretResolver resolver = new ExternalSecretResolver();

    private SecretResolutionException fails(String ref, SecretContext context) {
        return assertThrows(SecretResolutionException.class, () -> resolver.resolve(SecretReference.parse(ref), context));
    }

    private SecretContext connected() {
        return new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofSeconds(5), List.of(client));
    }

    @Test
    void badReferencesAreInvalid() {
        for (String bad : List.of("ref+externalsecret://apps", "ref+externalsecret://apps//password", "ref+externalsecret:///es/password",
                "ref+externalsecret://apps/es/password/more", "ref+externalsecret://apps/es/", "ref+externalsecret://apps/es/password#/password",
                "ref+externalsecret://apps/es/password?refresh=false")) {
            SecretResolutionException e = fails(bad, connected());
            assertEquals(Reason.INVALID_REFERENCE, e.reason(), bad + ": " + e.getMessage());
        }
        assertEquals(Reason.INVALID_REFERENCE, fails("ref+externalsecret://apps/es/password", CONTEXT).reason(), "no connection");
    }

    @Test
    void aMissingExternalSecretIsNotFoundAndAForbiddenForceSyncDenied() {
        server.expect().get().withPath("/apis/external-secrets.io/v1/namespaces/apps/externalsecrets/gone")
                .andReturn(404, new StatusBuilder().withCode(404).withReason("NotFound").build()).always();
        SecretResolutionException gone = fails("ref+externalsecret://apps/gone/password", connected());
        assertEquals(Reason.NOT_FOUND, gone.reason());
        assertTrue(gone.getMessage().contains("no ExternalSecret apps/gone"), gone.getMessage());

        server.expect().get().withPath("/apis/external-secrets.io/v1/namespaces/apps/externalsecrets/db").andReturn(200,
                new GenericKubernetesResourceBuilder().withApiVersion("external-secrets.io/v1").withKind("ExternalSecret")
                        .withNewMetadata().withName("db").withNamespace("apps").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("refreshInterval", "1h")).build()).always();
        server.expect().patch().withPath("/apis/external-secrets.io/v1/namespaces/apps/externalsecrets/db")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").build()).always();
        SecretResolutionException denied = fails("ref+externalsecret://apps/db/password", connected());
        assertEquals(Reason.DENIED, denied.reason());
        assertTrue(denied.getMessage().contains("patch ExternalSecret apps/db (annotation force-sync"), denied.getMessage());
    }
}
