package dev.helmsdk.secrets;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.contract.SecretResolverContract;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * {@link SecretResolverContract} for {@link KubernetesResolver} on an {@link EmbeddedKubernetes} (one per
 * class), reading through the connection the manager would give it ({@link SecretContext#connection}).
 */
@Tag("integration")
class KubernetesResolverContractTest extends SecretResolverContract {

    private static final String PASSWORD = "k8s-canary-pw-a4e2c7";
    private static EmbeddedKubernetes cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedKubernetes.start();
        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("contract").endMetadata().build()).create();
        cluster.client().secrets().inNamespace("contract").resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToStringData(Map.of("user", "app", "password", PASSWORD)).build()).create();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected SecretContext context(Duration timeLeft) {
        return new SecretContext(Operation.INSTALL, "contract", "contract", () -> timeLeft, List.of(cluster.client()));
    }

    @Override
    protected SecretResolver resolver() {
        return new KubernetesResolver();
    }

    @Override
    protected String existingReference() {
        return "ref+k8s://v1/Secret/contract/db#/password";
    }

    @Override
    protected Object expectedValue() {
        return PASSWORD;
    }

    @Override
    protected Optional<String> missingSecretReference() {
        return Optional.of("ref+k8s://v1/Secret/contract/nothing/password");
    }

    @Override
    protected Optional<String> missingKeyReference() {
        return Optional.of("ref+k8s://v1/Secret/contract/db/token");
    }
}
