package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.Json;
import dev.helmsdk.testkit.internal.apiserver.ObjectStore;
import dev.helmsdk.testkit.internal.apiserver.ResourceType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.helmsdk.testkit.internal.workloads.ObjectFields.putNonZero;
import static dev.helmsdk.testkit.internal.workloads.ObjectFields.terminating;

/** The Job controller: a pod until the completions are reached or a pod fails, and the Complete or Failed conditions. */
final class JobReconciler {

  private final ObjectStore store;
  private final OwnedObjects objects;
  private final ResourceType jobs;
  private final ResourceType pods;

  JobReconciler(ObjectStore store, OwnedObjects objects) {
    this.store = store;
    this.objects = objects;
    jobs = store.resources().find("batch", "v1", "jobs").orElseThrow();
    pods = store.resources().find("", "v1", "pods").orElseThrow();
  }

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
    List<ObjectNode> owned = objects.livePods(ns, uid);
    if (owned.isEmpty()) {
      objects.createPod(job, name + "-", job.path("spec").path("template"), Map.of(), null);
      owned = objects.livePods(ns, uid);
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
      active.forEach(p -> objects.deleteQuietly(pods, ns, Json.name(p)));
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
}
