package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an update may change: name and resourceVersion checks, status-subresource semantics, server-owned fields. */
final class UpdateRules {

  /** Metadata the server owns: kept from the stored object whatever the client sent. */
  private static final String[] SERVER_OWNED = {"uid", "creationTimestamp", "deletionTimestamp",
      "deletionGracePeriodSeconds"};

  private UpdateRules() {
  }

  /**
   * The object to store for an update of {@code existing} with {@code obj}, carrying the current resourceVersion.
   *
   * @param statusOnly a write to the status subresource: only the status changes
   * @throws ApiException on a name mismatch (400), a stale resourceVersion (409) or an admission failure
   */
  static ObjectNode target(ResourceType type, String namespace, String name, ObjectNode existing, ObjectNode obj,
      boolean statusOnly, Admission admission) {
    ObjectNode meta = Json.metadata(obj);
    String bodyName = meta.path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL ("
          + name + ")");
    }
    meta.put("name", name);
    String bodyRv = meta.path("resourceVersion").asText("");
    String currentRv = existing.path("metadata").path("resourceVersion").asText("");
    if (!bodyRv.isEmpty() && !bodyRv.equals(currentRv)) {
      throw ApiException.conflict(type, name);
    }
    ObjectNode target;
    if (statusOnly) {
      target = existing.deepCopy();
      JsonNode status = obj.get("status");
      if (status == null || status.isNull()) {
        target.remove("status");
      } else {
        target.set("status", status);
      }
    } else {
      target = obj;
      if (type.namespaced()) {
        meta.put("namespace", namespace);
      }
      admission.admit(type, target, existing);
      if (type.hasStatusSubresource()) {
        JsonNode status = existing.get("status");
        if (status == null) {
          target.remove("status");
        } else {
          target.set("status", status.deepCopy());
        }
      }
      ObjectNode existingMeta = (ObjectNode) existing.path("metadata");
      for (String f : SERVER_OWNED) {
        if (existingMeta.has(f)) {
          meta.set(f, existingMeta.get(f));
        } else {
          meta.remove(f);
        }
      }
    }
    Json.metadata(target).put("resourceVersion", currentRv);
    return target;
  }

  /** The last finalizer was removed from an object being deleted: it goes away now. */
  static boolean finalizersGone(ObjectNode target) {
    return Json.metadata(target).has("deletionTimestamp") && Json.metadata(target).path("finalizers").isEmpty();
  }
}
