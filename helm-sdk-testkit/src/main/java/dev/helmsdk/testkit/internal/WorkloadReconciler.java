package dev.helmsdk.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.testkit.WorkloadFailure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reconcile functions of the simulated controllers. Each one reads the current state, makes the dependent
 * objects match and writes a status computed the way the real controller computes it (field names, omitted zero
 * counts, condition reasons and messages), so code that reads status sees what it would see on a cluster.
 */
final class WorkloadReconciler {

  private static final String TEMPLATE_HASH = "pod-template-hash";
  private static final String REVISION_HASH = "controller-revision-hash";
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final ObjectStore store;
  private final SimulatedController controller;
  private final ResourceType deployments;
  private final ResourceType replicaSets;
  private final ResourceType statefulSets;
  private final ResourceType daemonSets;
  private final ResourceType jobs;
  private final ResourceType pods;
  private final ResourceType services;
  private final ResourceType claims;
  private final ResourceType crds;
  private final AtomicInteger nextPodIp = new AtomicInteger(2);
  private final AtomicInteger nextLoadBalancerIp = new AtomicInteger(200);

  WorkloadReconciler(ObjectStore store, SimulatedController controller) {
    this.store = store;
    this.controller = controller;
    ApiResources r = store.resources();
    deployments = r.find("apps", "v1", "deployments").orElseThrow();
    replicaSets = r.find("apps", "v1", "replicasets").orElseThrow();
    statefulSets = r.find("apps", "v1", "statefulsets").orElseThrow();
    daemonSets = r.find("apps", "v1", "daemonsets").orElseThrow();
    jobs = r.find("batch", "v1", "jobs").orElseThrow();
    pods = r.find("", "v1", "pods").orElseThrow();
    services = r.find("", "v1", "services").orElseThrow();
    claims = r.find("", "v1", "persistentvolumeclaims").orElseThrow();
    crds = r.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
  }

  // ------------------------------------------------------------------ Deployment

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
    List<ObjectNode> owned = owned(replicaSets, ns, uid);
    ObjectNode newRs = owned.stream().filter(rs -> hash.equals(label(rs, TEMPLATE_HASH))).findFirst().orElse(null);
    if (!spec.path("paused").asBoolean(false)) {
      int maxRevision = owned.stream().mapToInt(WorkloadReconciler::revision).max().orElse(0);
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
      history.sort(Comparator.comparingInt(WorkloadReconciler::revision));
      for (int i = 0; i < history.size() - keep; i++) {
        deleteQuietly(replicaSets, ns, Json.name(history.get(i)));
      }
    }
    List<ObjectNode> all = owned(replicaSets, ns, uid);
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
    List<ObjectNode> current = livePods(ns, uid);
    for (int i = current.size(); i < desired; i++) {
      createPod(rs, name + "-", rs.path("spec").path("template"), Map.of(), null);
    }
    if (current.size() > desired) {
      // Scale down the least useful pods first: not ready, then newest.
      current.sort(Comparator.comparing((ObjectNode p) -> Kubelet.isReady(p))
          .thenComparing(p -> p.path("metadata").path("creationTimestamp").asText(), Comparator.reverseOrder()));
      for (int i = 0; i < current.size() - desired; i++) {
        deleteQuietly(pods, ns, Json.name(current.get(i)));
      }
    }
    List<ObjectNode> live = livePods(ns, uid);
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

