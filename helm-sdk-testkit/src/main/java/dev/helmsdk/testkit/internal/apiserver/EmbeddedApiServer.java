package dev.helmsdk.testkit.internal.apiserver;

import dev.helmsdk.testkit.internal.tls.LocalPki;
import dev.helmsdk.testkit.internal.workloads.SimulatedController;

import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.WorkloadFailure;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The embedded API's HTTP server and lifecycle: Vert.x on a loopback port, authentication, the request log, and
 * routing to discovery or resource handlers. It runs its own Vert.x HTTP server instead of the mock's
 * {@code MockWebServer} because client-go's watches (Helm waits for hooks with them) are long-lived chunked
 * responses, which the mock's dispatcher model (one complete response per request, computed on the event loop)
 * cannot produce. The CRUD semantics still come from fabric8's {@code KubernetesCrudDispatcher} inside the store.
 *
 * <p>Not part of the API: use {@code dev.helmsdk.testkit.EmbeddedKubernetes}.
 */
public final class EmbeddedApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApiServer.class);

  private final WatchHub watches = new WatchHub();
  private final ObjectStore store = new ObjectStore(new ApiResources(), watches);
  private final SimulatedController controller;
  private final DiscoveryRoutes discovery;
  private final ResourceRoutes resourceRoutes;
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
    this.discovery = new DiscoveryRoutes(store.resources(), this::url);
    this.resourceRoutes = new ResourceRoutes(store, controller, new WatchStream(store, () -> running));
    ClusterSeed.seed(store);
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
      } catch (RejectedExecutionException e) {
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
      route(call, method, rawPath, RequestBodies.query(rawQuery), contentType, call.body());
    } catch (ApiException e) {
      call.sendJson(e.code(), e.toStatus());
    } catch (RuntimeException e) {
      LOG.warn("Embedded Kubernetes API failed on {} {}", method, rawPath, e);
      call.sendJson(500, new ApiException(500, "InternalError", "internal error: " + e, null, null).toStatus());
    }
  }

  private static String bearerToken(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim() : null;
  }

  private void route(HttpCall ex, String method, String path, Map<String, String> query, String contentType,
      byte[] body) {
    String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (discovery.answer(ex, trimmed)) {
      return;
    }
    ApiPath api = ApiPath.parse(trimmed);
    if (api == null) {
      throw ApiException.pathNotFound();
    }
    resourceRoutes.serve(ex, method, api, query, contentType, body);
  }
}
