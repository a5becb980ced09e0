package dev.helmsdk.it;

import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.TestCluster;

/**
 * {@link TwoProcessLockContract} against the embedded Kubernetes API; the child JVM reaches it through its
 * kubeconfig file (it listens on loopback).
 */
class EmbeddedTwoProcessLockTest extends TwoProcessLockContract {

    @Override
    TestCluster startCluster() {
        return EmbeddedKubernetes.start();
    }
}
