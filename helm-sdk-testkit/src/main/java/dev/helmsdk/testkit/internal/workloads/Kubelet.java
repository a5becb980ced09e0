package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.testkit.WorkloadFailure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Computes the status a kubelet would report for a pod, with or without an injected failure. Timestamps are taken
 * over from the current status whenever the state did not change, so recomputing is idempotent and the controller
 * only writes (and emits watch events) on real transitions.
 */
public final class Kubelet {

  public static final String NODE_NAME = "embedded-node";
  public static final String HOST_IP = "172.18.0.2";

  /** Kubelet's crash-loop back-off: 10 s doubling up to 5 min. */
  private static final long FIRST_BACKOFF_SECONDS = 10;
  private static final long MAX_BACKOFF_SECONDS = 300;

  private Kubelet() {
  }

  /** True for pods that run to completion instead of being restarted forever. */
  static boolean runsToCompletion(JsonNode pod) {
    return !"Always".equals(pod.path("spec").path("restartPolicy").asText("Always"));
  }

  static boolean isTerminal(JsonNode pod) {
    String phase = pod.path("status").path("phase").asText("");
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  static boolean isReady(JsonNode pod) {
    for (JsonNode c : pod.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  /** The result of one kubelet sync: the new status and, for crash loops, when the next restart happens. */
  record Sync(ObjectNode status, Instant nextRestart) {
  }

  static Sync sync(ObjectNode pod, WorkloadFailure failure, String podIp, Instant now) {
    ObjectNode old = pod.path("status").isObject() ? (ObjectNode) pod.get("status") : Json.object();
    if (isTerminal(pod)) {
      return new Sync(old, null);
    }
    String startTime = old.path("startTime").asText(Json.time(now));
    Instant started = Instant.parse(startTime);
    boolean toCompletion = runsToCompletion(pod);
    String podName = Json.name(pod);
    String namespace = Json.namespace(pod);
    String uid = Json.uid(pod);

    ObjectNode status = Json.object();
    List<String> containerNames = new ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> containerNames.add(c.path("name").asText()));

    String phase;
    boolean ready;
    String notReadyReason = "ContainersNotReady";
    Instant nextRestart = null;
    ArrayNode containers = Json.MAPPER.createArrayNode();
    if (failure == WorkloadFailure.IMAGE_PULL_FAILURE) {
      phase = "Pending";
      ready = false;
      for (JsonNode c : pod.path("spec").path("containers")) {
        String image = c.path("image").asText();
        ObjectNode cs = containerBase(c, uid, 0, false);
        cs.put("started", false);
        cs.put("imageID", "");
        cs.remove("containerID");
        ObjectNode waiting = cs.putObject("state").putObject("waiting");
        waiting.put("reason", "ImagePullBackOff");
        waiting.put("message", "Back-off pulling image \"" + image + "\": ErrImagePull: failed to pull and unpack image \""
            + qualified(image) + "\": failed to resolve reference \"" + qualified(image) + "\": "
            + qualified(image) + ": not found (simulated by the embedded Kubernetes API)");
        cs.putObject("lastState");
        containers.add(cs);
      }
    } else if (failure != null && toCompletion && "Never".equals(pod.path("spec").path("restartPolicy").asText())) {
      // A run-to-completion container that fails is not restarted: the pod fails.
      phase = "Failed";
      ready = false;
      notReadyReason = "PodFailed";
      for (JsonNode c : pod.path("spec").path("containers")) {
        ObjectNode cs = containerBase(c, uid, 0, false);
        cs.put("started", false);
        terminated(cs.putObject("state"), 1, "Error", startTime, cs.path("containerID").asText());
        cs.putObject("lastState");
        containers.add(cs);
      }
    } else if (failure == WorkloadFailure.CRASH_LOOP
        || (failure == WorkloadFailure.NEVER_READY && toCompletion)) {
      phase = "Running";
      ready = false;
      long elapsed = Math.max(0, Duration.between(started, now).getSeconds());
      long restarts = 1;
      long boundary = FIRST_BACKOFF_SECONDS;
      long backoff = FIRST_BACKOFF_SECONDS;
      while (elapsed >= boundary) {
        restarts++;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_SECONDS);
        boundary += backoff;
      }
      nextRestart = started.plusSeconds(boundary);
      Instant lastFinished = started.plusSeconds(boundary - backoff);
      for (JsonNode c : pod.path("spec").path("containers")) {
        String name = c.path("name").asText();
        ObjectNode cs = containerBase(c, uid, (int) restarts, false);
        cs.put("started", false);
        ObjectNode waiting = cs.putObject("state").putObject("waiting");
        waiting.put("reason", "CrashLoopBackOff");
        waiting.put("message", "back-off " + backoffText(backoff) + " restarting failed container=" + name + " pod="
            + podName + "_" + namespace + "(" + uid + ")");
        terminated(cs.putObject("lastState"), 1, "Error", Json.time(lastFinished),
            containerId(uid, name, (int) restarts - 1));
        containers.add(cs);
      }
    } else if (toCompletion) {
      phase = "Succeeded";
      ready = false;
      notReadyReason = "PodCompleted";
      for (JsonNode c : pod.path("spec").path("containers")) {
        ObjectNode cs = containerBase(c, uid, 0, false);
        cs.put("started", false);
        terminated(cs.putObject("state"), 0, "Completed", startTime, cs.path("containerID").asText());
        cs.putObject("lastState");
        containers.add(cs);
      }
    } else {
      phase = "Running";
      ready = failure != WorkloadFailure.NEVER_READY;
      for (JsonNode c : pod.path("spec").path("containers")) {
        ObjectNode cs = containerBase(c, uid, 0, ready);
        cs.put("started", true);
        cs.putObject("state").putObject("running").put("startedAt", startTime);
        cs.putObject("lastState");
        containers.add(cs);
      }
    }

    boolean runningContainers = "Running".equals(phase);
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition(old, "PodReadyToStartContainers", runningContainers || "Pending".equals(phase),
        null, null, now));
    conditions.add(condition(old, "Initialized", true, null, null, now));
    String unready = "PodCompleted".equals(notReadyReason) || "PodFailed".equals(notReadyReason) ? null
        : "containers with unready status: [" + String.join(" ", containerNames) + "]";
    conditions.add(condition(old, "Ready", ready, ready ? null : notReadyReason, ready ? null : unready, now));
    conditions.add(condition(old, "ContainersReady", ready, ready ? null : notReadyReason, ready ? null : unready,
        now));
    conditions.add(condition(old, "PodScheduled", true, null, null, now));
    status.put("hostIP", HOST_IP);
    status.putArray("hostIPs").addObject().put("ip", HOST_IP);
    if (!"Pending".equals(phase) || old.has("podIP")) {
      status.put("podIP", podIp);
      status.putArray("podIPs").addObject().put("ip", podIp);
    }
    status.put("phase", phase);
    status.put("qosClass", old.path("qosClass").asText("BestEffort"));
    status.put("startTime", startTime);
    ArrayNode init = Json.MAPPER.createArrayNode();
    for (JsonNode c : pod.path("spec").path("initContainers")) {
      ObjectNode cs = containerBase(c, uid, 0, true);
      cs.put("started", false);
      ObjectNode term = cs.putObject("state").putObject("terminated");
      term.put("exitCode", 0);
      term.put("reason", "Completed");
      term.put("startedAt", startTime);
      term.put("finishedAt", startTime);
      term.put("containerID", cs.path("containerID").asText());
      cs.putObject("lastState");
      init.add(cs);
    }
    if (!init.isEmpty()) {
      status.set("initContainerStatuses", init);
    }
    status.set("containerStatuses", containers);
    return new Sync(status, nextRestart);
  }

