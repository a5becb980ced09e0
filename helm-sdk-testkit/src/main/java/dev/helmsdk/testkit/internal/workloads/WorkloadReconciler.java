package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.ObjectStore;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The reconcile functions of the simulated controllers. Each one reads the current state, makes the dependent
 * objects match and writes a status computed the way the real controller computes it (field names, omitted zero
 * counts, condition reasons and messages), so code that reads status sees what it would see on a cluster.
 *
 * <p>The entry points the {@link SimulatedController} calls; each kind's controller is its own class.
 */
final class WorkloadReconciler {

  private final DeploymentReconciler deployments;
  private final StatefulSetReconciler statefulSets;
  private final DaemonSetReconciler daemonSets;
  private final JobReconciler jobs;
  private final PodReconciler pods;
  private final InfrastructureReconciler infrastructure;
  private final GarbageCollector garbage;

  WorkloadReconciler(ObjectStore store, SimulatedController controller) {
    OwnedObjects objects = new OwnedObjects(store);
    deployments = new DeploymentReconciler(store, controller, objects);
    statefulSets = new StatefulSetReconciler(store, objects);
    daemonSets = new DaemonSetReconciler(store, objects);
    jobs = new JobReconciler(store, objects);
    pods = new PodReconciler(store, controller);
    infrastructure = new InfrastructureReconciler(store);
    garbage = new GarbageCollector(store, objects);
  }

  void deployment(String ns, String name) {
    deployments.deployment(ns, name);
  }

  void replicaSet(String ns, String name) {
    deployments.replicaSet(ns, name);
  }

  void statefulSet(String ns, String name) {
    statefulSets.statefulSet(ns, name);
  }

  void daemonSet(String ns, String name) {
    daemonSets.daemonSet(ns, name);
  }

  void job(String ns, String name) {
    jobs.job(ns, name);
  }

  void pod(String ns, String name) {
    pods.pod(ns, name);
  }

  List<ObjectNode> allPods(String ns) {
    return pods.allPods(ns);
  }

  void service(String ns, String name) {
    infrastructure.service(ns, name);
  }

  void persistentVolumeClaim(String ns, String name) {
    infrastructure.persistentVolumeClaim(ns, name);
  }

  void customResourceDefinition(String name) {
    infrastructure.customResourceDefinition(name);
  }

  /** Deletes (or, for {@code Orphan}, releases) every object owned by the deleted object with this uid. */
  void collectDependents(String ownerUid, String propagationPolicy) {
    garbage.collectDependents(ownerUid, propagationPolicy);
  }

  void deleteNamespaceContents(String namespace) {
    garbage.deleteNamespaceContents(namespace);
  }
}
