package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The object store's API: reads, writes, deletes and watches of typed objects, each atomic. Persistence is
 * {@link MockStorage} (fabric8's CRUD mock); around it sits what the mock lacks and client-go needs: admission
 * defaults, status subresource semantics ({@link UpdateRules}), real patch types, typed list kinds, selectors with
 * the full grammar, finalizers and delete propagation ({@link DeleteRules}) and watch events ({@link ChangeFeed}).
 *
 * <p>Every write takes one lock: the mock's own lock does not cover the read-modify-write of a patch, and the
 * simulated controller writes concurrently with clients.
 */
public final class ObjectStore {

  /** Called for each committed change, with the store lock held; must not block. */
  public interface ChangeListener {
    void changed(String eventType, ResourceType type, ObjectNode object, String propagationPolicy,
        boolean statusOnly);
  }

  /** A list result: the items and the store's resourceVersion at the time of the list. */
  public record ListResult(List<ObjectNode> items, long resourceVersion) {
  }

  private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final ReentrantLock lock = new ReentrantLock();
  private final MockStorage storage = new MockStorage(lock);
  private final ApiResources resources;
  private final Admission admission = new Admission();
  private final ChangeFeed feed;
  private final SecureRandom random = new SecureRandom();

  ObjectStore(ApiResources resources, WatchHub watches) {
    this.resources = resources;
    this.feed = new ChangeFeed(watches);
  }

  public void setListener(ChangeListener listener) {
    feed.setListener(listener);
  }

  public ApiResources resources() {
    return resources;
  }

  /** Random suffix in the alphabet Kubernetes uses for generated names. */
  public String randomSuffix(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- reads

  public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
    List<String> stored = storage.stored(type.objectPath(namespace, name));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode obj = Json.parseObject(stored.get(0));
    // The mock matches on attributes; make sure it is really this object (an unnamed list would also match).
    if (!name.equals(Json.name(obj)) || !type.apiVersion().equals(obj.path("apiVersion").asText())
        || !type.kind().equals(obj.path("kind").asText())) {
      return Optional.empty();
    }
    return Optional.of(obj);
  }

  ObjectNode get(ResourceType type, String namespace, String name) {
    return find(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
  }

  public ListResult list(ResourceType type, String namespace, Predicate<JsonNode> filter) {
    List<String> stored;
    long rv;
    lock.lock();
    try {
      stored = storage.stored(type.collectionPath(namespace));
      rv = feed.currentResourceVersion();
    } finally {
      lock.unlock();
    }
    List<ObjectNode> items = new ArrayList<>();
    for (String json : stored) {
      ObjectNode item = Json.parseObject(json);
      // The mock keys entries by attributes only: re-check the type so core and group resources sharing a plural
      // (events, events.events.k8s.io) do not leak into each other.
      if (type.apiVersion().equals(item.path("apiVersion").asText(type.apiVersion()))
          && type.kind().equals(item.path("kind").asText(type.kind())) && filter.test(item)) {
        items.add(item);
      }
    }
    items.sort(Comparator.comparing((ObjectNode o) -> String.valueOf(Json.namespace(o)))
        .thenComparing(o -> String.valueOf(Json.name(o))));
    return new ListResult(items, rv);
  }

  /** Every stored object with its type; for garbage collection and namespace deletion. */
  public List<ObjectNode> allObjects(Predicate<String> rawFilter) {
    return storage.all(rawFilter);
  }

  /** The {@code <Kind>List} document client-go expects (the mock answers with a kind-less {@code List}). */
  ObjectNode listDocument(ResourceType type, ListResult result) {
    ObjectNode list = Json.object();
    list.put("kind", type.kind() + "List");
    list.put("apiVersion", type.apiVersion());
    list.putObject("metadata").put("resourceVersion", String.valueOf(result.resourceVersion()));
    ArrayNode items = list.putArray("items");
    result.items().forEach(items::add);
    return list;
  }

  // ---------------------------------------------------------------- writes

  public ObjectNode create(ResourceType type, String namespace, ObjectNode obj, boolean dryRun) {
    lock.lock();
    try {
      ObjectNode meta = Json.metadata(obj);
      String bodyNamespace = meta.path("namespace").asText("");
      if (type.namespaced()) {
        if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
          throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
              + "the request");
        }
        meta.put("namespace", namespace);
        if (find(namespaceType(), null, namespace).isEmpty()) {
          throw ApiException.namespaceNotFound(namespace);
        }
      } else {
        meta.remove("namespace");
      }
      String name = meta.path("name").asText("");
      if (name.isEmpty()) {
        String generateName = meta.path("generateName").asText("");
        if (generateName.isEmpty()) {
          throw ApiException.invalid(type, "", "metadata.name: Required value: name or generateName is required");
        }
        name = generateName + randomSuffix(5);
        meta.put("name", name);
      }
      if (find(type, namespace, name).isPresent()) {
        throw ApiException.alreadyExists(type, name);
      }
      meta.remove("resourceVersion");
      admission.admit(type, obj, null);
      if (dryRun) {
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Json.now());
        meta.put("generation", 1);
        return obj;
      }
      ObjectNode created = storage.create(type, namespace, name, obj);
      if (type.is("batch", "Job") && Admission.jobSelector(created)) {
        created = storage.persist(type, namespace, name, created, false);
      }
      if (type.is("apiextensions.k8s.io", "CustomResourceDefinition")) {
        resources.registerCrd(created);
      }
      feed.publish("ADDED", type, created, null, false);
      return created;
    } finally {
      lock.unlock();
    }
  }

  /** PUT; {@code statusOnly} for the status subresource. */
  ObjectNode replace(ResourceType type, String namespace, String name, ObjectNode obj, boolean statusOnly,
      boolean dryRun) {
    lock.lock();
    try {
      ObjectNode existing = get(type, namespace, name);
      return update(type, namespace, name, existing, obj, statusOnly, dryRun);
    } finally {
      lock.unlock();
    }
  }

  ObjectNode patch(ResourceType type, String namespace, String name, String mediaType, JsonNode patch,
      boolean statusOnly, boolean dryRun) {
    lock.lock();
    try {
      Optional<ObjectNode> existing = find(type, namespace, name);
      boolean apply = mediaType.startsWith("application/apply-patch");
      if (existing.isEmpty()) {
        if (apply && patch.isObject()) {
          ObjectNode fresh = ((ObjectNode) patch).deepCopy();
          Json.metadata(fresh).put("name", name);
          return create(type, namespace, fresh, dryRun);
        }
        throw ApiException.notFound(type, name);
      }
      ObjectNode merged = Patches.apply(mediaType, existing.get(), patch);
      return update(type, namespace, name, existing.get(), merged, statusOnly, dryRun);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Atomically recomputes an object's status; writes (and emits an event) only when it changed.
   *
   * @return the stored object after the call, empty when it does not exist
   */
  public Optional<ObjectNode> updateStatus(ResourceType type, String namespace, String name,
      UnaryOperator<ObjectNode> statusFunction) {
    lock.lock();
    try {
      Optional<ObjectNode> existing = find(type, namespace, name);
      if (existing.isEmpty()) {
        return existing;
      }
      ObjectNode current = existing.get();
      ObjectNode newStatus = statusFunction.apply(current.deepCopy());
      if (newStatus == null || Json.same(newStatus, current.get("status"))) {
        return existing;
      }
      ObjectNode body = current.deepCopy();
      body.set("status", newStatus);
      return Optional.of(update(type, namespace, name, current, body, true, false));
    } finally {
      lock.unlock();
    }
  }

  /** Atomically rewrites an object (spec or metadata); writes only when the function returns a different object. */
  public Optional<ObjectNode> modify(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change) {
    lock.lock();
    try {
      Optional<ObjectNode> existing = find(type, namespace, name);
      if (existing.isEmpty()) {
        return existing;
      }
      ObjectNode changed = change.apply(existing.get().deepCopy());
      if (changed == null || Json.same(changed, existing.get())) {
        return existing;
      }
      return Optional.of(update(type, namespace, name, existing.get(), changed, false, false));
    } finally {
      lock.unlock();
    }
  }

  private ObjectNode update(ResourceType type, String namespace, String name, ObjectNode existing, ObjectNode obj,
      boolean statusOnly, boolean dryRun) {
    ObjectNode target = UpdateRules.target(type, namespace, name, existing, obj, statusOnly, admission);
    if (dryRun) {
      return target;
    }
    if (UpdateRules.finalizersGone(target)) {
      return deleteNow(type, namespace, name, existing, null);
    }
    String currentRv = existing.path("metadata").path("resourceVersion").asText("");
    ObjectNode updated = storage.persist(type, namespace, name, target, statusOnly);
    if (!currentRv.equals(updated.path("metadata").path("resourceVersion").asText())) {
      if (type.is("apiextensions.k8s.io", "CustomResourceDefinition")) {
        resources.registerCrd(updated);
      }
      feed.publish("MODIFIED", type, updated, null, statusOnly);
    }
    return updated;
  }

  public ObjectNode delete(ResourceType type, String namespace, String name, JsonNode options, boolean dryRun) {
    lock.lock();
    try {
      ObjectNode existing = get(type, namespace, name);
      DeleteRules.checkPreconditions(type, name, existing, options);
      if (dryRun) {
        return existing;
      }
      if (DeleteRules.hasFinalizers(existing)) {
        if (DeleteRules.beingDeleted(existing)) {
          return existing;
        }
        ObjectNode updated = storage.persist(type, namespace, name, DeleteRules.markedForDeletion(existing), false);
        feed.publish("MODIFIED", type, updated, null, false);
        return updated;
      }
      return deleteNow(type, namespace, name, existing, DeleteRules.propagationPolicy(options));
    } finally {
      lock.unlock();
    }
  }

  private ObjectNode deleteNow(ResourceType type, String namespace, String name, ObjectNode existing,
      String policy) {
    if (type.is("apiextensions.k8s.io", "CustomResourceDefinition")) {
      // Deleting a CRD deletes its custom resources.
      String group = existing.path("spec").path("group").asText();
      String plural = existing.path("spec").path("names").path("plural").asText();
      for (ResourceType t : resources.all()) {
        if (t.group().equals(group) && t.plural().equals(plural)) {
          for (ObjectNode instance : list(t, null, o -> true).items()) {
            deleteNow(t, Json.namespace(instance), Json.name(instance), instance, policy);
          }
        }
      }
    }
    storage.remove(type.objectPath(namespace, name));
    ObjectNode gone = existing.deepCopy();
    // Real servers stamp delete events with a fresh resourceVersion; watchers rely on it to resume.
    Json.metadata(gone).put("resourceVersion", String.valueOf(storage.nextResourceVersion()));
    if (type.is("apiextensions.k8s.io", "CustomResourceDefinition")) {
      resources.unregisterCrd(gone);
    }
    feed.publish("DELETED", type, gone, policy, false);
    return gone;
  }

  /** Subscribes a watch atomically with its initial state. */
  WatchHub.Subscription watch(ResourceType type, String namespace, Predicate<JsonNode> filter, String resourceVersion,
      boolean sendInitialEvents) {
    lock.lock();
    try {
      return feed.subscribe(type, namespace, filter, resourceVersion, sendInitialEvents,
          () -> list(type, namespace, filter));
    } finally {
      lock.unlock();
    }
  }

  /** The resourceVersion of the latest change. */
  long currentResourceVersion() {
    return feed.currentResourceVersion();
  }

  ResourceType namespaceType() {
    return resources.find("", "v1", "namespaces").orElseThrow();
  }
}
