package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Fan-out of object changes to HTTP watch streams, with a bounded history so a client-go reflector that lists at
 * resourceVersion N and then watches from N sees every change in between. Publishing happens under the store's
 * write lock, so events arrive in resourceVersion order.
 */
final class WatchHub {

  /** One change, as sent on a watch stream. */
  record Event(long resourceVersion, String type, ResourceType resource, ObjectNode object, long createdMillis) {
    Event(long resourceVersion, String type, ResourceType resource, ObjectNode object) {
      this(resourceVersion, type, resource, object, System.currentTimeMillis());
    }
  }

  /**
   * How far back a watch can resume. Enough for a reflector's list-then-watch gap; older resourceVersions get
   * 410 Gone and client-go re-lists, as against a compacted etcd. Bounded because events hold whole objects
   * (Helm release Secrets are tens of kilobytes).
   */
  private static final int HISTORY_LIMIT = 1_000;
  private static final long HISTORY_MILLIS = 5 * 60 * 1000;
  private static final Event CLOSED = new Event(-1, "CLOSED", null, null);

  private final Deque<Event> history = new ArrayDeque<>();
  private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();
  private long oldestForgotten = 0;
  private volatile boolean closed;

  /** A live watch. */
  final class Subscription implements AutoCloseable {
    private final Predicate<Event> filter;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();

    private Subscription(Predicate<Event> filter) {
      this.filter = filter;
    }

    /** The next event, null on timeout; {@code CLOSED} type once the hub shut down. */
    Event poll(long millis) throws InterruptedException {
      return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    void offer(Event e) {
      if (e == CLOSED || filter.test(e)) {
        queue.add(e);
      }
    }

    @Override
    public void close() {
      subscriptions.remove(this);
    }
  }

  /** Must be called with the store's write lock held. */
  void publish(Event event) {
    history.addLast(event);
    long cutoff = event.createdMillis() - HISTORY_MILLIS;
    while (history.size() > HISTORY_LIMIT || history.peekFirst().createdMillis() < cutoff) {
      oldestForgotten = history.removeFirst().resourceVersion();
    }
    for (Subscription s : subscriptions) {
      s.offer(event);
    }
  }

  /**
   * Subscribes and replays the history after {@code sinceResourceVersion}. Must be called with the store's write
   * lock held so no event falls between replay and subscription.
   *
   * @throws ApiException 410 Gone when the history no longer reaches back that far
   */
  Subscription subscribe(Predicate<Event> filter, long sinceResourceVersion, List<Event> initial) {
    if (closed) {
      throw new ApiException(503, "ServiceUnavailable", "the server is shutting down", null, null);
    }
    if (sinceResourceVersion >= 0 && sinceResourceVersion < oldestForgotten) {
      throw ApiException.gone("too old resource version: " + sinceResourceVersion + " (" + oldestForgotten + ")");
    }
    Subscription s = new Subscription(filter);
    initial.forEach(s::offer);
    if (sinceResourceVersion >= 0) {
      for (Event e : new ArrayList<>(history)) {
        if (e.resourceVersion() > sinceResourceVersion) {
          s.offer(e);
        }
      }
    }
    subscriptions.add(s);
    return s;
  }

  static boolean isClosedMarker(Event e) {
    return e == CLOSED;
  }

  void close() {
    closed = true;
    for (Subscription s : subscriptions) {
      s.queue.add(CLOSED);
    }
    subscriptions.clear();
  }
}
