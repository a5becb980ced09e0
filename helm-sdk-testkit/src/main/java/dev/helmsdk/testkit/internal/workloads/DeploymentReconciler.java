package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.Json;
import dev.helmsdk.testkit.internal.apiserver.ObjectStore;
import dev.helmsdk.testkit.internal.apiserver.ResourceType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.helmsdk.testkit.internal.workloads.ObjectFields.condition;
import static dev.helmsdk.testkit.internal.workloads.ObjectFields.label;
import static dev.helmsdk.testkit.internal.workloads.ObjectFields.putNonZero;
import static dev.helmsdk.testkit.internal.workloads.ObjectFields.terminating;
import static dev.helmsdk.testkit.internal.workloads.OwnedObjects.ownerReference;
import static dev.helmsdk.testkit.internal.workloads.PodTemplateHash.TEMPLATE_HASH;
import static dev.helmsdk.testkit.internal.workloads.PodTemplateHash.templateHash;

/**
 * The Deployment and ReplicaSet controllers: a ReplicaSet per pod template, rolled over the way a rolling update
 * (or Recreate) does, old revisions pruned to the history limit, and the Deployment's Available and Progressing
 * conditions with the real reasons, messages and progress deadline.
 */
final class DeploymentReconciler {

  private final ObjectStore store;
  private final SimulatedController controller;
  private final OwnedObjects objects;
  private final ResourceType deployments;
  private final ResourceType replicaSets;
  private final ResourceType pods;

  DeploymentReconciler(ObjectStore store, SimulatedController controller, OwnedObjects objects) {
    this.store = store;
    this.controller = controller;
    this.objects = objects;
    deployments = store.resources().find("apps", "v1", "deployments").orElseThrow();
    replicaSets = store.resources().find("apps", "v1", "replicasets").orElseThrow();
    pods = store.resources().find("", "v1", "pods").orElseThrow();
  }

  void deployment(String ns, String name) {
    Optional<ObjectNode> found = store.find(deployments, ns, name);
    if (found.isEmpty() || terminating(found.get())) {
      return;
    }
    ObjectNode d = found.get();
    String uid = Json.uid(d);
    JsonNode spec = d.path("spec");
    int replicas = spec.path("replicas").asInt(1);
    JsonNode template = spec.path("template");
    String hash = templateHash(template);
    List<ObjectNode> owned = objects.owned(replicaSets, ns, uid);
    ObjectNode newRs = owned.stream().filter(rs -> hash.equals(label(rs, TEMPLATE_HASH))).findFirst().orElse(null);
    if (!spec.path("paused").asBoolean(false)) {
      int maxRevision = owned.stream().mapToInt(DeploymentReconciler::revision).max().orElse(0);
      if (newRs == null) {
        newRs = store.create(replicaSets, ns, newReplicaSet(d, hash, replicas, maxRevision + 1), false);
      } else if (newRs.path("spec").path("replicas").asInt(1) != replicas || revision(newRs) < maxRevision) {
        int revision = revision(newRs) < maxRevision ? maxRevision + 1 : revision(newRs);
        newRs = store.modify(replicaSets, ns, Json.name(newRs), rs -> {
          Json.child(rs, "spec").put("replicas", replicas);
          ObjectNode annotations = Json.child(Json.metadata(rs), "annotations");
          annotations.put("deployment.kubernetes.io/desired-replicas", String.valueOf(replicas));
          annotations.put("deployment.kubernetes.io/revision", String.valueOf(revision));
          return rs;
        }).orElse(newRs);
      }
      // Old ReplicaSets keep serving until the new one is fully available, as a rolling update with a failing
      // new version leaves the old pods running (Recreate tears them down first).
      boolean newAvailable = newRs.path("status").path("availableReplicas").asInt(0) >= replicas;
      boolean recreate = "Recreate".equals(spec.path("strategy").path("type").asText());
      String newName = Json.name(newRs);
      List<ObjectNode> history = new ArrayList<>();
      for (ObjectNode old : owned) {
        if (Json.name(old).equals(newName)) {
          continue;
        }
        if (old.path("spec").path("replicas").asInt(1) > 0 && (newAvailable || recreate)) {
          store.modify(replicaSets, ns, Json.name(old), rs -> {
            Json.child(rs, "spec").put("replicas", 0);
            return rs;
          });
        } else if (old.path("spec").path("replicas").asInt(1) == 0) {
          history.add(old);
        }
      }
      int keep = spec.path("revisionHistoryLimit").asInt(10);
      history.sort(Comparator.comparingInt(DeploymentReconciler::revision));
      for (int i = 0; i < history.size() - keep; i++) {
        objects.deleteQuietly(replicaSets, ns, Json.name(history.get(i)));
      }
    }
    List<ObjectNode> all = objects.owned(replicaSets, ns, uid);
    String newRsName = newRs == null ? null : Json.name(newRs);
    Instant now = Instant.now();
    Optional<ObjectNode> after = store.updateStatus(deployments, ns, name,
        current -> deploymentStatus(current, all, newRsName, now));
    after.ifPresent(dep -> {
      JsonNode progressing = condition(dep.path("status"), "Progressing");
      if (progressing != null && "True".equals(progressing.path("status").asText())
          && !"NewReplicaSetAvailable".equals(progressing.path("reason").asText())) {
        Instant lastUpdate = Instant.parse(progressing.path("lastUpdateTime").asText(Json.time(now)));
        int deadline = dep.path("spec").path("progressDeadlineSeconds").asInt(600);
        controller.schedule(new SimulatedController.Work("Deployment", ns, name, null),
            lastUpdate.plusSeconds(deadline).plusMillis(50));
      }
    });
  }

