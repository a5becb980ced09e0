package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three patch flavours the API accepts. The mock only knows JSON patch and a Jackson "merge" that appends to
 * arrays; Helm's upgrades send strategic merge patches, so those are applied here with the merge keys of the
 * built-in types (containers by name, ports by port, ...), which is what keeps an upgrade from duplicating or
 * dropping containers.
 */
final class Patches {

  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  static final String APPLY_PATCH_YAML = "application/apply-patch+yaml";
  static final String APPLY_PATCH_JSON = "application/apply-patch+json";

  /** Lists merged element-by-element in strategic merge patches, with their merge key. */
  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"),
      Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"),
      Map.entry("env", "name"),
      Map.entry("volumes", "name"),
      Map.entry("volumeMounts", "mountPath"),
      Map.entry("volumeDevices", "devicePath"),
      Map.entry("imagePullSecrets", "name"),
      Map.entry("hostAliases", "ip"),
      Map.entry("ownerReferences", "uid"),
      Map.entry("conditions", "type"),
      Map.entry("topologySpreadConstraints", "topologyKey"),
      Map.entry("resourceClaims", "name"),
      Map.entry("ports", "*port"));

  /** Primitive lists merged as sets in strategic merge patches. */
  private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");

  private Patches() {
  }

  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
  }

  static ObjectNode apply(String mediaType, ObjectNode current, JsonNode patch) {
    switch (mediaType) {
      case JSON_PATCH -> {
        if (!patch.isArray()) {
          throw ApiException.badRequest("a JSON patch must be an array of operations");
        }
        try {
          JsonNode result = JsonPatch.apply(patch, current);
          if (!result.isObject()) {
            throw ApiException.badRequest("the JSON patch did not produce an object");
          }
          return (ObjectNode) result;
        } catch (RuntimeException e) {
          if (e instanceof ApiException api) {
            throw api;
          }
          throw new ApiException(422, "Invalid", "the JSON patch could not be applied: " + e.getMessage(), null, null);
        }
      }
      case MERGE_PATCH, APPLY_PATCH_YAML, APPLY_PATCH_JSON -> {
        requireObject(patch);
        JsonNode merged = mergePatch(current.deepCopy(), patch);
        return (ObjectNode) merged;
      }
      case STRATEGIC_MERGE_PATCH -> {
        requireObject(patch);
        return strategicMerge(current.deepCopy(), (ObjectNode) patch);
      }
      default -> throw ApiException.unsupportedMediaType("the body of the request was in an unknown format - "
          + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
          + "application/apply-patch+yaml");
    }
  }

  private static void requireObject(JsonNode patch) {
    if (!patch.isObject()) {
      throw ApiException.badRequest("a merge patch must be a JSON object");
    }
  }

  /** RFC 7386. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
    patch.properties().forEach(e -> {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    });
    return result;
  }

  /** Strategic merge patch for the directives client-go's three-way patch emits. */
  static ObjectNode strategicMerge(ObjectNode target, ObjectNode patch) {
    JsonNode patchDirective = patch.get("$patch");
    if (patchDirective != null && "replace".equals(patchDirective.asText())) {
      ObjectNode replaced = patch.deepCopy();
      stripDirectives(replaced);
      return replaced;
    }
    JsonNode retainKeys = patch.get("$retainKeys");
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String field = key.substring("$deleteFromPrimitiveList/".length());
        JsonNode existing = target.get(field);
        if (existing instanceof ArrayNode arr && value.isArray()) {
          Set<String> remove = new HashSet<>();
          value.forEach(v -> remove.add(v.asText()));
          ArrayNode kept = arr.arrayNode();
          arr.forEach(v -> {
            if (!remove.contains(v.asText())) {
              kept.add(v);
            }
          });
          target.set(field, kept);
        }
        continue;
      }
      if (key.startsWith("$")) {
        continue; // $setElementOrder/..., $retainKeys, $patch: ordering and bookkeeping only
      }
      if (value.isNull()) {
        target.remove(key);
      } else if (value.isObject()) {
        JsonNode existing = target.get(key);
        if ("delete".equals(value.path("$patch").asText())) {
          target.remove(key);
        } else if (existing instanceof ObjectNode existingObject) {
          target.set(key, strategicMerge(existingObject, (ObjectNode) value));
        } else {
          ObjectNode fresh = value.deepCopy();
          stripDirectives(fresh);
          target.set(key, fresh);
        }
      } else if (value.isArray()) {
        target.set(key, mergeList(key, target.get(key), (ArrayNode) value));
      } else {
        target.set(key, value.deepCopy());
      }
    }
    if (retainKeys != null && retainKeys.isArray()) {
      Set<String> keep = new HashSet<>();
      retainKeys.forEach(k -> keep.add(k.asText()));
      List<String> names = new ArrayList<>();
      target.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!keep.contains(name)) {
          target.remove(name);
        }
      }
    }
    return target;
  }

  private static JsonNode mergeList(String field, JsonNode existing, ArrayNode patch) {
    if (patch.size() == 1 && "replace".equals(patch.get(0).path("$patch").asText())) {
      return patch.arrayNode();
    }
    boolean replaceDirective = false;
    ArrayNode elements = patch.arrayNode();
    for (JsonNode el : patch) {
      if (el.isObject() && "replace".equals(el.path("$patch").asText())) {
        replaceDirective = true;
      } else {
        elements.add(el);
      }
    }
    if (replaceDirective || !(existing instanceof ArrayNode current)) {
      return cleaned(elements);
    }
    if (MERGED_PRIMITIVE_LISTS.contains(field)) {
      ArrayNode merged = current.deepCopy();
      Set<String> present = new HashSet<>();
      current.forEach(v -> present.add(v.asText()));
      elements.forEach(v -> {
        if (present.add(v.asText())) {
          merged.add(v);
        }
      });
      return merged;
    }
    String mergeKey = MERGE_KEYS.get(field);
    if (mergeKey == null || elements.isEmpty() || !elements.get(0).isObject()) {
      return cleaned(elements);
    }
    if ("*port".equals(mergeKey)) {
      // Container ports merge on containerPort, Service ports on port.
      mergeKey = elements.get(0).has("containerPort") || (current.size() > 0 && current.get(0).has("containerPort"))
          ? "containerPort" : "port";
    }
    ArrayNode merged = current.deepCopy();
    for (JsonNode el : elements) {
      JsonNode keyValue = el.get(mergeKey);
      int index = indexOf(merged, mergeKey, keyValue);
      if ("delete".equals(el.path("$patch").asText())) {
        while (index >= 0) {
          merged.remove(index);
          index = indexOf(merged, mergeKey, keyValue);
        }
      } else if (index >= 0) {
        merged.set(index, strategicMerge((ObjectNode) merged.get(index), (ObjectNode) el));
      } else {
        ObjectNode fresh = el.deepCopy();
        stripDirectives(fresh);
        merged.add(fresh);
      }
    }
    return merged;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    if (value == null) {
      return -1;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode candidate = list.get(i).get(key);
      if (candidate != null && candidate.asText().equals(value.asText())) {
        return i;
      }
    }
    return -1;
  }

  private static ArrayNode cleaned(ArrayNode elements) {
    ArrayNode copy = elements.deepCopy();
    copy.forEach(el -> {
      if (el instanceof ObjectNode o) {
        stripDirectives(o);
      }
    });
    return copy;
  }

  private static void stripDirectives(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode v = node.get(name);
      if (name.startsWith("$") || v.isNull()) {
        node.remove(name);
      } else if (v instanceof ObjectNode o) {
        stripDirectives(o);
      } else if (v instanceof ArrayNode a) {
        a.forEach(el -> {
          if (el instanceof ObjectNode o) {
            stripDirectives(o);
          }
        });
      }
    }
  }
}
