/**
 * Inside {@link dev.helmsdk.testkit.KubernetesControlPlane}: finding the etcd, kube-apiserver and
 * kube-controller-manager binaries, starting and stopping them as child processes, and reading the
 * API server's audit log. Not API.
 */
package dev.helmsdk.testkit.internal.controlplane;
