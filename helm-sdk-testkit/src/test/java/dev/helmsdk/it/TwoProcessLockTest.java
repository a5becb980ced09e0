package dev.helmsdk.it;

import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.TestCluster;

/** {@link TwoProcessLockContract} against a real control plane (skips where its binaries cannot be had, fails on CI). */
class TwoProcessLockTest extends TwoProcessLockContract {

    @Override
    TestCluster startCluster() {
        return KubernetesControlPlane.startOrSkip();
    }
}
