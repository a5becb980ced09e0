package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.ApiException;
import dev.helmsdk.testkit.internal.apiserver.Json;
import dev.helmsdk.testkit.internal.apiserver.ObjectStore;
import dev.helmsdk.testkit.internal.apiserver.ResourceType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.helmsdk.testkit.internal.workloads.ObjectFields.label;
import static dev.helmsdk.testkit.internal.workloads.ObjectFields.putNonZero;
import static dev.helmsdk.testkit.internal.workloads.ObjectFields.terminating;
import static dev.helmsdk.testkit.internal.workloads.PodTemplateHash.REVISION_HASH;
import static dev.helmsdk.testkit.internal.workloads.PodTemplateHash.templateHash;

/**
 * The StatefulSet controller: pods with stable ordinal names (one at a time under OrderedReady), a claim per
 * volume claim template, rolling updates from the highest ordinal down to the partition, and the revision status.
 */
final class StatefulSetReconciler {

  private final ObjectStore store;
  private final OwnedObjects objects;
  private final ResourceType statefulSets;
  private final ResourceType pods;
  private final ResourceType claims;

  StatefulSetReconciler(ObjectStore store, OwnedObjects objects) {
    this.store = store;
    this.objects = objects;
    statefulSets = store.resources().find("apps", "v1", "statefulsets").orElseThrow();
    pods = store.resources().find("", "v1", "pods").orElseThrow();
    claims = store.resources().find("", "v1", "persistentvolumeclaims").orElseThrow();
  }

  void statefulSet(String ns, String name) {
    Optional<ObjectNode> found = store.find(statefulSets, ns, name);
    if (found.isEmpty() || terminating(found.get())) {
      return;
    }
    ObjectNode sts = found.get();
    String uid = Json.uid(sts);
    JsonNode spec = sts.path("spec");
    int replicas = spec.path("replicas").asInt(1);
    String updateRevision = name + "-" + templateHash(spec.path("template"));
    boolean ordered = !"Parallel".equals(spec.path("podManagementPolicy").asText());
    boolean rolling = "RollingUpdate".equals(spec.path("updateStrategy").path("type").asText("RollingUpdate"));
    int partition = spec.path("updateStrategy").path("rollingUpdate").path("partition").asInt(0);
    Map<Integer, ObjectNode> byOrdinal = new TreeMap<>();
    for (ObjectNode p : objects.livePods(ns, uid)) {
      String podName = Json.name(p);
      String suffix = podName.substring(podName.lastIndexOf('-') + 1);
      try {
        byOrdinal.put(Integer.parseInt(suffix), p);
      } catch (NumberFormatException ignored) {
        // not one of ours
      }
    }
    for (int i = 0; i < replicas; i++) {
      ObjectNode p = byOrdinal.get(i);
      if (p == null) {
        String podName = name + "-" + i;
        ensureClaims(sts, podName);
        Map<String, String> labels = Map.of(REVISION_HASH, updateRevision,
            "statefulset.kubernetes.io/pod-name", podName, "apps.kubernetes.io/pod-index", String.valueOf(i));
        objects.createPod(sts, null, spec.path("template"), labels, podName);
        if (ordered) {
          break; // OrderedReady: the next ordinal waits for this one
        }
      } else if (ordered && !Kubelet.isReady(p)) {
        break;
      }
    }
    // Rolling update: replace the highest outdated ordinal once every other pod is ready.
    if (rolling) {
      boolean allReady = byOrdinal.values().stream().allMatch(Kubelet::isReady);
      List<Integer> ordinals = new ArrayList<>(byOrdinal.keySet());
      java.util.Collections.reverse(ordinals);
      for (int ordinal : ordinals) {
        ObjectNode p = byOrdinal.get(ordinal);
        if (ordinal >= partition && ordinal < replicas && !updateRevision.equals(label(p, REVISION_HASH))
            && (allReady || !Kubelet.isReady(p))) {
          objects.deleteQuietly(pods, ns, Json.name(p));
          break;
        }
      }
    }
    byOrdinal.forEach((ordinal, p) -> {
      if (ordinal >= replicas) {
        objects.deleteQuietly(pods, ns, Json.name(p));
      }
    });
    List<ObjectNode> live = objects.livePods(ns, uid);
    store.updateStatus(statefulSets, ns, name, cur -> {
      JsonNode old = cur.path("status");
      int ready = (int) live.stream().filter(Kubelet::isReady).count();
      int updated = (int) live.stream().filter(p -> updateRevision.equals(label(p, REVISION_HASH))).count();
      String currentRevision = old.path("currentRevision").asText(updateRevision);
      if (updated == replicas && ready == replicas) {
        currentRevision = updateRevision;
      }
      String cr = currentRevision;
      int current = (int) live.stream().filter(p -> cr.equals(label(p, REVISION_HASH))).count();
      ObjectNode status = Json.object();
      status.put("observedGeneration", cur.path("metadata").path("generation").asLong(1));
      status.put("replicas", live.size());
      putNonZero(status, "readyReplicas", ready);
      putNonZero(status, "currentReplicas", current);
      putNonZero(status, "updatedReplicas", updated);
      status.put("currentRevision", currentRevision);
      status.put("updateRevision", updateRevision);
      status.put("collisionCount", 0);
      status.put("availableReplicas", ready);
      return status;
    });
  }

  private void ensureClaims(ObjectNode sts, String podName) {
    String ns = Json.namespace(sts);
    for (JsonNode template : sts.path("spec").path("volumeClaimTemplates")) {
      String claimName = template.path("metadata").path("name").asText() + "-" + podName;
      if (store.find(claims, ns, claimName).isPresent()) {
        continue;
      }
      ObjectNode claim = Json.object();
      claim.put("apiVersion", "v1");
      claim.put("kind", "PersistentVolumeClaim");
      ObjectNode meta = claim.putObject("metadata");
      meta.put("name", claimName);
      meta.put("namespace", ns);
      if (sts.path("spec").path("selector").path("matchLabels") instanceof ObjectNode matchLabels) {
        meta.set("labels", matchLabels.deepCopy());
      }
      claim.set("spec", template.path("spec").deepCopy());
      try {
        store.create(claims, ns, claim, false);
      } catch (ApiException ignored) {
        // created concurrently
      }
    }
  }
}
