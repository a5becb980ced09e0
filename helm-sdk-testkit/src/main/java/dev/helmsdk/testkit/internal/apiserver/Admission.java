package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a real API server does to an object before storing it: defaulting and allocation. Not cosmetic: Helm's
 * readiness code dereferences defaulted fields ({@code *deployment.Spec.Replicas}, {@code *job.Spec.BackoffLimit})
 * and a nil there panics inside the native library, which takes the JVM down with it.
 */
final class Admission {

  private final AtomicInteger nextClusterIp = new AtomicInteger(10);
  private final AtomicInteger nextNodePort = new AtomicInteger(30000);

  /** Defaults an object about to be created or replaced; {@code existing} is null on create. */
  void admit(ResourceType type, ObjectNode obj, ObjectNode existing) {
    obj.put("apiVersion", type.apiVersion());
    obj.put("kind", type.kind());
    if (existing == null && type.hasStatusSubresource() && !type.is("", "Namespace")) {
      // Status is owned by controllers: a create cannot set it (the real strategies' PrepareForCreate).
      obj.remove("status");
    }
    switch (type.group() + "/" + type.kind()) {
      case "apps/Deployment" -> deployment(obj);
      case "apps/StatefulSet" -> statefulSet(obj);
      case "apps/DaemonSet" -> daemonSet(obj);
      case "apps/ReplicaSet" -> {
        putIfMissing(Json.child(obj, "spec"), "replicas", 1);
        podTemplate(Json.child(Json.child(obj, "spec"), "template"));
      }
      case "batch/Job" -> job(obj);
      case "batch/CronJob" -> cronJob(obj);
      case "/Pod" -> pod(obj, existing);
      case "/Service" -> service(obj, existing);
      case "/Secret" -> secret(obj);
      case "/Namespace" -> namespace(obj);
      case "/PersistentVolumeClaim" -> {
        ObjectNode spec = Json.child(obj, "spec");
        putIfMissing(spec, "volumeMode", "Filesystem");
        putIfMissing(spec, "storageClassName", "standard");
        if (existing == null) {
          Json.child(obj, "status").put("phase", "Pending");
        }
      }
      default -> {
        // nothing to default
      }
    }
  }

  private static void deployment(ObjectNode obj) {
    ObjectNode spec = Json.child(obj, "spec");
    putIfMissing(spec, "replicas", 1);
    putIfMissing(spec, "revisionHistoryLimit", 10);
    putIfMissing(spec, "progressDeadlineSeconds", 600);
    ObjectNode strategy = Json.child(spec, "strategy");
    putIfMissing(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(strategy.path("type").asText())) {
      ObjectNode rolling = Json.child(strategy, "rollingUpdate");
      putIfMissing(rolling, "maxUnavailable", "25%");
      putIfMissing(rolling, "maxSurge", "25%");
    }
    podTemplate(Json.child(spec, "template"));
  }

