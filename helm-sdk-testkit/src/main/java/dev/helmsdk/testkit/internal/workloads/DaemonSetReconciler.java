package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.Json;
import dev.helmsdk.testkit.internal.apiserver.ObjectStore;
import dev.helmsdk.testkit.internal.apiserver.ResourceType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.helmsdk.testkit.internal.workloads.ObjectFields.label;
import static dev.helmsdk.testkit.internal.workloads.ObjectFields.putNonZero;
import static dev.helmsdk.testkit.internal.workloads.ObjectFields.terminating;
import static dev.helmsdk.testkit.internal.workloads.PodTemplateHash.REVISION_HASH;
import static dev.helmsdk.testkit.internal.workloads.PodTemplateHash.templateHash;

/** The DaemonSet controller on the single simulated node: one pod of the current template revision, and its status. */
final class DaemonSetReconciler {

  private final ObjectStore store;
  private final OwnedObjects objects;
  private final ResourceType daemonSets;
  private final ResourceType pods;

  DaemonSetReconciler(ObjectStore store, OwnedObjects objects) {
    this.store = store;
    this.objects = objects;
    daemonSets = store.resources().find("apps", "v1", "daemonsets").orElseThrow();
    pods = store.resources().find("", "v1", "pods").orElseThrow();
  }

  void daemonSet(String ns, String name) {
    Optional<ObjectNode> found = store.find(daemonSets, ns, name);
    if (found.isEmpty() || terminating(found.get())) {
      return;
    }
    ObjectNode ds = found.get();
    String uid = Json.uid(ds);
    String hash = templateHash(ds.path("spec").path("template"));
    long generation = ds.path("metadata").path("generation").asLong(1);
    List<ObjectNode> live = objects.livePods(ns, uid);
    if (live.isEmpty()) {
      objects.createPod(ds, name + "-", ds.path("spec").path("template"),
          Map.of(REVISION_HASH, hash, "pod-template-generation", String.valueOf(generation)), null);
    } else {
      for (int i = 0; i < live.size(); i++) {
        if (i > 0 || !hash.equals(label(live.get(i), REVISION_HASH))) {
          objects.deleteQuietly(pods, ns, Json.name(live.get(i)));
        }
      }
    }
    List<ObjectNode> now = objects.livePods(ns, uid);
    store.updateStatus(daemonSets, ns, name, cur -> {
      int ready = (int) now.stream().filter(Kubelet::isReady).count();
      int updated = (int) now.stream().filter(p -> hash.equals(label(p, REVISION_HASH))).count();
      ObjectNode status = Json.object();
      status.put("currentNumberScheduled", now.size());
      status.put("desiredNumberScheduled", 1);
      status.put("numberMisscheduled", 0);
      status.put("numberReady", ready);
      putNonZero(status, "numberAvailable", ready);
      putNonZero(status, "numberUnavailable", 1 - ready);
      putNonZero(status, "updatedNumberScheduled", updated);
      status.put("observedGeneration", cur.path("metadata").path("generation").asLong(1));
      return status;
    });
  }
}
