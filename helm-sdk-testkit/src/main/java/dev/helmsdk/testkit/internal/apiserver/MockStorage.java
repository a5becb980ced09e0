package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Persistence in fabric8's CRUD mock ({@link KubernetesCrudDispatcher}), called in-process: it assigns uid,
 * resourceVersion and generation and detects conflicts.
 *
 * <p>Reads and deletes go to the mock's map directly, not through its handleGet/handleDelete: those log every entry
 * they find at DEBUG ("Entry found for query"), which for Secrets is their data (Helm's release records, registry
 * logins). Every write to the mock happens under the store lock, so reading the map under it is safe.
 */
final class MockStorage {

  private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
  private final ReentrantLock lock;

  /** {@code lock} is the store's write lock. */
  MockStorage(ReentrantLock lock) {
    this.lock = lock;
  }

  /** The stored JSON of the objects an API path names (one object, or a collection), as the mock matches them. */
  List<String> stored(String path) {
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

  /** Every stored object whose raw JSON passes the filter. */
  List<ObjectNode> all(Predicate<String> rawFilter) {
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

  /** Stores a new object in a collection. */
  ObjectNode create(ResourceType type, String namespace, String name, ObjectNode obj) {
    return checked(crud.handleCreate(request(HttpMethod.POST, type.collectionPath(namespace), obj)), type, name);
  }

  /** Replaces a stored object (its status alone with {@code statusOnly}). */
  ObjectNode persist(ResourceType type, String namespace, String name, ObjectNode obj, boolean statusOnly) {
    String path = type.objectPath(namespace, name) + (statusOnly ? "/status" : "");
    MockResponse response = crud.handleUpdate(request(HttpMethod.PUT, path, obj));
    return checked(response, type, name);
  }

  /** Removes what an object path names, as the mock's delete of an object without finalizers does. */
  void remove(String path) {
    AttributeSet query = crud.getKey(path);
    List<AttributeSet> keys = new ArrayList<>();
    for (AttributeSet key : crud.getMap().keySet()) {
      if (key.matches(query)) {
        keys.add(key);
      }
    }
    keys.forEach(key -> crud.processEvent(path, query, key, null, null));
  }

  /** A fresh resourceVersion from the mock's counter. */
  long nextResourceVersion() {
    return crud.requestResourceVersion();
  }

  private static ObjectNode checked(MockResponse response, ResourceType type, String name) {
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

  private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
    return new RecordedRequest("HTTP/1.1", method, path,
        Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer(Json.string(body).getBytes(StandardCharsets.UTF_8)));
  }
}
