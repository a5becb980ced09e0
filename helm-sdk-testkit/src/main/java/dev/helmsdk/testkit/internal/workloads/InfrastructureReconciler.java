package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.Json;
import dev.helmsdk.testkit.internal.apiserver.ObjectStore;
import dev.helmsdk.testkit.internal.apiserver.ResourceType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.atomic.AtomicInteger;

import static dev.helmsdk.testkit.internal.workloads.ObjectFields.condition;

/**
 * The status a cluster's infrastructure gives at once: an address for a LoadBalancer Service, a bound
 * PersistentVolumeClaim, an established CustomResourceDefinition.
 */
final class InfrastructureReconciler {

  private final ObjectStore store;
  private final ResourceType services;
  private final ResourceType claims;
  private final ResourceType crds;
  private final AtomicInteger nextLoadBalancerIp = new AtomicInteger(200);

  InfrastructureReconciler(ObjectStore store) {
    this.store = store;
    services = store.resources().find("", "v1", "services").orElseThrow();
    claims = store.resources().find("", "v1", "persistentvolumeclaims").orElseThrow();
    crds = store.resources().find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
  }

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
}
