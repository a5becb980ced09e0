package dev.helmsdk.it;

import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;

/**
 * {@link RealHelmManagerContract} against the embedded Kubernetes API, with Helm in isolated child
 * processes ({@link HelmSdk.HelmProcess#ISOLATED}): every behaviour must be the same as in process.
 */
class IsolatedEmbeddedHelmManagerTest extends RealHelmManagerContract {

    @Override
    TestCluster startCluster() {
        return EmbeddedKubernetes.start();
    }

    @Override
    HelmSdk.Builder configure(HelmSdk.Builder builder) {
        return builder.helmProcess(HelmSdk.HelmProcess.ISOLATED);
    }
}
