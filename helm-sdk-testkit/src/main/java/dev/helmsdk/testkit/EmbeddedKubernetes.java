package dev.helmsdk.testkit;

import dev.helmsdk.testkit.internal.apiserver.EmbeddedApiServer;
import dev.helmsdk.testkit.internal.tls.LocalPki;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A Kubernetes API server inside the test JVM, complete enough for real Helm (helm-java) to install, upgrade with
 * {@code --wait}, run {@code helm test} and uninstall against it, in tens of milliseconds and without Docker.
 *
 * <p>Objects are stored by fabric8's CRUD mock; around it the server adds what client-go needs (discovery, typed
 * lists, strategic merge patch, protobuf request bodies, watch streams) and a simulated control plane that gives
 * workloads the status a real cluster would: Deployments get ReplicaSets and Pods, Pods become {@code Running} and
 * ready (or {@code Succeeded} when they run to completion, as {@code helm test} pods do), Jobs complete, Services
 * get a cluster IP, claims bind, and deleting an owner deletes its dependents. Reads wait until that control plane
 * has caught up, so what a client reads is always the settled state. Failures can be injected per workload with
 * {@link #simulateFailure}, or from a chart with the pod-template label or annotation {@value WorkloadFailure#MARKER}
 * (which {@link KubernetesControlPlane} honours too); see {@link WorkloadFailure}.
 *
 * <pre>{@code
 * try (EmbeddedKubernetes kube = EmbeddedKubernetes.start();
 *      HelmManager helm = HelmSdk.builder().kubeConfig(kube.kubeConfigPath()).build()) {
 *   helm.install("shop").chart(ChartRef.local(Path.of("charts/shop"))).waitReady().run();
 *   assertNotNull(kube.client().apps().deployments().inNamespace("default").withName("shop").get());
 * }
 * }</pre>
 *
 * <p>As on a fresh cluster, the namespaces {@code default}, {@code kube-system}, {@code kube-public} and
 * {@code kube-node-lease} exist (creating objects elsewhere needs the namespace first, or Helm's
 * {@code --create-namespace}), and there is one ready node, {@code embedded-node}. Nothing runs: pods get the status
 * of containers that start (or fail as injected), whatever their command would do.
 *
 * <p>Instances are independent of each other and thread-safe. Nothing is written outside the work directory. Helm
 * itself is another matter: in-process Helm (helm-java) lets client-go cache discovery under {@code $KUBECACHEDIR}
 * (default {@code ~/.kube/cache}) and JNA unpack under {@code jna.tmpdir} (default {@code ~/.cache/JNA}); point
 * both into the build directory in your test runner's configuration.
 */
public final class EmbeddedKubernetes implements TestCluster {

  /** The kubeconfig's context, cluster and user name. */
  private static final String CONTEXT = "embedded";
  /** Bounds the request log so a long-running suite cannot exhaust the heap through it. */
  private static final int REQUEST_LOG_LIMIT = 100_000;

  private final EmbeddedApiServer server;
  private final ArrayDeque<RecordedRequest> requestLog = new ArrayDeque<>();
  private final Path workDirectory;
  private final boolean ownsWorkDirectory;
  private final Path kubeConfigPath;
  private final String kubeConfigYaml;
  private final Object lock = new Object();
  /** The CA clients trust with {@link Builder#https()}, else {@code null}. */
  private final String caPem;
  private KubernetesClient client;
  private boolean closed;

  private EmbeddedKubernetes(Path requestedWorkDirectory, Predicate<String> bearerTokenCheck, boolean https) {
    this.server = EmbeddedApiServer.start(this::record, bearerTokenCheck, https);
    this.caPem = https ? LocalPki.shared().caPem() : null;
    try {
      if (requestedWorkDirectory == null) {
        this.workDirectory = Files.createTempDirectory("embedded-kubernetes-");
        this.ownsWorkDirectory = true;
      } else {
        this.workDirectory = Files.createDirectories(requestedWorkDirectory);
        this.ownsWorkDirectory = false;
      }
      this.kubeConfigYaml = renderKubeConfig(server.url(), caPem);
      this.kubeConfigPath = workDirectory.resolve("kubeconfig.yaml");
      Files.writeString(kubeConfigPath, kubeConfigYaml, StandardCharsets.UTF_8);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(kubeConfigPath, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException("Could not write the kubeconfig of the embedded Kubernetes API", e);
    }
  }

  /**
   * Starts an embedded API server on a free loopback port with a fresh temporary work directory.
   *
   * @return the running instance; close it to stop it
   */
  public static EmbeddedKubernetes start() {
    return builder().start();
  }

  /**
   * A builder for non-default settings.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A fabric8 client for this API server, created on first use and closed by {@link #close()}. Its default
   * namespace is {@code default}.
   *
   * @return the shared client
   * @throws IllegalStateException when this instance is closed
   */
  @Override
  public KubernetesClient client() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("EmbeddedKubernetes is closed");
      }
      if (client == null) {
        // Config.empty(): no auto-configuration, so nothing is read from ~/.kube or the environment.
        Config config = new ConfigBuilder(Config.empty())
            .withMasterUrl(server.url().toString())
            .withNamespace("default")
            .withOnlyHttpWatches(true)
            .withHttp2Disable(true)
            .withCaCertData(caPem == null ? null : base64(caPem))
            .build();
        client = new KubernetesClientBuilder().withConfig(config).build();
      }
      return client;
    }
  }

  /**
   * The kubeconfig file pointing at this server (context, cluster and user {@code embedded}; no namespace, so
   * clients use {@code default} as on a fresh cluster), for Helm's {@code --kubeconfig} and other clients.
   *
   * @return path of the kubeconfig file inside the work directory
   */
  @Override
  public Path kubeConfigPath() {
    return kubeConfigPath;
  }

  /**
   * The kubeconfig as YAML, the same content as {@link #kubeConfigPath()}.
   *
   * @return kubeconfig YAML
   */
  @Override
  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /**
   * The server's base URL, {@code http://127.0.0.1:<port>} ({@code https://} with {@link Builder#https()}).
   *
   * @return the URL
   */
  @Override
  public URI url() {
    return server.url();
  }

  /**
   * The HTTP requests received so far (from any client, discovery included), oldest first. Only the latest
   * 100,000 are kept.
   *
   * @return an immutable snapshot
   */
  @Override
  public List<RecordedRequest> requests() {
    synchronized (requestLog) {
      return List.copyOf(requestLog);
    }
  }

  /** Forgets the requests recorded so far. */
  @Override
  public void clearRequests() {
    synchronized (requestLog) {
      requestLog.clear();
    }
  }

  /**
   * Makes the pods of a workload fail the given way: now for its existing pods and for every pod created later
   * (including after upgrades or re-creation under the same name).
   *
   * @param namespace    namespace of the workload
   * @param workloadName name of a Deployment, StatefulSet, DaemonSet, Job or bare Pod
   * @param failure      how the pods fail
   */
  public void simulateFailure(String namespace, String workloadName, WorkloadFailure failure) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workloadName, "workloadName");
    Objects.requireNonNull(failure, "failure");
    server.simulateFailure(namespace, workloadName, failure);
  }

  /**
   * Stops the server, its watch streams and simulated controllers, closes {@link #client()} and deletes the work
   * directory when it was created by this instance. Idempotent.
   */
  @Override
  public void close() {
    KubernetesClient toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = client;
      client = null;
    }
    try {
      if (toClose != null) {
        toClose.close();
      }
    } finally {
      server.close();
      if (ownsWorkDirectory) {
        dev.helmsdk.testkit.internal.Directories.deleteQuietly(workDirectory);
      }
    }
  }

  private void record(RecordedRequest request) {
    synchronized (requestLog) {
      if (requestLog.size() >= REQUEST_LOG_LIMIT) {
        requestLog.removeFirst();
      }
      requestLog.addLast(request);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String renderKubeConfig(URI url, String caPem) {
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: " + CONTEXT + "\n"
        + "  cluster:\n"
        + "    server: " + url + "\n"
        + (caPem == null ? "" : "    certificate-authority-data: " + base64(caPem) + "\n")
        + "contexts:\n"
        + "- name: " + CONTEXT + "\n"
        + "  context:\n"
        + "    cluster: " + CONTEXT + "\n"
        + "    user: " + CONTEXT + "\n"
        + "current-context: " + CONTEXT + "\n"
        + "users:\n"
        + "- name: " + CONTEXT + "\n"
        + "  user: {}\n"
        + "preferences: {}\n";
  }

  /** Settings for {@link EmbeddedKubernetes}. */
  public static final class Builder {

    private Path workDirectory;
    private Predicate<String> bearerTokenCheck;
    private boolean https;

    private Builder() {
    }

    /**
     * Where to write the kubeconfig. The directory is created if needed and left in place on close. By default a
     * fresh temporary directory is used and deleted on close.
     *
     * @param workDirectory the directory
     * @return this builder
     */
    public Builder workDirectory(Path workDirectory) {
      this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
      return this;
    }

    /**
     * Serve HTTPS instead of HTTP, with a certificate for {@code 127.0.0.1} signed by a CA of the testkit that the
     * kubeconfig and {@link EmbeddedKubernetes#client()} trust. client-go sends credentials (tokens, exec plugins'
     * tokens) only over HTTPS, so {@link #fakeBearerTokenCheck} needs it for Helm.
     *
     * @return this builder
     */
    public Builder https() {
      this.https = true;
      return this;
    }

    /**
     * A fake authentication check, for testing how clients handle expiring credentials: every request whose bearer
     * token the check refuses is answered {@code 401 Unauthorized} (a Kubernetes {@code Status}), as an API server
     * answers an expired token. Nothing else about authentication or authorization is simulated. The check is asked
     * on every request, from the server's threads, so it must be thread-safe and quick. {@link EmbeddedKubernetes#client()} sends no
     * token: with a check, build a client with an accepted one. By default every request is accepted.
     *
     * @param accepted gets the request's bearer token ({@code null} when it has none) and says whether it is accepted
     * @return this builder
     */
    public Builder fakeBearerTokenCheck(Predicate<String> accepted) {
      this.bearerTokenCheck = Objects.requireNonNull(accepted, "accepted");
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running instance
     */
    public EmbeddedKubernetes start() {
      return new EmbeddedKubernetes(workDirectory, bearerTokenCheck, https);
    }
  }
}