  private ObjectNode newReplicaSet(ObjectNode d, String hash, int replicas, int revision) {
    ObjectNode rs = Json.object();
    rs.put("apiVersion", "apps/v1");
    rs.put("kind", "ReplicaSet");
    ObjectNode meta = rs.putObject("metadata");
    meta.put("name", Json.name(d) + "-" + hash);
    meta.put("namespace", Json.namespace(d));
    ObjectNode template = d.path("spec").path("template").deepCopy();
    ObjectNode templateLabels = Json.child(Json.metadata(template), "labels");
    templateLabels.put(TEMPLATE_HASH, hash);
    meta.set("labels", templateLabels.deepCopy());
    ObjectNode annotations = meta.putObject("annotations");
    annotations.put("deployment.kubernetes.io/desired-replicas", String.valueOf(replicas));
    annotations.put("deployment.kubernetes.io/max-replicas",
        String.valueOf(replicas + scaled(d.path("spec").path("strategy").path("rollingUpdate").path("maxSurge"),
            replicas, true)));
    annotations.put("deployment.kubernetes.io/revision", String.valueOf(revision));
    meta.putArray("ownerReferences").add(ownerReference(d));
    ObjectNode spec = rs.putObject("spec");
    spec.put("replicas", replicas);
    if (d.path("spec").has("minReadySeconds")) {
      spec.set("minReadySeconds", d.path("spec").get("minReadySeconds"));
    }
    ObjectNode selector = d.path("spec").path("selector").isObject()
        ? ((ObjectNode) d.path("spec").get("selector")).deepCopy() : Json.object();
    Json.child(selector, "matchLabels").put(TEMPLATE_HASH, hash);
    spec.set("selector", selector);
    spec.set("template", template);
    return rs;
  }

  private static ObjectNode deploymentStatus(ObjectNode d, List<ObjectNode> replicaSets, String newRsName,
      Instant now) {
    JsonNode old = d.path("status");
    int replicas = d.path("spec").path("replicas").asInt(1);
    int total = 0;
    int actual = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    for (ObjectNode rs : replicaSets) {
      JsonNode st = rs.path("status");
      total += rs.path("spec").path("replicas").asInt(1);
      actual += st.path("replicas").asInt(0);
      ready += st.path("readyReplicas").asInt(0);
      available += st.path("availableReplicas").asInt(0);
      if (Json.name(rs).equals(newRsName)) {
        updated = st.path("replicas").asInt(0);
      }
    }
    int unavailable = Math.max(0, total - available);
    ObjectNode status = Json.object();
    status.put("observedGeneration", d.path("metadata").path("generation").asLong(1));
    putNonZero(status, "replicas", actual);
    putNonZero(status, "updatedReplicas", updated);
    putNonZero(status, "readyReplicas", ready);
    putNonZero(status, "availableReplicas", available);
    putNonZero(status, "unavailableReplicas", unavailable);
    ArrayNode conditions = status.putArray("conditions");
    boolean minimumAvailable = available >= replicas - maxUnavailable(d);
    conditions.add(deploymentCondition(old, "Available", minimumAvailable,
        minimumAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
        minimumAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
        false, now));
    if (newRsName != null) {
      boolean complete = updated == replicas && available >= replicas && actual == replicas;
      JsonNode oldProgressing = condition(old, "Progressing");
      boolean progressed = !old.path("replicas").equals(status.path("replicas"))
          || !old.path("updatedReplicas").equals(status.path("updatedReplicas"))
          || !old.path("readyReplicas").equals(status.path("readyReplicas"))
          || !old.path("availableReplicas").equals(status.path("availableReplicas"))
          || oldProgressing == null || !oldProgressing.path("message").asText().contains("\"" + newRsName + "\"");
      if (complete) {
        conditions.add(deploymentCondition(old, "Progressing", true, "NewReplicaSetAvailable",
            "ReplicaSet \"" + newRsName + "\" has successfully progressed.", false, now));
      } else {
        Instant lastUpdate = progressed || oldProgressing == null ? now
            : Instant.parse(oldProgressing.path("lastUpdateTime").asText(Json.time(now)));
        int deadline = d.path("spec").path("progressDeadlineSeconds").asInt(600);
        if (!progressed && !Duration.between(lastUpdate, now).minusSeconds(deadline).isNegative()) {
          conditions.add(deploymentCondition(old, "Progressing", false, "ProgressDeadlineExceeded",
              "ReplicaSet \"" + newRsName + "\" has timed out progressing.", false, now));
        } else {
          boolean created = oldProgressing == null
              || !oldProgressing.path("message").asText().contains("\"" + newRsName + "\"");
          String reason = created ? "NewReplicaSetCreated" : "ReplicaSetUpdated";
          String message = created ? "Created new replica set \"" + newRsName + "\""
              : "ReplicaSet \"" + newRsName + "\" is progressing.";
          if (!progressed && oldProgressing != null) {
            reason = oldProgressing.path("reason").asText(reason);
            message = oldProgressing.path("message").asText(message);
          }
          ObjectNode c = deploymentCondition(old, "Progressing", true, reason, message, progressed, now);
          c.put("lastUpdateTime", Json.time(lastUpdate));
          conditions.add(c);
        }
      }
    }
    return status;
  }

