package dev.helmsdk.testkit.internal.workloads;

import dev.helmsdk.testkit.internal.apiserver.ApiException;
import dev.helmsdk.testkit.internal.apiserver.Json;
import dev.helmsdk.testkit.internal.apiserver.ObjectStore;
import dev.helmsdk.testkit.internal.apiserver.ResourceType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.testkit.WorkloadFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for kube-controller-manager, the scheduler and the kubelet: an event-driven work queue on one daemon
 * thread that turns workloads into ReplicaSets and Pods, gives every object the status a real cluster would, and
 * garbage-collects dependents. Readers can {@link #awaitIdle wait until it has caught up}, which is what makes
 * Helm's first readiness poll (Helm polls every 2 s) see the settled state instead of racing the controller.
 */
public final class SimulatedController implements AutoCloseable {

  /**
   * The label (on a pod, so on a pod template) or annotation (on a pod, pod template or workload) that lets a chart
   * ship a failing workload; the label is what the real control plane's KWOK stages honour too.
   */
  static final String FAILURE_ANNOTATION = WorkloadFailure.MARKER;

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedController.class);

  /** A unit of work; equal items queued twice are processed once. */
  record Work(String action, String namespace, String name, String extra) {
  }

  private final ObjectStore store;
  private final WorkloadReconciler workloads;
  /** Lower levels first: pods settle before their ReplicaSet is recounted, ReplicaSets before Deployments. */
  private final BlockingQueue<Queued> queue = new PriorityBlockingQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Set<Work> queued = ConcurrentHashMap.newKeySet();
  private final AtomicInteger pending = new AtomicInteger();
  /** Queued deletions (garbage collection, namespace cleanup): these can touch objects of any kind. */
  private final AtomicInteger pendingDeletions = new AtomicInteger();
  private final Object idle = new Object();
  private final Map<String, WorkloadFailure> failures = new ConcurrentHashMap<>();
  private final Map<Work, Long> scheduled = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private final Thread thread;
  private volatile boolean running = true;

  public SimulatedController(ObjectStore store, String threadName) {
    this.store = store;
    this.workloads = new WorkloadReconciler(store, this);
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName + "-timers");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.timers = executor;
    this.thread = new Thread(this::loop, threadName);
    this.thread.setDaemon(true);
    store.setListener(this::onChange);
  }

  public void start() {
    thread.start();
  }

  // ------------------------------------------------------------ failure injection

  public void simulateFailure(String namespace, String workloadName, WorkloadFailure failure) {
    failures.put(namespace + "/" + workloadName, failure);
    // Existing pods change state too, not only pods created later.
    enqueue(new Work("namespace-pods", namespace, "", null));
    for (String kind : new String[] {"Job", "Pod"}) {
      enqueue(new Work(kind, namespace, workloadName, null));
    }
  }

  /**
   * The failure that applies to an object: for the pod itself (depth 0) its label, then its own annotation, then by
   * name, then up its owner chain. The pod's label wins over its annotation, as in the real control plane's KWOK
   * stages; labels count only on the pod, where KWOK sees them.
   */
  WorkloadFailure failureFor(JsonNode obj, int depth) {
    if (depth == 0) {
      JsonNode label = obj.path("metadata").path("labels").get(FAILURE_ANNOTATION);
      if (label != null && label.isTextual()) {
        WorkloadFailure parsed = parseFailure(label.asText());
        if (parsed != null) {
          return parsed;
        }
      }
    }
    String annotation = Json.annotation(obj, FAILURE_ANNOTATION);
    if (annotation != null) {
      WorkloadFailure parsed = parseFailure(annotation);
      if (parsed != null) {
        return parsed;
      }
    }
    String namespace = Json.namespace(obj);
    WorkloadFailure byName = failures.get(namespace + "/" + Json.name(obj));
    if (byName != null || depth > 3) {
      return byName;
    }
    for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
      Optional<ResourceType> ownerType = store.resources().findByKind(ref.path("apiVersion").asText(),
          ref.path("kind").asText());
      if (ownerType.isEmpty()) {
        continue;
      }
      Optional<ObjectNode> owner = store.find(ownerType.get(), namespace, ref.path("name").asText());
      if (owner.isPresent()) {
        WorkloadFailure f = failureFor(owner.get(), depth + 1);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  private static WorkloadFailure parseFailure(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (v) {
      // "exit" is the real control plane's extra value (containers exit 1, pod Failed): the nearest is a crash loop.
      case "crash-loop", "crashloop", "crashloopbackoff", "exit" -> WorkloadFailure.CRASH_LOOP;
      case "image-pull-failure", "imagepullbackoff", "image-pull" -> WorkloadFailure.IMAGE_PULL_FAILURE;
      case "never-ready" -> WorkloadFailure.NEVER_READY;
      default -> {
        LOG.warn("Ignoring unknown {} value '{}' (expected crash-loop, image-pull-failure or never-ready)",
            FAILURE_ANNOTATION, value);
        yield null;
      }
    };
  }

  // ------------------------------------------------------------ events and queue

  /** Store callback, under the store lock: only enqueues. */
  private void onChange(String eventType, ResourceType type, ObjectNode obj, String propagationPolicy,
      boolean statusOnly) {
    String ns = Json.namespace(obj);
    String name = Json.name(obj);
    // A status write needs no action from the object's own controller, only from its owner's.
    boolean skipSelf = "DELETED".equals(eventType) || statusOnly;
    switch (type.group() + "/" + type.kind()) {
      case "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet", "batch/Job" -> {
        if (!skipSelf) {
          enqueue(new Work(type.kind(), ns, name, null));
        }
        enqueueOwner(obj);
      }
      case "/Pod" -> {
        if (!skipSelf) {
          enqueue(new Work("Pod", ns, name, null));
        }
        enqueueOwner(obj);
      }
      case "/Service", "/PersistentVolumeClaim", "apiextensions.k8s.io/CustomResourceDefinition" -> {
        if (!skipSelf) {
          enqueue(new Work(type.kind(), ns, name, null));
        }
      }
      case "/Namespace" -> {
        if ("DELETED".equals(eventType)) {
          enqueue(new Work("namespace-cleanup", null, name, null));
        }
      }
      default -> {
        // no controller for this kind
      }
    }
    if ("DELETED".equals(eventType) && Json.uid(obj) != null) {
      enqueue(new Work("gc", ns, Json.uid(obj), propagationPolicy));
    }
  }

  private void enqueueOwner(JsonNode obj) {
    for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        String kind = ref.path("kind").asText();
        if (Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job").contains(kind)) {
          enqueue(new Work(kind, Json.namespace(obj), ref.path("name").asText(), null));
        }
      }
    }
  }

  void enqueue(Work work) {
    if (!running) {
      return;
    }
    if (queued.add(work)) {
      pending.incrementAndGet();
      if (deletes(work)) {
        pendingDeletions.incrementAndGet();
      }
      queue.add(new Queued(level(work.action()), sequence.incrementAndGet(), work));
    }
  }

  private static boolean deletes(Work work) {
    return "gc".equals(work.action()) || "namespace-cleanup".equals(work.action());
  }

  /** Whether queued work may still delete objects of any kind. */
  public boolean deletionsPending() {
    return pendingDeletions.get() > 0;
  }

  private static int level(String action) {
    return switch (action) {
      case "Pod", "gc", "namespace-cleanup", "namespace-pods" -> 0;
      case "Deployment" -> 2;
      default -> 1;
    };
  }

  private record Queued(int level, long sequence, Work work) implements Comparable<Queued> {
    @Override
    public int compareTo(Queued o) {
      return level != o.level ? Integer.compare(level, o.level) : Long.compare(sequence, o.sequence);
    }
  }

  /** Re-runs a reconcile later (progress deadlines, crash-loop restarts). */
  void schedule(Work work, Instant at) {
    long due = at.toEpochMilli();
    Long earlier = scheduled.get(work);
    if (!running || (earlier != null && earlier <= due)) {
      return; // an earlier timer reconciles anyway, and that reconcile schedules the next one
    }
    scheduled.put(work, due);
    try {
      timers.schedule(() -> {
        scheduled.remove(work, due);
        enqueue(work);
      }, Math.max(0, due - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException ignored) {
      // shutting down
    }
  }

  /**
   * Blocks until the queue is drained (or the timeout passes).
   *
   * @return true when idle
   */
  public boolean awaitIdle(long timeoutMillis) {
    if (pending.get() == 0 || !running) {
      return true;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    synchronized (idle) {
      while (pending.get() > 0 && running) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        try {
          idle.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  private void loop() {
    while (running) {
      Work work;
      try {
        Queued next = queue.poll(250, TimeUnit.MILLISECONDS);
        if (next == null) {
          continue;
        }
        work = next.work();
      } catch (InterruptedException e) {
        break;
      }
      queued.remove(work);
      long t0 = System.nanoTime();
      try {
        process(work);
        if (LOG.isTraceEnabled()) {
          LOG.trace("Simulated controller: {} took {} us", work, (System.nanoTime() - t0) / 1000);
        }
      } catch (ApiException e) {
        // Typically a race with a client deleting the object; the next event retries.
        LOG.debug("Simulated controller: {} failed: {}", work, e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("Simulated controller: {} failed", work, e);
      } finally {
        if (deletes(work)) {
          pendingDeletions.decrementAndGet();
        }
        if (pending.decrementAndGet() == 0) {
          synchronized (idle) {
            idle.notifyAll();
          }
        }
      }
    }
  }

  private void process(Work w) {
    switch (w.action()) {
      case "Deployment" -> workloads.deployment(w.namespace(), w.name());
      case "ReplicaSet" -> workloads.replicaSet(w.namespace(), w.name());
      case "StatefulSet" -> workloads.statefulSet(w.namespace(), w.name());
      case "DaemonSet" -> workloads.daemonSet(w.namespace(), w.name());
      case "Job" -> workloads.job(w.namespace(), w.name());
      case "Pod" -> workloads.pod(w.namespace(), w.name());
      case "Service" -> workloads.service(w.namespace(), w.name());
      case "PersistentVolumeClaim" -> workloads.persistentVolumeClaim(w.namespace(), w.name());
      case "CustomResourceDefinition" -> workloads.customResourceDefinition(w.name());
      case "namespace-pods" -> workloads.allPods(w.namespace()).forEach(p -> enqueue(new Work("Pod", w.namespace(),
          Json.name(p), null)));
      case "namespace-cleanup" -> workloads.deleteNamespaceContents(w.name());
      case "gc" -> workloads.collectDependents(w.name(), w.extra());
      default -> throw new IllegalStateException("unknown work " + w);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    timers.shutdownNow();
    synchronized (idle) {
      idle.notifyAll();
    }
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
