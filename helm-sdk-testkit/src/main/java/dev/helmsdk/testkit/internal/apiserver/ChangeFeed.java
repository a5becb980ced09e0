package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Tells watchers and the change listener of each committed change, keeps the latest resourceVersion, and starts watches. */
final class ChangeFeed {

  private final WatchHub watches;
  private volatile long lastResourceVersion;
  private volatile ObjectStore.ChangeListener listener = (e, t, o, p, s) -> { };

  ChangeFeed(WatchHub watches) {
    this.watches = watches;
  }

  void setListener(ObjectStore.ChangeListener listener) {
    this.listener = listener;
  }

  /** The resourceVersion of the latest change. */
  long currentResourceVersion() {
    return lastResourceVersion;
  }

  /** Called with the store lock held, after the change is stored. */
  void publish(String eventType, ResourceType type, ObjectNode obj, String policy, boolean statusOnly) {
    long rv = obj.path("metadata").path("resourceVersion").asLong(0);
    lastResourceVersion = Math.max(lastResourceVersion, rv);
    watches.publish(new WatchHub.Event(rv, eventType, type, obj.deepCopy()));
    listener.changed(eventType, type, obj, policy, statusOnly);
  }

  /**
   * Subscribes a watch; called with the store lock held so that the initial list and the subscription see the same
   * state.
   *
   * @param current lists the watched objects now, for a watch from the start or with initial events
   */
  WatchHub.Subscription subscribe(ResourceType type, String namespace, Predicate<JsonNode> filter,
      String resourceVersion, boolean sendInitialEvents, Supplier<ObjectStore.ListResult> current) {
    Predicate<WatchHub.Event> eventFilter = e -> e.resource().group().equals(type.group())
        && e.resource().plural().equals(type.plural())
        && (namespace == null || namespace.equals(Json.namespace(e.object())))
        && filter.test(e.object());
    List<WatchHub.Event> initial = new ArrayList<>();
    long since;
    if (resourceVersion == null || resourceVersion.isEmpty() || "0".equals(resourceVersion)
        || sendInitialEvents) {
      ObjectStore.ListResult now = current.get();
      for (ObjectNode o : now.items()) {
        initial.add(new WatchHub.Event(now.resourceVersion(), "ADDED", type, o));
      }
      if (sendInitialEvents) {
        ObjectNode bookmark = Json.object();
        bookmark.put("kind", type.kind());
        bookmark.put("apiVersion", type.apiVersion());
        ObjectNode meta = bookmark.putObject("metadata");
        meta.put("resourceVersion", String.valueOf(now.resourceVersion()));
        meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
        initial.add(new WatchHub.Event(now.resourceVersion(), "BOOKMARK", type, bookmark));
      }
      since = now.resourceVersion();
    } else {
      try {
        since = Long.parseLong(resourceVersion);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid resourceVersion: " + resourceVersion);
      }
    }
    return watches.subscribe(e -> "BOOKMARK".equals(e.type()) || eventFilter.test(e), since, initial);
  }
}
