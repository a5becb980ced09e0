package dev.helmsdk.it;

import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;

/** {@link HelmManagerContract} against the embedded Kubernetes API. */
class EmbeddedHelmManagerTest extends HelmManagerContract {

    @Override
    TestCluster startCluster() {
        return EmbeddedKubernetes.start();
    }
}
