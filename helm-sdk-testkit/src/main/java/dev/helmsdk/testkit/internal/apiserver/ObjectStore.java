package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The object store: fabric8's CRUD mock ({@link KubernetesCrudDispatcher}) does the persistence (uid,
 * resourceVersion, generation, conflicts), called in-process. Around it sits what the mock lacks and client-go
 * needs: admission defaults, status subresource semantics, real patch types, typed list kinds, selectors with the
 * full grammar, delete propagation hooks and watch events.
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

  private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
  private final ReentrantLock lock = new ReentrantLock();
  private final ApiResources resources;
  private final Admission admission = new Admission();
  private final WatchHub watches;
  private final SecureRandom random = new SecureRandom();
  private volatile long lastResourceVersion;
  private volatile ChangeListener listener = (e, t, o, p, s) -> { };

  ObjectStore(ApiResources resources, WatchHub watches) {
    this.resources = resources;
    this.watches = watches;
  }

  public void setListener(ChangeListener listener) {
    this.listener = listener;
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
    List<String> stored = stored(type.objectPath(namespace, name));
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
      stored = stored(type.collectionPath(namespace));
      rv = lastResourceVersion;
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
    List<String> raw = new ArrayList<>();
    synchronized (crud.getMap()) {
      for (String value : crud.getMap().values()) {
        if (rawFilter.test(value)) {
          raw.add(value);
        }
      }
    }
    List<ObjectNode> out = new ArrayList<>(raw.size());
    raw.forEach(r -> out.add(Json.parseObject(r)));
    return out;
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
      MockResponse response = crud.handleCreate(request(HttpMethod.POST, type.collectionPath(namespace), obj));
      ObjectNode created = checked(response, type, name);
      if (type.is("batch", "Job") && Admission.jobSelector(created)) {
        created = persist(type, namespace, name, created, false);
      }
      if (type.is("apiextensions.k8s.io", "CustomResourceDefinition")) {
        resources.registerCrd(created);
      }
      publish("ADDED", type, created, null, false);
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
      // Fields the server owns, whatever the client sent.
      ObjectNode existingMeta = (ObjectNode) existing.path("metadata");
      for (String f : new String[] {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"}) {
        if (existingMeta.has(f)) {
          meta.set(f, existingMeta.get(f));
        } else {
          meta.remove(f);
        }
      }
    }
    Json.metadata(target).put("resourceVersion", currentRv);
    if (dryRun) {
      return target;
    }
    boolean finalizersGone = Json.metadata(target).has("deletionTimestamp")
        && Json.metadata(target).path("finalizers").isEmpty();
    if (finalizersGone) {
      // The last finalizer was removed from an object being deleted: it goes away now.
      return deleteNow(type, namespace, name, existing, null);
    }
    ObjectNode updated = persist(type, namespace, name, target, statusOnly);
    if (!currentRv.equals(updated.path("metadata").path("resourceVersion").asText())) {
      if (type.is("apiextensions.k8s.io", "CustomResourceDefinition")) {
        resources.registerCrd(updated);
      }
      publish("MODIFIED", type, updated, null, statusOnly);
    }
    return updated;
  }

  public ObjectNode delete(ResourceType type, String namespace, String name, JsonNode options, boolean dryRun) {
    lock.lock();
    try {
      ObjectNode existing = get(type, namespace, name);
      JsonNode pre = options == null ? null : options.path("preconditions");
      if (pre != null && pre.isObject()) {
        String uid = pre.path("uid").asText("");
        String rv = pre.path("resourceVersion").asText("");
        if ((!uid.isEmpty() && !uid.equals(Json.uid(existing)))
            || (!rv.isEmpty() && !rv.equals(existing.path("metadata").path("resourceVersion").asText()))) {
          throw ApiException.conflict(type, name);
        }
      }
      if (dryRun) {
        return existing;
      }
      String policy = options == null ? null : options.path("propagationPolicy").asText(null);
      if (policy == null && options != null && options.path("orphanDependents").asBoolean(false)) {
        policy = "Orphan";
      }
      if (!existing.path("metadata").path("finalizers").isEmpty()) {
        if (existing.path("metadata").has("deletionTimestamp")) {
          return existing;
        }
        ObjectNode marked = existing.deepCopy();
        Json.metadata(marked).put("deletionTimestamp", Json.now());
        Json.metadata(marked).put("deletionGracePeriodSeconds", 0);
        ObjectNode updated = persist(type, namespace, name, marked, false);
        publish("MODIFIED", type, updated, null, false);
        return updated;
      }
      return deleteNow(type, namespace, name, existing, policy);
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
    remove(type.objectPath(namespace, name));
    ObjectNode gone = existing.deepCopy();
    // Real servers stamp delete events with a fresh resourceVersion; watchers rely on it to resume.
    Json.metadata(gone).put("resourceVersion", String.valueOf(crud.requestResourceVersion()));
    if (type.is("apiextensions.k8s.io", "CustomResourceDefinition")) {
      resources.unregisterCrd(gone);
    }
    publish("DELETED", type, gone, policy, false);
    return gone;
  }

  /** Subscribes a watch atomically with its initial state. */
  WatchHub.Subscription watch(ResourceType type, String namespace, Predicate<JsonNode> filter, String resourceVersion,
      boolean sendInitialEvents) {
    lock.lock();
    try {
      Predicate<WatchHub.Event> eventFilter = e -> e.resource().group().equals(type.group())
          && e.resource().plural().equals(type.plural())
          && (namespace == null || namespace.equals(Json.namespace(e.object())))
          && filter.test(e.object());
      List<WatchHub.Event> initial = new ArrayList<>();
      long since;
      if (resourceVersion == null || resourceVersion.isEmpty() || "0".equals(resourceVersion)
          || sendInitialEvents) {
        ListResult current = list(type, namespace, filter);
        for (ObjectNode o : current.items()) {
          initial.add(new WatchHub.Event(current.resourceVersion(), "ADDED", type, o));
        }
        if (sendInitialEvents) {
          ObjectNode bookmark = Json.object();
          bookmark.put("kind", type.kind());
          bookmark.put("apiVersion", type.apiVersion());
          ObjectNode meta = bookmark.putObject("metadata");
          meta.put("resourceVersion", String.valueOf(current.resourceVersion()));
          meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
          initial.add(new WatchHub.Event(current.resourceVersion(), "BOOKMARK", type, bookmark));
        }
        since = current.resourceVersion();
      } else {
        try {
          since = Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
          throw ApiException.badRequest("invalid resourceVersion: " + resourceVersion);
        }
      }
      return watches.subscribe(e -> "BOOKMARK".equals(e.type()) || eventFilter.test(e), since, initial);
    } finally {
      lock.unlock();
    }
  }

  /** The resourceVersion of the latest change. */
  long currentResourceVersion() {
    return lastResourceVersion;
  }

  ResourceType namespaceType() {
    return resources.find("", "v1", "namespaces").orElseThrow();
  }

  // ---------------------------------------------------------------- helpers

  /*
   * Reads and deletes go to the mock's map directly, not through its handleGet/handleDelete: those log every entry
   * they find at DEBUG ("Entry found for query"), which for Secrets is their data (Helm's release records,
   * registry logins). Every write to the mock happens under the store lock, so reading the map under it is safe.
   */

  /** The stored JSON of the objects an API path names (one object, or a collection), as the mock matches them. */
  private List<String> stored(String path) {
    AttributeSet query = crud.getKey(path);
    List<String> out = new ArrayList<>();
    lock.lock();
    try {
      for (Map.Entry<AttributeSet, String> e : crud.getMap().entrySet()) {
        if (e.getKey().matches(query)) {
          out.add(e.getValue());
        }
      }
    } finally {
      lock.unlock();
    }
    return out;
  }

  /** Removes what an object path names, as the mock's delete of an object without finalizers does. */
  private void remove(String path) {
    AttributeSet query = crud.getKey(path);
    List<AttributeSet> keys = new ArrayList<>();
    for (AttributeSet key : crud.getMap().keySet()) {
      if (key.matches(query)) {
        keys.add(key);
      }
    }
    keys.forEach(key -> crud.processEvent(path, query, key, null, null));
  }

  private ObjectNode persist(ResourceType type, String namespace, String name, ObjectNode obj, boolean statusOnly) {
    String path = type.objectPath(namespace, name) + (statusOnly ? "/status" : "");
    MockResponse response = crud.handleUpdate(request(HttpMethod.PUT, path, obj));
    return checked(response, type, name);
  }

  private ObjectNode checked(MockResponse response, ResourceType type, String name) {
    int code = response.code();
    String body = response.getBody() == null ? "" : response.getBody().readUtf8();
    if (code >= 200 && code < 300 && !body.isEmpty()) {
      return Json.parseObject(body);
    }
    if (code == 404) {
      throw ApiException.notFound(type, name);
    }
    if (code == 409) {
      throw ApiException.conflict(type, name);
    }
    String message = body;
    try {
      message = Json.parseObject(body).path("message").asText(body);
    } catch (RuntimeException ignored) {
      // not a Status body
    }
    throw new ApiException(code >= 400 ? code : 500, code == 422 ? "Invalid" : "InternalError",
        "the object store rejected " + type.qualifiedName() + " \"" + name + "\": " + message, type, name);
  }

  private void publish(String eventType, ResourceType type, ObjectNode obj, String policy, boolean statusOnly) {
    long rv = obj.path("metadata").path("resourceVersion").asLong(0);
    lastResourceVersion = Math.max(lastResourceVersion, rv);
    watches.publish(new WatchHub.Event(rv, eventType, type, obj.deepCopy()));
    listener.changed(eventType, type, obj, policy, statusOnly);
  }

  private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
    return new RecordedRequest("HTTP/1.1", method, path,
        Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer(Json.string(body).getBytes(StandardCharsets.UTF_8)));
  }
}
