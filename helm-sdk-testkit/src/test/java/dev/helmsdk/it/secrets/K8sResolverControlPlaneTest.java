package dev.helmsdk.it.secrets;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.secrets.KubernetesResolver;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link K8sResolverContract} on the real control plane, plus RBAC: user {@code restricted}, bound
 * to a Role that may get ConfigMaps but not Secrets in the namespace, reads the ConfigMap and is
 * {@code DENIED} the Secret, through its own connection or through {@code ?kubeContext=}. Skips
 * with an install hint where the binaries cannot be had; fails instead when {@code CI=true}.
 */
class K8sResolverControlPlaneTest extends K8sResolverContract {

    @Override
    TestCluster startCluster() {
        return KubernetesControlPlane.startOrSkip();
    }

    @Test
    void anIdentityRbacForbidsTheSecretIsDenied() throws InterruptedException {
        kube.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("read-configmaps").endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get").endRule().build()).create();
        kube.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName("restricted-configmaps")
                .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("read-configmaps")
                .endRoleRef().addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("restricted").endSubject()
                .build()).create();
        Path restricted = ((KubernetesControlPlane) cluster).restrictedKubeConfigPath();
        try (KubernetesResolver resolver = new KubernetesResolver();
             KubernetesClient asRestricted = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null, restricted.toFile())).build()) {
            SecretContext connected = new SecretContext(Operation.INSTALL, "web", NS, () -> Duration.ofSeconds(20), List.of(asRestricted));
            SecretReference configMap = SecretReference.parse("ref+k8s://v1/ConfigMap/" + NS + "/ui/color");
            for (int i = 0; i < 50; i++) { // the authorizer sees the new binding within moments
                try {
                    resolver.resolve(configMap, connected);
                    break;
                } catch (SecretResolutionException e) {
                    Thread.sleep(100);
                }
            }
            assertEquals("#c0ffee", resolver.resolve(configMap, connected), "the binding lets it read ConfigMaps");
            SecretResolutionException denied = fails(resolver, "ref+k8s://v1/Secret/" + NS + "/db/password", connected);
            assertEquals(Reason.DENIED, denied.reason(), denied.getMessage());
            assertTrue(denied.getMessage().contains("HTTP 403") && denied.getMessage().contains("Secret " + NS + "/db"), denied.getMessage());
            assertTrue(!denied.retryable(), "a denial is not retried");

            String viaContext = "?kubeConfigPath=" + restricted + "&kubeContext=restricted@testenv";
            assertEquals("#c0ffee", resolver.resolve(SecretReference.parse(configMap.text() + viaContext), unconnected()));
            assertEquals(Reason.DENIED, fails(resolver, "ref+k8s://v1/Secret/" + NS + "/db/password" + viaContext, unconnected()).reason());
        }
        // The admin manager, told to read as restricted: denied, and nothing installed.
        SecretResolutionException e = assertThrows(SecretResolutionException.class, () -> helm.install("denied").inNamespace(NS).chart(PODINFO)
                .set("ui.message", "ref+k8s://v1/Secret/" + NS + "/db/password?kubeConfigPath=" + restricted + "&kubeContext=restricted@testenv")
                .run());
        assertEquals(Reason.DENIED, e.reason(), e.getMessage());
        assertTrue(helm.exists("denied").inNamespace(NS).run().isEmpty());
    }
}
