package dev.helmsdk.testkit.internal.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** The labels that tie pods to a template revision, and the hash that names the revision. */
final class PodTemplateHash {

  static final String TEMPLATE_HASH = "pod-template-hash";
  static final String REVISION_HASH = "controller-revision-hash";
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private PodTemplateHash() {
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
