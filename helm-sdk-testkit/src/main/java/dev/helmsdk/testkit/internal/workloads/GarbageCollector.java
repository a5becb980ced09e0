package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.Json;
import dev.helmsdk.testkit.internal.apiserver.ObjectStore;
import dev.helmsdk.testkit.internal.apiserver.ResourceType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/** The garbage collector and the namespace controller: what goes when its owner or its namespace is deleted. */
final class GarbageCollector {

  private final ObjectStore store;
  private final OwnedObjects objects;

  GarbageCollector(ObjectStore store, OwnedObjects objects) {
    this.store = store;
    this.objects = objects;
  }

  /** Deletes (or, for {@code Orphan}, releases) every object owned by the deleted object with this uid. */
  void collectDependents(String ownerUid, String propagationPolicy) {
    for (ObjectNode dependent : store.allObjects(raw -> raw.contains(ownerUid))) {
      boolean owned = false;
      for (JsonNode ref : dependent.path("metadata").path("ownerReferences")) {
        owned |= ownerUid.equals(ref.path("uid").asText());
      }
      if (!owned) {
        continue;
      }
      Optional<ResourceType> type = store.resources().findByKind(dependent.path("apiVersion").asText(),
          dependent.path("kind").asText());
      if (type.isEmpty()) {
        continue;
      }
      String ns = Json.namespace(dependent);
      String name = Json.name(dependent);
      if ("Orphan".equals(propagationPolicy)) {
        store.modify(type.get(), ns, name, o -> {
          ArrayNode refs = (ArrayNode) Json.metadata(o).path("ownerReferences");
          for (int i = refs.size() - 1; i >= 0; i--) {
            if (ownerUid.equals(refs.get(i).path("uid").asText())) {
              refs.remove(i);
            }
          }
          return o;
        });
      } else {
        objects.deleteQuietly(type.get(), ns, name);
      }
    }
  }

  void deleteNamespaceContents(String namespace) {
    String marker = "\"namespace\":\"" + namespace + "\"";
    for (ObjectNode obj : store.allObjects(raw -> raw.contains(marker))) {
      if (!namespace.equals(Json.namespace(obj))) {
        continue;
      }
      store.resources().findByKind(obj.path("apiVersion").asText(), obj.path("kind").asText())
          .ifPresent(t -> objects.deleteQuietly(t, namespace, Json.name(obj)));
    }
  }
}
