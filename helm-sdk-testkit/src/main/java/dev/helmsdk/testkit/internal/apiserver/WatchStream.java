package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** Serves one watch request: a chunked stream of newline-separated events, with bookmarks and the request's timeout. */
final class WatchStream {

  private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);

  private final ObjectStore store;
  private final BooleanSupplier serverRunning;

  WatchStream(ObjectStore store, BooleanSupplier serverRunning) {
    this.store = store;
    this.serverRunning = serverRunning;
  }

  /** Streams until the timeout, the client leaves, the watch hub closes or the server stops. */
  void serve(HttpCall ex, ResourceType type, String ns, String name, Map<String, String> query) {
    Predicate<JsonNode> filter = Selectors.ofQuery(query);
    if (name != null) {
      filter = filter.and(o -> name.equals(Json.name(o)));
    }
    boolean bookmarks = "true".equals(query.get("allowWatchBookmarks"));
    long timeoutSeconds = 1800;
    try {
      timeoutSeconds = Long.parseLong(query.getOrDefault("timeoutSeconds", "1800"));
    } catch (NumberFormatException ignored) {
      // keep the default
    }
    WatchHub.Subscription subscription;
    try {
      subscription = store.watch(type, ns, filter, query.get("resourceVersion"),
          "true".equals(query.get("sendInitialEvents")));
    } catch (ApiException e) {
      // Watch errors travel in the stream, as real servers send them (client-go re-lists on 410).
      ex.startStream("application/json");
      try {
        ex.write(event("ERROR", e.toStatus()));
      } catch (IOException ignored) {
        // client gone
      }
      ex.end();
      return;
    }
    ex.startStream("application/json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, timeoutSeconds));
    try (subscription) {
      stream(ex, type, subscription, bookmarks, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.debug("Watch client went away", e);
    }
    ex.end();
  }

  private void stream(HttpCall ex, ResourceType type, WatchHub.Subscription subscription, boolean bookmarks,
      long deadline) throws InterruptedException, IOException {
    long lastWrite = System.nanoTime();
    while (serverRunning.getAsBoolean() && !ex.isClosed()) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        break;
      }
      WatchHub.Event event = subscription.poll(Math.min(left, 500));
      if (event == null) {
        if (bookmarks && System.nanoTime() - lastWrite > TimeUnit.SECONDS.toNanos(10)) {
          ObjectNode bookmark = Json.object();
          bookmark.put("kind", type.kind());
          bookmark.put("apiVersion", type.apiVersion());
          bookmark.putObject("metadata").put("resourceVersion", String.valueOf(store.currentResourceVersion()));
          ex.write(event("BOOKMARK", bookmark));
          lastWrite = System.nanoTime();
        }
        continue;
      }
      if (WatchHub.isClosedMarker(event)) {
        break;
      }
      if ("BOOKMARK".equals(event.type()) && !bookmarks) {
        continue;
      }
      ex.write(event(event.type(), event.object()));
      lastWrite = System.nanoTime();
    }
  }

  private static byte[] event(String type, JsonNode object) {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.set("object", object);
    byte[] json = Json.bytes(event);
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    return line;
  }
}
