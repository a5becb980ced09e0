package dev.helmsdk.it.cache;

import dev.helmsdk.api.KubernetesApiException;
import dev.helmsdk.core.ReleaseCache;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.TestCluster;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ReleaseCacheContract} on a real control plane (kube-apiserver and etcd: real watches, bookmarks and
 * resourceVersions), and what only a real server has: RBAC refusing the cache's list and watch.
 * Skips with an install hint where the binaries cannot be had; fails instead when {@code CI=true}.
 */
class ControlPlaneReleaseCacheTest extends ReleaseCacheContract {

    @Override
    TestCluster startCluster() {
        return KubernetesControlPlane.startOrSkip();
    }

    @Test
    void aUserWhoMayNotWatchSecretsGetsATypedErrorFromBuild() {
        KubernetesControlPlane cp = (KubernetesControlPlane) cluster;
        KubernetesApiException e = assertThrows(KubernetesApiException.class, () -> HelmSdk.builder()
                .kubeConfig(cp.restrictedKubeConfigPath()).releaseCache(ReleaseCache.namespaces("cache-a")).build());
        assertEquals(403, e.statusCode().orElseThrow(), e.getMessage());
        assertTrue(e.getMessage().contains("namespace 'cache-a'") && e.getMessage().contains("grant list and watch on secrets"), e.getMessage());
    }
}
