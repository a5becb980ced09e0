package dev.helmsdk.it.secrets;

import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;

/** {@link K8sResolverContract} on the embedded API server. */
class K8sResolverEmbeddedTest extends K8sResolverContract {

    @Override
    TestCluster startCluster() {
        return EmbeddedKubernetes.start();
    }
}