  // ------------------------------------------------------------------ StatefulSet

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
    for (ObjectNode p : livePods(ns, uid)) {
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
        createPod(sts, null, spec.path("template"), labels, podName);
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
          deleteQuietly(pods, ns, Json.name(p));
          break;
        }
      }
    }
    byOrdinal.forEach((ordinal, p) -> {
      if (ordinal >= replicas) {
        deleteQuietly(pods, ns, Json.name(p));
      }
    });
    List<ObjectNode> live = livePods(ns, uid);
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

  // ------------------------------------------------------------------ DaemonSet

  void daemonSet(String ns, String name) {
    Optional<ObjectNode> found = store.find(daemonSets, ns, name);
    if (found.isEmpty() || terminating(found.get())) {
      return;
    }
    ObjectNode ds = found.get();
    String uid = Json.uid(ds);
    String hash = templateHash(ds.path("spec").path("template"));
    long generation = ds.path("metadata").path("generation").asLong(1);
    List<ObjectNode> live = livePods(ns, uid);
    if (live.isEmpty()) {
      createPod(ds, name + "-", ds.path("spec").path("template"),
          Map.of(REVISION_HASH, hash, "pod-template-generation", String.valueOf(generation)), null);
    } else {
      for (int i = 0; i < live.size(); i++) {
        if (i > 0 || !hash.equals(label(live.get(i), REVISION_HASH))) {
          deleteQuietly(pods, ns, Json.name(live.get(i)));
        }
      }
    }
    List<ObjectNode> now = livePods(ns, uid);
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

  // ------------------------------------------------------------------ Job

  void job(String ns, String name) {
    Optional<ObjectNode> found = store.find(jobs, ns, name);
    if (found.isEmpty() || terminating(found.get())) {
      return;
    }
    ObjectNode job = found.get();
    if (finished(job) || job.path("spec").path("suspend").asBoolean(false)) {
      return;
    }
    String uid = Json.uid(job);
    List<ObjectNode> owned = livePods(ns, uid);
    if (owned.isEmpty()) {
      createPod(job, name + "-", job.path("spec").path("template"), Map.of(), null);
      owned = livePods(ns, uid);
    }
    int completions = job.path("spec").path("completions").asInt(1);
    int backoffLimit = job.path("spec").path("backoffLimit").asInt(6);
    int succeeded = 0;
    int failed = 0;
    int ready = 0;
    List<ObjectNode> active = new ArrayList<>();
    for (ObjectNode p : owned) {
      String phase = p.path("status").path("phase").asText("");
      if ("Succeeded".equals(phase)) {
        succeeded++;
      } else if ("Failed".equals(phase) || crashLooping(p)) {
        failed++;
        if (!"Failed".equals(phase)) {
          active.add(p);
        }
      } else {
        active.add(p);
        if (Kubelet.isReady(p)) {
          ready++;
        }
      }
    }
    Instant now = Instant.now();
    boolean complete = succeeded >= completions;
    boolean failedJob = !complete && failed > 0;
    if (failedJob) {
      // The real controller retries backoffLimit times before giving up; the simulated pods would fail the same
      // way every time, so it gives up at once and reports the retries as spent.
      active.forEach(p -> deleteQuietly(pods, ns, Json.name(p)));
    }
    int activeCount = failedJob || complete ? 0 : active.size();
    int succeededCount = succeeded;
    int readyCount = failedJob || complete ? 0 : ready;
    store.updateStatus(jobs, ns, name, cur -> {
      JsonNode old = cur.path("status");
      ObjectNode status = Json.object();
      status.put("startTime", old.path("startTime").asText(Json.time(now)));
      putNonZero(status, "active", activeCount);
      status.put("ready", readyCount);
      status.put("terminating", 0);
      status.putObject("uncountedTerminatedPods");
      putNonZero(status, "succeeded", succeededCount);
      if (complete) {
        String message = "Reached expected number of succeeded pods";
        status.put("completionTime", Json.time(now));
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(jobCondition("SuccessCriteriaMet", "CompletionsReached", message, now));
        conditions.add(jobCondition("Complete", "CompletionsReached", message, now));
      } else if (failedJob) {
        String message = "Job has reached the specified backoff limit";
        status.put("failed", backoffLimit + 1);
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(jobCondition("FailureTarget", "BackoffLimitExceeded", message, now));
        conditions.add(jobCondition("Failed", "BackoffLimitExceeded", message, now));
      }
      return status;
    });
  }

  private static ObjectNode jobCondition(String type, String reason, String message, Instant now) {
    ObjectNode c = Json.object();
    c.put("type", type);
    c.put("status", "True");
    c.put("lastProbeTime", Json.time(now));
    c.put("lastTransitionTime", Json.time(now));
    c.put("reason", reason);
    c.put("message", message);
    return c;
  }

  private static boolean finished(JsonNode job) {
    for (JsonNode c : job.path("status").path("conditions")) {
      String type = c.path("type").asText();
      if (("Complete".equals(type) || "Failed".equals(type)) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean crashLooping(JsonNode pod) {
    for (JsonNode cs : pod.path("status").path("containerStatuses")) {
      if ("CrashLoopBackOff".equals(cs.path("state").path("waiting").path("reason").asText())) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ Pod (kubelet)

  void pod(String ns, String name) {
    Optional<ObjectNode> found = store.find(pods, ns, name);
    if (found.isEmpty() || terminating(found.get()) || Kubelet.isTerminal(found.get())) {
      return;
    }
    ObjectNode pod = found.get();
    if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
      // The scheduler's binding.
      Optional<ObjectNode> bound = store.modify(pods, ns, name, p -> {
        Json.child(p, "spec").put("nodeName", Kubelet.NODE_NAME);
        return p;
      });
      if (bound.isEmpty()) {
        return;
      }
      pod = bound.get();
    }
    WorkloadFailure failure = controller.failureFor(pod, 0);
    String ip = pod.path("status").path("podIP").asText("");
    if (ip.isEmpty()) {
      int n = nextPodIp.getAndIncrement();
      ip = "10.244." + (n / 254) + "." + (n % 254 + 1);
    }
    Kubelet.Sync sync = Kubelet.sync(pod, failure, ip, Instant.now());
    store.updateStatus(pods, ns, name, cur -> sync.status());
    if (sync.nextRestart() != null) {
      controller.schedule(new SimulatedController.Work("Pod", ns, name, null), sync.nextRestart());
    }
  }

  List<ObjectNode> allPods(String ns) {
    return store.list(pods, ns, o -> true).items();
  }

  // ------------------------------------------------------------------ Service, PVC, CRD

  void service(String ns, String name) {
    store.updateStatus(services, ns, name, svc -> {
      if (!"LoadBalancer".equals(svc.path("spec").path("type").asText())
          || svc.path("status").path("loadBalancer").path("ingress").size() > 0) {
        return null;
      }
      ObjectNode status = svc.path("status").isObject() ? (ObjectNode) svc.get("status") : Json.object();
      ObjectNode ingress = Json.child(status, "loadBalancer").putArray("ingress").addObject();
      ingress.put("ip", "172.18.255." + nextLoadBalancerIp.getAndIncrement() % 250);
      ingress.put("ipMode", "VIP");
      return status;
    });
  }

  void persistentVolumeClaim(String ns, String name) {
    store.updateStatus(claims, ns, name, pvc -> {
      ObjectNode status = Json.object();
      status.put("phase", "Bound");
      JsonNode modes = pvc.path("spec").path("accessModes");
      status.set("accessModes", modes.isArray() ? modes.deepCopy() : Json.MAPPER.createArrayNode().add("ReadWriteOnce"));
      JsonNode storage = pvc.path("spec").path("resources").path("requests").path("storage");
      if (!storage.isMissingNode()) {
        status.putObject("capacity").set("storage", storage.deepCopy());
      }
      return status;
    });
  }

  void customResourceDefinition(String name) {
    store.updateStatus(crds, null, name, crd -> {
      JsonNode old = crd.path("status");
      ObjectNode status = Json.object();
      ArrayNode conditions = status.putArray("conditions");
      String now = Json.now();
      for (String[] c : new String[][] {
          {"NamesAccepted", "NoConflicts", "no conflicts found"},
          {"Established", "InitialNamesAccepted", "the initial names have been accepted"}}) {
        JsonNode previous = condition(old, c[0]);
        ObjectNode cond = conditions.addObject();
        cond.put("type", c[0]);
        cond.put("status", "True");
        cond.put("lastTransitionTime", previous == null ? now : previous.path("lastTransitionTime").asText(now));
        cond.put("reason", c[1]);
        cond.put("message", c[2]);
      }
      status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
      ArrayNode stored = status.putArray("storedVersions");
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (v.path("storage").asBoolean(false)) {
          stored.add(v.path("name").asText());
        }
      }
      return status;
    });
  }

  // ------------------------------------------------------------------ garbage collection

  /** Deletes (or, for {@code Orphan}, releases) every object owned by the deleted object with this uid. */
  void collectDependents(String ownerUid, String propagationPolicy) {
    for (ObjectNode dependent : store.allObjects(raw -> raw.contains(ownerUid))) {
      boolean owned = false;
      for (JsonNode ref : dependent.path("metadata").path("ownerReferences")) {
        owned |= ownerUid.equals(ref.path("uid").asText());
      }
      if (!owned) {
        continue;
      }
      Optional<ResourceType> type = store.resources().findByKind(dependent.path("apiVersion").asText(),
          dependent.path("kind").asText());
      if (type.isEmpty()) {
        continue;
      }
      String ns = Json.namespace(dependent);
      String name = Json.name(dependent);
      if ("Orphan".equals(propagationPolicy)) {
        store.modify(type.get(), ns, name, o -> {
          ArrayNode refs = (ArrayNode) Json.metadata(o).path("ownerReferences");
          for (int i = refs.size() - 1; i >= 0; i--) {
            if (ownerUid.equals(refs.get(i).path("uid").asText())) {
              refs.remove(i);
            }
          }
          return o;
        });
      } else {
        deleteQuietly(type.get(), ns, name);
      }
    }
  }

  void deleteNamespaceContents(String namespace) {
    String marker = "\"namespace\":\"" + namespace + "\"";
    for (ObjectNode obj : store.allObjects(raw -> raw.contains(marker))) {
      if (!namespace.equals(Json.namespace(obj))) {
        continue;
      }
      store.resources().findByKind(obj.path("apiVersion").asText(), obj.path("kind").asText())
          .ifPresent(t -> deleteQuietly(t, namespace, Json.name(obj)));
    }
  }

  // ------------------------------------------------------------------ helpers

  private ObjectNode createPod(ObjectNode owner, String generatePrefix, JsonNode template,
      Map<String, String> extraLabels, String fixedName) {
    String ns = Json.namespace(owner);
    for (int attempt = 0; ; attempt++) {
      ObjectNode pod = Json.object();
      pod.put("apiVersion", "v1");
      pod.put("kind", "Pod");
      ObjectNode meta = pod.putObject("metadata");
      meta.put("name", fixedName != null ? fixedName : generatePrefix + store.randomSuffix(5));
      if (generatePrefix != null) {
        meta.put("generateName", generatePrefix);
      }
      meta.put("namespace", ns);
      ObjectNode labels = meta.putObject("labels");
      JsonNode templateLabels = template.path("metadata").path("labels");
      if (templateLabels instanceof ObjectNode l) {
        labels.setAll(l.deepCopy());
      }
      extraLabels.forEach(labels::put);
      JsonNode annotations = template.path("metadata").path("annotations");
      if (annotations.isObject() && annotations.size() > 0) {
        meta.set("annotations", annotations.deepCopy());
      }
      meta.putArray("ownerReferences").add(ownerReference(owner));
      ObjectNode spec = template.path("spec").isObject() ? ((ObjectNode) template.get("spec")).deepCopy()
          : Json.object();
      spec.put("nodeName", Kubelet.NODE_NAME);
      if (fixedName != null && "StatefulSet".equals(owner.path("kind").asText())) {
        spec.put("hostname", fixedName);
        if (owner.path("spec").has("serviceName")) {
          spec.put("subdomain", owner.path("spec").path("serviceName").asText());
        }
      }
      pod.set("spec", spec);
      try {
        return store.create(pods, ns, pod, false);
      } catch (ApiException e) {
        if (e.code() != 409 || attempt > 3 || fixedName != null) {
          throw e;
        }
      }
    }
  }

  private List<ObjectNode> livePods(String ns, String ownerUid) {
    List<ObjectNode> list = new ArrayList<>(owned(pods, ns, ownerUid));
    list.removeIf(WorkloadReconciler::terminating);
    return list;
  }

  private List<ObjectNode> owned(ResourceType type, String ns, String ownerUid) {
    return store.list(type, ns, o -> {
      for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
        if (ownerUid.equals(ref.path("uid").asText()) && ref.path("controller").asBoolean(false)) {
          return true;
        }
      }
      return false;
    }).items();
  }

  private void deleteQuietly(ResourceType type, String ns, String name) {
    try {
      store.delete(type, ns, name, null, false);
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }

  private static ObjectNode ownerReference(JsonNode owner) {
    ObjectNode ref = Json.object();
    ref.put("apiVersion", owner.path("apiVersion").asText());
    ref.put("kind", owner.path("kind").asText());
    ref.put("name", Json.name(owner));
    ref.put("uid", Json.uid(owner));
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
    return ref;
  }

  private static boolean terminating(JsonNode obj) {
    return obj.path("metadata").has("deletionTimestamp");
  }

  private static String label(JsonNode obj, String key) {
    return obj.path("metadata").path("labels").path(key).asText(null);
  }

  private static int revision(JsonNode rs) {
    try {
      return Integer.parseInt(Json.annotation(rs, "deployment.kubernetes.io/revision"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  private static void putNonZero(ObjectNode node, String field, int value) {
    if (value != 0) {
      node.put(field, value);
    }
  }

  /** A stable hash of a pod template rendered the way Kubernetes renders pod-template-hash values. */
  static String templateHash(JsonNode template) {
    JsonNode copy = template.deepCopy();
    if (copy instanceof ObjectNode o) {
      JsonNode labels = o.path("metadata").path("labels");
      if (labels instanceof ObjectNode l) {
        l.remove(TEMPLATE_HASH);
      }
    }
    byte[] canonical = canonical(copy).getBytes(StandardCharsets.UTF_8);
    int hash = 0x811c9dc5;
    for (byte b : canonical) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    String digits = Integer.toUnsignedString(hash);
    StringBuilder sb = new StringBuilder(digits.length());
    for (char c : digits.toCharArray()) {
      sb.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
    }
    return sb.toString();
  }

  private static String canonical(JsonNode node) {
    if (node.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
      StringBuilder sb = new StringBuilder("{");
      sorted.forEach((k, v) -> sb.append('"').append(k).append("\":").append(canonical(v)).append(','));
      return sb.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder sb = new StringBuilder("[");
      node.forEach(v -> sb.append(canonical(v)).append(','));
      return sb.append(']').toString();
    }
    return node.toString();
  }
}
