package dev.helmsdk.it;

import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;

/** {@link RealHelmManagerContract} against the embedded Kubernetes API. */
class EmbeddedHelmManagerTest extends RealHelmManagerContract {

    @Override
    TestCluster startCluster() {
        return EmbeddedKubernetes.start();
    }
}