  private static ObjectNode deploymentCondition(JsonNode oldStatus, String type, boolean value, String reason,
      String message, boolean touched, Instant now) {
    String status = value ? "True" : "False";
    JsonNode old = condition(oldStatus, type);
    String transition = Json.time(now);
    String update = Json.time(now);
    if (old != null && status.equals(old.path("status").asText())) {
      transition = old.path("lastTransitionTime").asText(transition);
      if (!touched && reason.equals(old.path("reason").asText()) && message.equals(old.path("message").asText())) {
        update = old.path("lastUpdateTime").asText(update);
      }
    }
    ObjectNode c = Json.object();
    c.put("type", type);
    c.put("status", status);
    c.put("lastUpdateTime", update);
    c.put("lastTransitionTime", transition);
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  /** deploymentutil.MaxUnavailable. */
  private static int maxUnavailable(JsonNode d) {
    JsonNode spec = d.path("spec");
    int replicas = spec.path("replicas").asInt(1);
    if (!"RollingUpdate".equals(spec.path("strategy").path("type").asText()) || replicas == 0) {
      return 0;
    }
    JsonNode rolling = spec.path("strategy").path("rollingUpdate");
    int surge = scaled(rolling.path("maxSurge"), replicas, true);
    int unavailable = scaled(rolling.path("maxUnavailable"), replicas, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return Math.min(unavailable, replicas);
  }

  private static int scaled(JsonNode intOrPercent, int total, boolean roundUp) {
    if (intOrPercent == null || intOrPercent.isMissingNode() || intOrPercent.isNull()) {
      return 0;
    }
    if (intOrPercent.isNumber()) {
      return intOrPercent.asInt();
    }
    String s = intOrPercent.asText().trim();
    try {
      if (s.endsWith("%")) {
        double value = Integer.parseInt(s.substring(0, s.length() - 1)) * (double) total / 100.0;
        return (int) (roundUp ? Math.ceil(value) : Math.floor(value));
      }
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ------------------------------------------------------------------ ReplicaSet

  void replicaSet(String ns, String name) {
    Optional<ObjectNode> found = store.find(replicaSets, ns, name);
    if (found.isEmpty() || terminating(found.get())) {
      return;
    }
    ObjectNode rs = found.get();
    String uid = Json.uid(rs);
    int desired = rs.path("spec").path("replicas").asInt(1);
    List<ObjectNode> current = objects.livePods(ns, uid);
    for (int i = current.size(); i < desired; i++) {
      objects.createPod(rs, name + "-", rs.path("spec").path("template"), Map.of(), null);
    }
    if (current.size() > desired) {
      // Scale down the least useful pods first: not ready, then newest.
      current.sort(Comparator.comparing((ObjectNode p) -> Kubelet.isReady(p))
          .thenComparing(p -> p.path("metadata").path("creationTimestamp").asText(), Comparator.reverseOrder()));
      for (int i = 0; i < current.size() - desired; i++) {
        objects.deleteQuietly(pods, ns, Json.name(current.get(i)));
      }
    }
    List<ObjectNode> live = objects.livePods(ns, uid);
    store.updateStatus(replicaSets, ns, name, cur -> {
      int ready = (int) live.stream().filter(Kubelet::isReady).count();
      ObjectNode status = Json.object();
      status.put("replicas", live.size());
      putNonZero(status, "fullyLabeledReplicas", live.size());
      putNonZero(status, "readyReplicas", ready);
      putNonZero(status, "availableReplicas", ready);
      status.put("observedGeneration", cur.path("metadata").path("generation").asLong(1));
      return status;
    });
  }

  private static int revision(JsonNode rs) {
    try {
      return Integer.parseInt(Json.annotation(rs, "deployment.kubernetes.io/revision"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
