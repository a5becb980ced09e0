package dev.helmsdk.testkit.internal.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The fields every simulated controller reads, and status counts written as the real controllers write them (zeros omitted). */
final class ObjectFields {

  private ObjectFields() {
  }

  static boolean terminating(JsonNode obj) {
    return obj.path("metadata").has("deletionTimestamp");
  }

  static String label(JsonNode obj, String key) {
    return obj.path("metadata").path("labels").path(key).asText(null);
  }

  static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  static void putNonZero(ObjectNode node, String field, int value) {
    if (value != 0) {
      node.put(field, value);
    }
  }
}
