package dev.helmsdk.testkit.internal.apiserver;

import dev.helmsdk.testkit.internal.workloads.SimulatedController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

/** Serves the verbs on resource paths (get, list, create, replace, patch, delete, scale, eviction) over the object store. */
final class ResourceRoutes {

  /** Reads wait at most this long for the simulated controller to catch up. */
  private static final long SETTLE_MILLIS = 2_000;
  /**
   * Reads that wait for the simulated controller: the kinds it creates, deletes or gives status to. Other reads
   * (Helm's release Secrets above all) answer at once, as a real API server does, so a client that reads back what
   * it just wrote does not pay for the controller's work on unrelated objects; unless deletions are queued, which
   * can remove objects of any kind.
   */
  private static final Set<String> SETTLED_READS = Set.of("deployments", "replicasets",
      "statefulsets", "daemonsets", "jobs", "pods", "services", "persistentvolumeclaims",
      "customresourcedefinitions", "namespaces");

  private final ObjectStore store;
  private final SimulatedController controller;
  private final WatchStream watches;

  ResourceRoutes(ObjectStore store, SimulatedController controller, WatchStream watches) {
    this.store = store;
    this.controller = controller;
    this.watches = watches;
  }

  void serve(HttpCall ex, String method, ApiPath p, Map<String, String> query, String contentType, byte[] body) {
    ResourceType type = store.resources().find(p.group(), p.version(), p.resource())
        .orElseThrow(ApiException::pathNotFound);
    if (!type.namespaced() && p.namespace() != null) {
      throw ApiException.pathNotFound();
    }
    String ns = type.namespaced() ? p.namespace() : null;
    String name = p.name();
    String sub = p.subresource();
    boolean dryRun = query.containsKey("dryRun");
    if (sub != null && !type.subresources().contains(sub)) {
      throw ApiException.pathNotFound();
    }
    if (type.namespaced() && ns == null && name != null) {
      throw ApiException.pathNotFound();
    }
    switch (method) {
      case "GET", "HEAD" -> get(ex, p, type, ns, name, sub, query);
      case "POST" -> {
        if ("eviction".equals(sub)) {
          store.delete(type, ns, name, null, dryRun);
          ObjectNode ok = Json.object();
          ok.put("kind", "Status");
          ok.put("apiVersion", "v1");
          ok.put("status", "Success");
          ex.sendJson(201, ok);
          return;
        }
        if (name != null) {
          throw ApiException.methodNotAllowed(method);
        }
        if (type.namespaced() && ns == null) {
          throw ApiException.pathNotFound();
        }
        ex.sendJson(201, store.create(type, ns, RequestBodies.object(body, contentType), dryRun));
      }
      case "PUT" -> {
        requireName(name, method);
        ObjectNode obj = RequestBodies.object(body, contentType);
        if ("scale".equals(sub)) {
          int replicas = obj.path("spec").path("replicas").asInt();
          ObjectNode patch = Json.object();
          patch.putObject("spec").put("replicas", replicas);
          ex.sendJson(200, scale(store.patch(type, ns, name, Patches.MERGE_PATCH, patch, false, dryRun)));
        } else {
          ex.sendJson(200, store.replace(type, ns, name, obj, "status".equals(sub), dryRun));
        }
      }
      case "PATCH" -> {
        requireName(name, method);
        String mediaType = Patches.mediaType(contentType);
        JsonNode patch = RequestBodies.patch(body, mediaType);
        if ("scale".equals(sub)) {
          JsonNode replicas = patch.path("spec").path("replicas");
          ObjectNode merge = Json.object();
          merge.putObject("spec").set("replicas", replicas);
          ex.sendJson(200, scale(store.patch(type, ns, name, Patches.MERGE_PATCH, merge, false, dryRun)));
        } else {
          ex.sendJson(200, store.patch(type, ns, name, mediaType, patch, "status".equals(sub), dryRun));
        }
      }
      case "DELETE" -> delete(ex, type, ns, name, query, RequestBodies.deleteOptions(body, contentType, query), dryRun);
      default -> throw ApiException.methodNotAllowed(method);
    }
  }

  private void get(HttpCall ex, ApiPath p, ResourceType type, String ns, String name, String sub,
      Map<String, String> query) {
    if ("websocket".equalsIgnoreCase(String.valueOf(ex.header("Upgrade")))) {
      // No WebSocket watches: a plain 200 makes fabric8 fall back to an HTTP watch (its documented path).
      ex.sendJson(200, Json.object());
      return;
    }
    if (SETTLED_READS.contains(type.plural()) || controller.deletionsPending()) {
      controller.awaitIdle(SETTLE_MILLIS);
    }
    if (p.legacyWatch() || "true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
      watches.serve(ex, type, ns, name, query);
    } else if (name == null) {
      ex.sendJson(200, store.listDocument(type, store.list(type, ns, Selectors.ofQuery(query))));
    } else if ("scale".equals(sub)) {
      ex.sendJson(200, scale(store.get(type, ns, name)));
    } else if ("log".equals(sub)) {
      store.get(type, ns, name);
      ex.sendText(200, "");
    } else {
      ex.sendJson(200, store.get(type, ns, name));
    }
  }

  private void delete(HttpCall ex, ResourceType type, String ns, String name, Map<String, String> query,
      JsonNode options, boolean dryRun) {
    if (name != null) {
      ex.sendJson(200, store.delete(type, ns, name, options, dryRun));
      return;
    }
    ObjectStore.ListResult victims = store.list(type, ns, Selectors.ofQuery(query));
    for (ObjectNode victim : victims.items()) {
      try {
        store.delete(type, Json.namespace(victim), Json.name(victim), options, dryRun);
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
    ex.sendJson(200, store.listDocument(type, victims));
  }

  private static void requireName(String name, String method) {
    if (name == null) {
      throw ApiException.methodNotAllowed(method);
    }
  }

  /** The autoscaling/v1 Scale view of a workload. */
  private static ObjectNode scale(ObjectNode obj) {
    ObjectNode scale = Json.object();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (obj.path("metadata").has(f)) {
        meta.set(f, obj.path("metadata").get(f));
      }
    }
    scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    StringBuilder selector = new StringBuilder();
    Json.stringMap(obj.path("spec").path("selector").path("matchLabels")).forEach((k, v) -> {
      if (selector.length() > 0) {
        selector.append(',');
      }
      selector.append(k).append('=').append(v);
    });
    status.put("selector", selector.toString());
    return scale;
  }
}
