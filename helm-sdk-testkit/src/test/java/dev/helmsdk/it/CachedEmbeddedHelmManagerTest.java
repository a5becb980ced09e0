package dev.helmsdk.it;

import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.ReleaseCache;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;

/**
 * The whole {@link RealHelmManagerContract} against the embedded Kubernetes API with the release cache on for the
 * cluster: every read there follows a change of the same manager, so each one checks read-your-writes, and the
 * results must be those of the direct reads.
 */
class CachedEmbeddedHelmManagerTest extends RealHelmManagerContract {

    @Override
    TestCluster startCluster() {
        return EmbeddedKubernetes.start();
    }

    @Override
    HelmSdk.Builder configure(HelmSdk.Builder builder) {
        return builder.releaseCache(ReleaseCache.clusterWide());
    }

    @Override
    boolean cachedReads() {
        return true;
    }
}
