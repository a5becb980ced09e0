/**
 * Inside {@link dev.helmsdk.testkit.EmbeddedKubernetes}: the simulated controllers and kubelet that move
 * Deployments, StatefulSets, DaemonSets, Jobs and Pods to ready (or to a
 * {@link dev.helmsdk.testkit.WorkloadFailure}), one reconciler per kind, and the garbage collector. Not API.
 */
package dev.helmsdk.testkit.internal.workloads;