  private static ObjectNode containerBase(JsonNode container, String podUid, int restarts, boolean ready) {
    String name = container.path("name").asText();
    String image = container.path("image").asText();
    ObjectNode cs = Json.object();
    cs.put("name", name);
    cs.put("image", image);
    cs.put("imageID", qualified(image) + "@sha256:" + sha256(image));
    cs.put("containerID", containerId(podUid, name, restarts));
    cs.put("ready", ready);
    cs.put("restartCount", restarts);
    return cs;
  }

  private static ObjectNode condition(ObjectNode oldStatus, String type, boolean value, String reason,
      String message, Instant now) {
    String status = value ? "True" : "False";
    String transition = Json.time(now);
    for (JsonNode c : oldStatus.path("conditions")) {
      if (type.equals(c.path("type").asText()) && status.equals(c.path("status").asText())) {
        transition = c.path("lastTransitionTime").asText(transition);
      }
    }
    ObjectNode c = Json.object();
    c.put("type", type);
    c.put("status", status);
    c.putNull("lastProbeTime");
    c.put("lastTransitionTime", transition);
    if (reason != null) {
      c.put("reason", reason);
    }
    if (message != null) {
      c.put("message", message);
    }
    return c;
  }

  private static String backoffText(long seconds) {
    return seconds >= 60 && seconds % 60 == 0 ? (seconds / 60) + "m0s" : seconds + "s";
  }

  private static String qualified(String image) {
    String first = image.contains("/") ? image.substring(0, image.indexOf('/')) : "";
    if (first.contains(".") || first.contains(":") || "localhost".equals(first)) {
      return image;
    }
    return "docker.io/" + (image.contains("/") ? image : "library/" + image);
  }

  private static String containerId(String podUid, String name, int restarts) {
    return "containerd://" + sha256(podUid + "/" + name + "/" + restarts);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A container state {@code terminated} that started and finished at {@code at}. */
  private static void terminated(ObjectNode state, int exitCode, String reason, String at, String containerId) {
    ObjectNode term = state.putObject("terminated");
    term.put("exitCode", exitCode);
    term.put("reason", reason);
    term.put("startedAt", at);
    term.put("finishedAt", at);
    term.put("containerID", containerId);
  }
}
