package dev.helmsdk.testkit.internal.apiserver;

import dev.helmsdk.testkit.internal.tls.LocalPki;
import dev.helmsdk.testkit.internal.workloads.Kubelet;
import dev.helmsdk.testkit.internal.workloads.SimulatedController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.WorkloadFailure;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The HTTP face of the embedded API: discovery, OpenAPI stubs, resource CRUD over {@link ObjectStore}, and watch
 * streams. It runs its own Vert.x HTTP server instead of the mock's {@code MockWebServer} because client-go's
 * watches (Helm waits for hooks with them) are long-lived chunked responses, which the mock's dispatcher model (one
 * complete response per request, computed on the event loop) cannot produce. The CRUD semantics still come from
 * fabric8's {@code KubernetesCrudDispatcher} inside the store.
 *
 * <p>Not part of the API: use {@code dev.helmsdk.testkit.EmbeddedKubernetes}.
 */
public final class EmbeddedApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApiServer.class);
  private static final YAMLMapper YAML = new YAMLMapper();
  /** Reads wait at most this long for the simulated controller to catch up. */
  private static final long SETTLE_MILLIS = 2_000;
  /**
   * Reads that wait for the simulated controller: the kinds it creates, deletes or gives status to. Other reads
   * (Helm's release Secrets above all) answer at once, as a real API server does, so a client that reads back what
   * it just wrote does not pay for the controller's work on unrelated objects; unless deletions are queued, which
   * can remove objects of any kind.
   */
  private static final java.util.Set<String> SETTLED_READS = java.util.Set.of("deployments", "replicasets",
      "statefulsets", "daemonsets", "jobs", "pods", "services", "persistentvolumeclaims",
      "customresourcedefinitions", "namespaces");
  private static final String AGGREGATED_DISCOVERY = "g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  private final ApiResources resources = new ApiResources();
  private final WatchHub watches = new WatchHub();
  private final ObjectStore store = new ObjectStore(resources, watches);
  private final SimulatedController controller;
  private final Consumer<RecordedRequest> requestLog;
  private final Vertx vertx;
  private final HttpServer http;
  private final Predicate<String> bearerTokenCheck;
  private final ExecutorService executor;
  private final URI url;
  private volatile boolean running = true;

  private EmbeddedApiServer(Consumer<RecordedRequest> requestLog, Predicate<String> bearerTokenCheck, boolean https)
      throws IOException {
    this.requestLog = requestLog;
    this.bearerTokenCheck = bearerTokenCheck;
    // No file caching or classpath resolving: Vert.x would otherwise create a cache directory on start.
    this.vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(1)
        .setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1)
        .setUseDaemonThread(true)
        .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
    HttpServerOptions options = new HttpServerOptions()
        .setHost(InetAddress.getLoopbackAddress().getHostAddress())
        .setPort(0)
        .setTcpNoDelay(true)
        .setHttp2ClearTextEnabled(false)
        .setHandle100ContinueAutomatically(true)
        .setMaxInitialLineLength(64 * 1024)
        .setMaxHeaderSize(64 * 1024);
    if (https) {
      options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(LocalPki.shared().serverKeyManagers()));
    }
    // Everything is ready before the port opens; nobody can reach it earlier anyway, but a request must never
    // meet a half-built server.
    String prefix = "embedded-kubernetes-" + Integer.toHexString(System.identityHashCode(this));
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, prefix + "-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.controller = new SimulatedController(store, prefix + "-controller");
    seed();
    controller.start();
    HttpServer server = vertx.createHttpServer(options);
    server.requestHandler(this::accept);
    try {
      this.http = server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdownPartial();
      throw new IOException("interrupted while starting", e);
    } catch (ExecutionException | TimeoutException e) {
      shutdownPartial();
      throw new IOException("could not listen on the loopback interface", e);
    }
    this.url = URI.create((https ? "https://" : "http://") + InetAddress.getLoopbackAddress().getHostAddress() + ":" + http.actualPort());
  }

  private void shutdownPartial() {
    controller.close();
    executor.shutdownNow();
    vertx.close();
  }

  /**
   * Starts a server on a free loopback port.
   *
   * @param requestLog receives every HTTP request, in arrival order
   * @return the running server
   */
  public static EmbeddedApiServer start(Consumer<RecordedRequest> requestLog) {
    return start(requestLog, null, false);
  }

  /**
   * Starts a server on a free loopback port, answering 401 to every request whose bearer token the check refuses.
   *
   * @param requestLog       receives every HTTP request, in arrival order
   * @param bearerTokenCheck gets each request's bearer token ({@code null} when it has none) and says whether it is
   *                         accepted; {@code null} for no check
   * @param https            serve HTTPS with {@link LocalPki}'s server certificate instead of HTTP
   * @return the running server
   */
  public static EmbeddedApiServer start(Consumer<RecordedRequest> requestLog, Predicate<String> bearerTokenCheck,
      boolean https) {
    try {
      return new EmbeddedApiServer(requestLog, bearerTokenCheck, https);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded Kubernetes API server", e);
    }
  }

  /**
   * The base URL, {@code http://127.0.0.1:<port>}.
   *
   * @return the URL
   */
  public URI url() {
    return url;
  }

  /**
   * Injects a failure into the pods of a workload (or a bare pod) by name, now and for pods created later.
   *
   * @param namespace    namespace of the workload
   * @param workloadName name of the Deployment, StatefulSet, DaemonSet, Job or Pod
   * @param failure      the failure
   */
  public void simulateFailure(String namespace, String workloadName, WorkloadFailure failure) {
    controller.simulateFailure(namespace, workloadName, failure);
  }

  /**
   * Waits until the simulated controllers have processed every change so far.
   *
   * @param timeoutMillis upper bound
   * @return true when idle
   */
  public boolean awaitIdle(long timeoutMillis) {
    return controller.awaitIdle(timeoutMillis);
  }

  /** Stops serving, ends watch streams and the controller. Idempotent. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    watches.close();
    controller.close();
    try {
      http.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("Closing the HTTP server failed", e);
    }
    executor.shutdownNow();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("Closing Vert.x failed", e);
    }
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ initial cluster objects

  private void seed() {
    ResourceType namespaces = store.namespaceType();
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      ObjectNode obj = Json.object();
      Json.metadata(obj).put("name", ns);
      store.create(namespaces, null, obj, false);
    }
    ObjectNode node = Json.object();
    ObjectNode meta = Json.metadata(node);
    meta.put("name", Kubelet.NODE_NAME);
    ObjectNode labels = meta.putObject("labels");
    labels.put("kubernetes.io/hostname", Kubelet.NODE_NAME);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("node-role.kubernetes.io/control-plane", "");
    ResourceType nodes = resources.find("", "v1", "nodes").orElseThrow();
    store.create(nodes, null, node, false);
    store.updateStatus(nodes, null, Kubelet.NODE_NAME, n -> {
      ObjectNode status = Json.object();
      ObjectNode capacity = status.putObject("capacity");
      capacity.put("cpu", "8");
      capacity.put("memory", "32Gi");
      capacity.put("pods", "110");
      status.set("allocatable", capacity.deepCopy());
      ObjectNode ready = status.putArray("conditions").addObject();
      ready.put("type", "Ready");
      ready.put("status", "True");
      ready.put("reason", "KubeletReady");
      ready.put("message", "kubelet is posting ready status");
      ready.put("lastHeartbeatTime", Json.now());
      ready.put("lastTransitionTime", Json.now());
      ObjectNode address = status.putArray("addresses").addObject();
      address.put("type", "InternalIP");
      address.put("address", Kubelet.HOST_IP);
      ObjectNode info = status.putObject("nodeInfo");
      info.put("kubeletVersion", VersionInfo.GIT_VERSION);
      info.put("operatingSystem", "linux");
      info.put("architecture", "amd64");
      info.put("containerRuntimeVersion", "containerd://2.1.0");
      return status;
    });
    ObjectNode svc = Json.object();
    ObjectNode svcMeta = Json.metadata(svc);
    svcMeta.put("name", "kubernetes");
    svcMeta.putObject("labels").put("component", "apiserver");
    ObjectNode spec = svc.putObject("spec");
    spec.put("clusterIP", "10.96.0.1");
    ObjectNode port = spec.putArray("ports").addObject();
    port.put("name", "https");
    port.put("port", 443);
    port.put("targetPort", 6443);
    store.create(resources.find("", "v1", "services").orElseThrow(), "default", svc, false);
    ObjectNode sc = Json.object();
    ObjectNode scMeta = Json.metadata(sc);
    scMeta.put("name", "standard");
    scMeta.putObject("annotations").put("storageclass.kubernetes.io/is-default-class", "true");
    sc.put("provisioner", "rancher.io/local-path");
    sc.put("reclaimPolicy", "Delete");
    sc.put("volumeBindingMode", "Immediate");
    store.create(resources.find("storage.k8s.io", "v1", "storageclasses").orElseThrow(), null, sc, false);
  }

  // ------------------------------------------------------------------ HTTP

  /** On the event loop: collect the body, then hand the call to a worker (handlers block on locks and I/O). */
  private void accept(HttpServerRequest request) {
    if (!running) {
      request.response().setStatusCode(503).end();
      return;
    }
    request.body().onComplete(ar -> {
      byte[] body = ar.succeeded() && ar.result() != null ? ar.result().getBytes() : new byte[0];
      HttpCall call = new HttpCall(request, body);
      try {
        executor.execute(() -> handle(call));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        call.send(503, null, new byte[0]);
      }
    });
  }

  private void handle(HttpCall call) {
    String method = call.method();
    String target = call.uri();
    int questionMark = target.indexOf('?');
    String rawPath = questionMark < 0 ? target : target.substring(0, questionMark);
    String rawQuery = questionMark < 0 ? null : target.substring(questionMark + 1);
    String contentType = call.header("Content-Type");
    requestLog.accept(new RecordedRequest(method, rawPath, rawQuery == null ? "" : rawQuery,
        contentType == null ? "" : contentType, Instant.now()));
    try {
      if (bearerTokenCheck != null && !bearerTokenCheck.test(bearerToken(call.header("Authorization")))) {
        throw new ApiException(401, "Unauthorized", "Unauthorized", null, null);
      }
      route(call, method, rawPath, query(rawQuery), contentType, call.body());
    } catch (ApiException e) {
      send(call, e.code(), e.toStatus());
    } catch (RuntimeException e) {
      LOG.warn("Embedded Kubernetes API failed on {} {}", method, rawPath, e);
      send(call, 500, new ApiException(500, "InternalError", "internal error: " + e, null, null).toStatus());
    }
  }

  private static String bearerToken(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim() : null;
  }

  private void route(HttpCall ex, String method, String path, Map<String, String> query, String contentType,
      byte[] body) {
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    switch (trimmed) {
      case "/version" -> {
        send(ex, 200, VersionInfo.document());
        return;
      }
      case "/healthz", "/livez", "/readyz" -> {
        sendText(ex, 200, "ok");
        return;
      }
      case "/" -> {
        ObjectNode root = Json.object();
        ArrayNode paths = root.putArray("paths");
        List.of("/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version")
            .forEach(paths::add);
        send(ex, 200, root);
        return;
      }
      case "/api", "/apis" -> {
        boolean core = "/api".equals(trimmed);
        if (String.valueOf(ex.header("Accept")).contains(AGGREGATED_DISCOVERY)) {
          // Aggregated discovery: client-go gets all groups in two requests instead of one per group version.
          ex.send(200, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
              Json.bytes(resources.aggregatedDiscovery(core)));
        } else {
          send(ex, 200, core ? resources.apiVersions(url.getAuthority()) : resources.apiGroupList());
        }
        return;
      }
      case "/openapi/v3" -> {
        // client-go only checks which group versions publish a schema; publishing none makes kubectl-style
        // validation fall back to "no schema" instead of failing the request.
        ObjectNode doc = Json.object();
        doc.putObject("paths");
        send(ex, 200, doc);
        return;
      }
      case "/openapi/v2" -> {
        // Helm validates manifests client-side with this schema (after finding no v3 paths). An empty document,
        // in protobuf (zero bytes) or JSON, means "no schema for this kind", which skips validation.
        String accept = String.valueOf(ex.header("Accept"));
        if (accept.contains("protobuf")) {
          ex.send(200, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", new byte[0]);
        } else {
          ObjectNode doc = Json.object();
          doc.put("swagger", "2.0");
          doc.putObject("info").put("title", "Kubernetes").put("version", VersionInfo.GIT_VERSION);
          doc.putObject("paths");
          doc.putObject("definitions");
          send(ex, 200, doc);
        }
        return;
      }
      default -> {
        // resource paths below
      }
    }
    String[] segments = trimmed.substring(1).split("/");
    if (segments.length == 2 && "apis".equals(segments[0])) {
      send(ex, 200, resources.apiGroup(segments[1]).orElseThrow(ApiException::pathNotFound));
      return;
    }
    if (segments.length == 2 && "api".equals(segments[0])) {
      send(ex, 200, resources.apiResourceList("", segments[1]).orElseThrow(ApiException::pathNotFound));
      return;
    }
    if (segments.length == 3 && "apis".equals(segments[0])) {
      send(ex, 200, resources.apiResourceList(segments[1], segments[2]).orElseThrow(ApiException::pathNotFound));
      return;
    }
    ApiPath api = ApiPath.parse(trimmed);
    if (api == null) {
      throw ApiException.pathNotFound();
    }
    resource(ex, method, api, query, contentType, body);
  }

  private void resource(HttpCall ex, String method, ApiPath p, Map<String, String> query, String contentType,
      byte[] body) {
    ResourceType type = resources.find(p.group(), p.version(), p.resource()).orElseThrow(ApiException::pathNotFound);
    if (!type.namespaced() && p.namespace() != null) {
      throw ApiException.pathNotFound();
    }
    String ns = type.namespaced() ? p.namespace() : null;
    String name = p.name();
    String sub = p.subresource();
    boolean dryRun = query.containsKey("dryRun");
    if (sub != null && !type.subresources().contains(sub)) {
      throw ApiException.pathNotFound();
    }
    if (type.namespaced() && ns == null && name != null) {
      throw ApiException.pathNotFound();
    }
    switch (method) {
      case "GET", "HEAD" -> {
        if ("websocket".equalsIgnoreCase(String.valueOf(ex.header("Upgrade")))) {
          // No WebSocket watches: a plain 200 makes fabric8 fall back to an HTTP watch (its documented path).
          send(ex, 200, Json.object());
          return;
        }
        if (SETTLED_READS.contains(type.plural()) || controller.deletionsPending()) {
          controller.awaitIdle(SETTLE_MILLIS);
        }
        if (p.legacyWatch() || "true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
          watch(ex, type, ns, name, query);
        } else if (name == null) {
          Predicate<JsonNode> filter = Selectors.labels(query.get("labelSelector"))
              .and(Selectors.fields(query.get("fieldSelector")));
          send(ex, 200, store.listDocument(type, store.list(type, ns, filter)));
        } else if ("scale".equals(sub)) {
          send(ex, 200, scale(store.get(type, ns, name)));
        } else if ("log".equals(sub)) {
          store.get(type, ns, name);
          sendText(ex, 200, "");
        } else {
          send(ex, 200, store.get(type, ns, name));
        }
      }
      case "POST" -> {
        if ("eviction".equals(sub)) {
          store.delete(type, ns, name, null, dryRun);
          ObjectNode ok = Json.object();
          ok.put("kind", "Status");
          ok.put("apiVersion", "v1");
          ok.put("status", "Success");
          send(ex, 201, ok);
          return;
        }
        if (name != null) {
          throw ApiException.methodNotAllowed(method);
        }
        if (type.namespaced() && ns == null) {
          throw ApiException.pathNotFound();
        }
        send(ex, 201, store.create(type, ns, decodeObject(body, contentType), dryRun));
      }
      case "PUT" -> {
        requireName(name, method);
        ObjectNode obj = decodeObject(body, contentType);
        if ("scale".equals(sub)) {
          int replicas = obj.path("spec").path("replicas").asInt();
          ObjectNode patch = Json.object();
          patch.putObject("spec").put("replicas", replicas);
          send(ex, 200, scale(store.patch(type, ns, name, Patches.MERGE_PATCH, patch, false, dryRun)));
        } else {
          send(ex, 200, store.replace(type, ns, name, obj, "status".equals(sub), dryRun));
        }
      }
      case "PATCH" -> {
        requireName(name, method);
        String mediaType = Patches.mediaType(contentType);
        JsonNode patch = mediaType.endsWith("yaml") ? yaml(body) : Json.parse(body);
        if ("scale".equals(sub)) {
          JsonNode replicas = patch.path("spec").path("replicas");
          ObjectNode merge = Json.object();
          merge.putObject("spec").set("replicas", replicas);
          send(ex, 200, scale(store.patch(type, ns, name, Patches.MERGE_PATCH, merge, false, dryRun)));
        } else {
          send(ex, 200, store.patch(type, ns, name, mediaType, patch, "status".equals(sub), dryRun));
        }
      }
      case "DELETE" -> {
        JsonNode options = deleteOptions(body, contentType, query);
        if (name == null) {
          Predicate<JsonNode> filter = Selectors.labels(query.get("labelSelector"))
              .and(Selectors.fields(query.get("fieldSelector")));
          ObjectStore.ListResult victims = store.list(type, ns, filter);
          for (ObjectNode victim : victims.items()) {
            try {
              store.delete(type, Json.namespace(victim), Json.name(victim), options, dryRun);
            } catch (ApiException e) {
              if (e.code() != 404) {
                throw e;
              }
            }
          }
          send(ex, 200, store.listDocument(type, victims));
        } else {
          send(ex, 200, store.delete(type, ns, name, options, dryRun));
        }
      }
      default -> throw ApiException.methodNotAllowed(method);
    }
  }

  private static void requireName(String name, String method) {
    if (name == null) {
      throw ApiException.methodNotAllowed(method);
    }
  }

  private ObjectNode scale(ObjectNode obj) {
    ObjectNode scale = Json.object();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    for (String f : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (obj.path("metadata").has(f)) {
        meta.set(f, obj.path("metadata").get(f));
      }
    }
    scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    StringBuilder selector = new StringBuilder();
    Json.stringMap(obj.path("spec").path("selector").path("matchLabels")).forEach((k, v) -> {
      if (selector.length() > 0) {
        selector.append(',');
      }
      selector.append(k).append('=').append(v);
    });
    status.put("selector", selector.toString());
    return scale;
  }

  private static ObjectNode decodeObject(byte[] body, String contentType) {
    String mediaType = Patches.mediaType(contentType);
    if (Protobuf.isProtobuf(mediaType)) {
      return Protobuf.decode(body);
    }
    if (mediaType.endsWith("yaml")) {
      JsonNode node = yaml(body);
      if (!node.isObject()) {
        throw ApiException.badRequest("the request body must be an object");
      }
      return (ObjectNode) node;
    }
    return Json.parseObject(body);
  }

  private static JsonNode yaml(byte[] body) {
    try {
      JsonNode node = YAML.readTree(body);
      return node == null ? Json.object() : node;
    } catch (IOException e) {
      throw ApiException.badRequest("the request body is not valid YAML: " + e.getMessage());
    }
  }

  private static JsonNode deleteOptions(byte[] body, String contentType, Map<String, String> query) {
    ObjectNode options = Json.object();
    if (body.length > 0) {
      JsonNode decoded = Protobuf.isProtobuf(Patches.mediaType(contentType)) ? Protobuf.decode(body)
          : Json.parse(body);
      if (decoded.isObject()) {
        options.setAll((ObjectNode) decoded);
      }
    }
    Optional.ofNullable(query.get("propagationPolicy")).ifPresent(v -> options.put("propagationPolicy", v));
    Optional.ofNullable(query.get("orphanDependents")).ifPresent(v -> options.put("orphanDependents",
        Boolean.parseBoolean(v)));
    return options;
  }

  private void watch(HttpCall ex, ResourceType type, String ns, String name, Map<String, String> query) {
    Predicate<JsonNode> filter = Selectors.labels(query.get("labelSelector"))
        .and(Selectors.fields(query.get("fieldSelector")));
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
    long lastWrite = System.nanoTime();
    try (subscription) {
      while (running && !ex.isClosed()) {
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.debug("Watch client went away", e);
    }
    ex.end();
  }

  private static byte[] event(String type, JsonNode object) {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.set("object", object);
    byte[] json = Json.bytes(event);
    byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    return line;
  }

  private static void send(HttpCall ex, int code, JsonNode body) {
    ex.send(code, "application/json", Json.bytes(body));
  }

  private static void sendText(HttpCall ex, int code, String text) {
    ex.send(code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(key, value);
    }
    return params;
  }
}
