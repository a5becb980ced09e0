package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RealHelmManagerContract} against a real control plane (kube-apiserver, controller-manager,
 * scheduler, etcd, KWOK), plus what only a real API server does: RBAC and quota admission.
 * Skips with an install hint where the binaries cannot be had; fails instead when {@code CI=true}.
 */
class ControlPlaneHelmManagerTest extends RealHelmManagerContract {

    private static final ChartRef WEB = ChartRef.local(TestCharts.local("sdk-web"));

    @Override
    TestCluster startCluster() {
        return KubernetesControlPlane.startOrSkip();
    }

    @Test
    void aUserWithoutPermissionGetsATypedForbidden() {
        KubernetesControlPlane cp = (KubernetesControlPlane) cluster;
        try (HelmManager restricted = HelmSdk.builder().kubeConfig(cp.restrictedKubeConfigPath()).build()) {
            KubernetesApiException e = assertThrows(KubernetesApiException.class,
                    () -> restricted.install("denied").chart(WEB).run());
            assertEquals(403, e.statusCode().orElseThrow(), e.getMessage());
            assertTrue(e.getMessage().contains("forbidden"), e.getMessage());
            assertEquals(403, assertThrows(KubernetesApiException.class, () -> restricted.status("denied").run())
                    .statusCode().orElseThrow());
        }
        assertNull(kube.apps().deployments().inNamespace("default").withName("denied").get(), "nothing was created");
    }

    @Test
    void aResourceQuotaRejectsAnInstall() {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("quota").endMetadata().build()).create();
        kube.resourceQuotas().inNamespace("quota").resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-services")
                .endMetadata().withNewSpec().addToHard("services", new io.fabric8.kubernetes.api.model.Quantity("0")).endSpec().build()).create();
        RealHelmManagerContract.await(java.time.Duration.ofSeconds(30), () -> {
            var q = kube.resourceQuotas().inNamespace("quota").withName("no-services").get();
            return q.getStatus() != null && q.getStatus().getHard() != null && !q.getStatus().getHard().isEmpty();
        }, "the quota controller has computed the quota's status");
        KubernetesApiException e = assertThrows(KubernetesApiException.class,
                () -> helm.install("over").inNamespace("quota").chart(WEB).run());
        assertTrue(e.getMessage().contains("exceeded quota"), e.getMessage());
        assertEquals(ReleaseStatus.FAILED, helm.status("over").inNamespace("quota").run().status());
    }
}
