package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The rules of a delete request: preconditions, the propagation policy, and marking objects that have finalizers. */
final class DeleteRules {

  private DeleteRules() {
  }

  /** Throws a conflict when the options' uid or resourceVersion precondition does not hold. */
  static void checkPreconditions(ResourceType type, String name, ObjectNode existing, JsonNode options) {
    JsonNode pre = options == null ? null : options.path("preconditions");
    if (pre != null && pre.isObject()) {
      String uid = pre.path("uid").asText("");
      String rv = pre.path("resourceVersion").asText("");
      if ((!uid.isEmpty() && !uid.equals(Json.uid(existing)))
          || (!rv.isEmpty() && !rv.equals(existing.path("metadata").path("resourceVersion").asText()))) {
        throw ApiException.conflict(type, name);
      }
    }
  }

  /** The propagation policy the options ask for ({@code orphanDependents: true} means Orphan); null for the default. */
  static String propagationPolicy(JsonNode options) {
    String policy = options == null ? null : options.path("propagationPolicy").asText(null);
    if (policy == null && options != null && options.path("orphanDependents").asBoolean(false)) {
      policy = "Orphan";
    }
    return policy;
  }

  static boolean hasFinalizers(ObjectNode existing) {
    return !existing.path("metadata").path("finalizers").isEmpty();
  }

  static boolean beingDeleted(ObjectNode existing) {
    return existing.path("metadata").has("deletionTimestamp");
  }

  /** A copy marked for deletion: it stays until its finalizers are removed. */
  static ObjectNode markedForDeletion(ObjectNode existing) {
    ObjectNode marked = existing.deepCopy();
    Json.metadata(marked).put("deletionTimestamp", Json.now());
    Json.metadata(marked).put("deletionGracePeriodSeconds", 0);
    return marked;
  }
}