  private static void statefulSet(ObjectNode obj) {
    ObjectNode spec = Json.child(obj, "spec");
    putIfMissing(spec, "replicas", 1);
    putIfMissing(spec, "revisionHistoryLimit", 10);
    putIfMissing(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = Json.child(spec, "updateStrategy");
    putIfMissing(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(strategy.path("type").asText())) {
      putIfMissing(Json.child(strategy, "rollingUpdate"), "partition", 0);
    }
    ObjectNode retention = Json.child(spec, "persistentVolumeClaimRetentionPolicy");
    putIfMissing(retention, "whenDeleted", "Retain");
    putIfMissing(retention, "whenScaled", "Retain");
    podTemplate(Json.child(spec, "template"));
  }

  private static void daemonSet(ObjectNode obj) {
    ObjectNode spec = Json.child(obj, "spec");
    putIfMissing(spec, "revisionHistoryLimit", 10);
    ObjectNode strategy = Json.child(spec, "updateStrategy");
    putIfMissing(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(strategy.path("type").asText())) {
      ObjectNode rolling = Json.child(strategy, "rollingUpdate");
      putIfMissing(rolling, "maxUnavailable", 1);
      putIfMissing(rolling, "maxSurge", 0);
    }
    podTemplate(Json.child(spec, "template"));
  }

  private static void job(ObjectNode obj) {
    ObjectNode spec = Json.child(obj, "spec");
    putIfMissing(spec, "parallelism", 1);
    putIfMissing(spec, "completions", 1);
    putIfMissing(spec, "backoffLimit", 6);
    putIfMissing(spec, "completionMode", "NonIndexed");
    putIfMissing(spec, "suspend", false);
    putIfMissing(spec, "podReplacementPolicy", "TerminatingOrFailed");
    podTemplate(Json.child(spec, "template"));
  }

  private static void cronJob(ObjectNode obj) {
    ObjectNode spec = Json.child(obj, "spec");
    putIfMissing(spec, "concurrencyPolicy", "Allow");
    putIfMissing(spec, "suspend", false);
    putIfMissing(spec, "successfulJobsHistoryLimit", 3);
    putIfMissing(spec, "failedJobsHistoryLimit", 1);
  }

  /** Once the uid is known: the Job controller's selector and labels, as the real API server adds them. */
  static boolean jobSelector(ObjectNode job) {
    ObjectNode spec = Json.child(job, "spec");
    if (spec.path("manualSelector").asBoolean(false) || spec.has("selector")) {
      return false;
    }
    String uid = Json.uid(job);
    String name = Json.name(job);
    spec.putObject("selector").putObject("matchLabels").put("batch.kubernetes.io/controller-uid", uid);
    ObjectNode labels = Json.child(Json.metadata(Json.child(spec, "template")), "labels");
    labels.put("batch.kubernetes.io/controller-uid", uid);
    labels.put("batch.kubernetes.io/job-name", name);
    labels.put("controller-uid", uid);
    labels.put("job-name", name);
    return true;
  }

  private static void podTemplate(ObjectNode template) {
    podSpec(Json.child(template, "spec"));
  }

  private static void podSpec(ObjectNode spec) {
    putIfMissing(spec, "restartPolicy", "Always");
    putIfMissing(spec, "terminationGracePeriodSeconds", 30);
    putIfMissing(spec, "dnsPolicy", "ClusterFirst");
    putIfMissing(spec, "schedulerName", "default-scheduler");
    if (!spec.has("securityContext")) {
      spec.putObject("securityContext");
    }
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode container) {
          putIfMissing(container, "imagePullPolicy", pullPolicy(container.path("image").asText("")));
          putIfMissing(container, "terminationMessagePath", "/dev/termination-log");
          putIfMissing(container, "terminationMessagePolicy", "File");
          if (!container.has("resources")) {
            container.putObject("resources");
          }
          for (JsonNode p : container.path("ports")) {
            if (p instanceof ObjectNode port) {
              putIfMissing(port, "protocol", "TCP");
            }
          }
        }
      }
    }
  }

  private static String pullPolicy(String image) {
    String last = image.substring(image.lastIndexOf('/') + 1);
    if (last.contains("@")) {
      return "IfNotPresent";
    }
    int colon = last.indexOf(':');
    return colon < 0 || "latest".equals(last.substring(colon + 1)) ? "Always" : "IfNotPresent";
  }

  private void pod(ObjectNode obj, ObjectNode existing) {
    ObjectNode spec = Json.child(obj, "spec");
    podSpec(spec);
    putIfMissing(spec, "serviceAccountName", "default");
    putIfMissing(spec, "serviceAccount", spec.path("serviceAccountName").asText());
    putIfMissing(spec, "enableServiceLinks", true);
    putIfMissing(spec, "priority", 0);
    if (existing == null) {
      ObjectNode status = Json.child(obj, "status");
      status.put("phase", "Pending");
      status.put("qosClass", qosClass(spec));
    }
  }

  /** The kubelet's QoS class: no requests or limits, limits equal to requests everywhere, or anything else. */
  private static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (JsonNode c : spec.path("containers")) {
      JsonNode requests = c.path("resources").path("requests");
      JsonNode limits = c.path("resources").path("limits");
      any |= requests.size() > 0 || limits.size() > 0;
      for (String resource : new String[] {"cpu", "memory"}) {
        JsonNode limit = limits.get(resource);
        JsonNode request = requests.has(resource) ? requests.get(resource) : limit;
        guaranteed &= limit != null && limit.asText().equals(request.asText());
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  private void service(ObjectNode obj, ObjectNode existing) {
    ObjectNode spec = Json.child(obj, "spec");
    JsonNode old = existing == null ? null : existing.path("spec");
    putIfMissing(spec, "type", "ClusterIP");
    String type = spec.path("type").asText();
    if (!"ExternalName".equals(type)) {
      if (old != null && !spec.hasNonNull("clusterIP") && old.hasNonNull("clusterIP")) {
        spec.set("clusterIP", old.get("clusterIP"));
      }
      if (!spec.hasNonNull("clusterIP") || spec.path("clusterIP").asText().isEmpty()) {
        spec.put("clusterIP", allocateClusterIp());
      }
      ArrayNode ips = spec.putArray("clusterIPs");
      ips.add(spec.path("clusterIP").asText());
      putIfMissing(spec, "sessionAffinity", "None");
      putIfMissing(spec, "ipFamilyPolicy", "SingleStack");
      if (!spec.has("ipFamilies")) {
        spec.putArray("ipFamilies").add("IPv4");
      }
      putIfMissing(spec, "internalTrafficPolicy", "Cluster");
    }
    boolean nodePorts = "NodePort".equals(type) || "LoadBalancer".equals(type);
    if (nodePorts) {
      putIfMissing(spec, "externalTrafficPolicy", "Cluster");
      if ("LoadBalancer".equals(type)) {
        putIfMissing(spec, "allocateLoadBalancerNodePorts", true);
      }
    }
    int i = 0;
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode port) {
        putIfMissing(port, "protocol", "TCP");
        if (!port.has("targetPort") && port.has("port")) {
          port.set("targetPort", port.get("port"));
        }
        if (nodePorts && !port.has("nodePort")) {
          JsonNode oldPort = old == null ? null : old.path("ports").path(i).get("nodePort");
          port.put("nodePort", oldPort != null ? oldPort.asInt() : nextNodePort.getAndIncrement());
        }
      }
      i++;
    }
    if (existing == null) {
      obj.putObject("status").putObject("loadBalancer");
    }
  }

  private String allocateClusterIp() {
    int n = nextClusterIp.getAndIncrement();
    return "10.96." + (n / 250) + "." + (n % 250 + 1);
  }

  private static void secret(ObjectNode obj) {
    putIfMissing(obj, "type", "Opaque");
    // The API server folds write-only stringData into data.
    JsonNode stringData = obj.remove("stringData");
    if (stringData != null && stringData.isObject()) {
      ObjectNode data = Json.child(obj, "data");
      for (Map.Entry<String, JsonNode> e : stringData.properties()) {
        data.put(e.getKey(),
            Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  private static void namespace(ObjectNode obj) {
    String name = Json.name(obj);
    Json.child(Json.metadata(obj), "labels").put("kubernetes.io/metadata.name", name);
    ObjectNode spec = Json.child(obj, "spec");
    if (!spec.has("finalizers")) {
      spec.putArray("finalizers").add("kubernetes");
    }
    ObjectNode status = Json.child(obj, "status");
    putIfMissing(status, "phase", "Active");
  }

  private static void putIfMissing(ObjectNode node, String field, Object value) {
    if (node.hasNonNull(field)) {
      return;
    }
    if (value instanceof Integer i) {
      node.put(field, i);
    } else if (value instanceof Boolean b) {
      node.put(field, b);
    } else {
      node.put(field, String.valueOf(value));
    }
  }
}
