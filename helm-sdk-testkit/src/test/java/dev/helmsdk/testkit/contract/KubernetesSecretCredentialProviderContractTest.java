package dev.helmsdk.testkit.contract;

import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.auth.KubernetesSecretCredentialProvider;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * The contract for {@link KubernetesSecretCredentialProvider}, reading a {@code kubernetes.io/basic-auth}
 * Secret through a real fabric8 client from an {@link EmbeddedKubernetes} API server (one per class;
 * every test rewrites the Secret first).
 */
@Tag("integration")
class KubernetesSecretCredentialProviderContractTest extends StoredCredentialProviderContract {

    static final String PASSWORD = "secret-canary-pw-3e7a1d";
    static final String ROTATED = "secret-rotated-pw-8b4f2c";
    static final String NAMESPACE = "default";
    static final String NAME = "registry-login";

    static EmbeddedKubernetes cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedKubernetes.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void writeSecret() {
        secret(Map.of("username", "robot", "password", PASSWORD));
    }

    static void secret(Map<String, String> stringData) {
        // stringData, as kubectl users write it; the provider reads it as it reads data.
        Secret s = new SecretBuilder().withNewMetadata().withName(NAME).withNamespace(NAMESPACE).endMetadata()
                .withType("kubernetes.io/basic-auth").withStringData(stringData).build();
        cluster.client().secrets().inNamespace(NAMESPACE).withName(NAME).delete();
        cluster.client().secrets().inNamespace(NAMESPACE).resource(s).createOr(NonDeletingOperation::update);
    }

    @Override
    protected CredentialProvider provider() {
        return KubernetesSecretCredentialProvider.builder(cluster.client())
                .secret(URI.create("oci://registry.example.com:5000/charts"), NAMESPACE, NAME)
                .build();
    }

    @Override
    protected URI knownRepository() {
        return URI.create("oci://registry.example.com:5000/charts/shop");
    }

    @Override
    protected URI unknownRepository() {
        return URI.create("oci://registry.example.com:5000/other");
    }

    @Override
    protected Set<String> secretValues() {
        return Set.of(PASSWORD, ROTATED);
    }

    @Override
    protected void rotate() {
        secret(Map.of("username", "robot", "password", ROTATED));
    }

    /** The Secret loses its username but keeps the password, so a leak through the error would show. */
    @Override
    protected String breakSource() {
        secret(Map.of("password", PASSWORD));
        return "Secret " + NAMESPACE + "/" + NAME;
    }
}
