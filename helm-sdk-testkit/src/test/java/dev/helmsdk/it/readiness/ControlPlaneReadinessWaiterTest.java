package dev.helmsdk.it.readiness;

import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.TestCluster;

/**
 * {@link ReadinessWaiterContract} against a real control plane (kube-apiserver, controller-manager, scheduler, etcd,
 * KWOK): the real Deployment, ReplicaSet, StatefulSet and Job controllers write the statuses. Skips with an install
 * hint where the binaries cannot be had; fails instead when {@code CI=true}.
 */
class ControlPlaneReadinessWaiterTest extends ReadinessWaiterContract {

    @Override
    TestCluster startCluster() {
        return KubernetesControlPlane.startOrSkip();
    }
}
