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

/**
 * The objects a controller owns: creating pods from a template with the owner reference, listing what an owner
 * controls, and deleting without failing on what is already gone.
 */
final class OwnedObjects {

  private final ObjectStore store;
  private final ResourceType pods;

  OwnedObjects(ObjectStore store) {
    this.store = store;
    this.pods = store.resources().find("", "v1", "pods").orElseThrow();
  }

  ObjectNode createPod(ObjectNode owner, String generatePrefix, JsonNode template,
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

  List<ObjectNode> livePods(String ns, String ownerUid) {
    List<ObjectNode> list = new ArrayList<>(owned(pods, ns, ownerUid));
    list.removeIf(ObjectFields::terminating);
    return list;
  }

  List<ObjectNode> owned(ResourceType type, String ns, String ownerUid) {
    return store.list(type, ns, o -> {
      for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
        if (ownerUid.equals(ref.path("uid").asText()) && ref.path("controller").asBoolean(false)) {
          return true;
        }
      }
      return false;
    }).items();
  }

  void deleteQuietly(ResourceType type, String ns, String name) {
    try {
      store.delete(type, ns, name, null, false);
    } catch (ApiException e) {
      if (e.code() != 404) {
        throw e;
      }
    }
  }

  static ObjectNode ownerReference(JsonNode owner) {
    ObjectNode ref = Json.object();
    ref.put("apiVersion", owner.path("apiVersion").asText());
    ref.put("kind", owner.path("kind").asText());
    ref.put("name", Json.name(owner));
    ref.put("uid", Json.uid(owner));
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
    return ref;
  }
}
