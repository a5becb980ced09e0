package dev.helmsdk.it.readiness;

import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;

/** {@link ReadinessWaiterContract} against the embedded Kubernetes API and its simulated controllers. */
class EmbeddedReadinessWaiterTest extends ReadinessWaiterContract {

    @Override
    TestCluster startCluster() {
        return EmbeddedKubernetes.start();
    }
}
