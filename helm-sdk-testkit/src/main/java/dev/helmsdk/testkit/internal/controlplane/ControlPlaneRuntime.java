package dev.helmsdk.testkit.internal.controlplane;

import dev.helmsdk.testkit.internal.tls.LocalPki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.JarURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Starts and stops the processes of a test control plane (etcd, kube-apiserver, and when available
 * kube-controller-manager, kube-scheduler and KWOK with one fake node) in a work directory, with the command lines of
 * {@code controlplane/README.md}. Used by {@code dev.helmsdk.testkit.KubernetesControlPlane}.
 */
public final class ControlPlaneRuntime implements AutoCloseable {

  /** Name of the one fake node KWOK manages. */
  public static final String NODE_NAME = "kwok-node-0";
  /** Where the KWOK stages are bundled on the class path (copied there from {@code controlplane/stages}). */
  public static final String STAGES_RESOURCE = "dev/helmsdk/testkit/controlplane/stages/";

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneRuntime.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 40;
  /** Subdirectories this class creates; removed at start in a reused work directory. */
  private static final List<String> OWN_DIRS = List.of("pki", "etcd", "apiserver", "controller-manager",
      "scheduler", "kwok", "home", "logs");
  private static final String AUDIT_POLICY = "apiVersion: audit.k8s.io/v1\n"
      + "kind: Policy\n"
      + "# Every request at level Metadata (who, verb, URI, status; no bodies). RequestReceived is omitted:\n"
      + "# each request is counted from its ResponseComplete (or, for watches, ResponseStarted) event.\n"
      + "omitStages:\n"
      + "- RequestReceived\n"
      + "rules:\n"
      + "- level: Metadata\n";
  private static final String NODE_JSON = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{"
      + "\"name\":\"" + NODE_NAME + "\","
      + "\"annotations\":{\"kwok.x-k8s.io/node\":\"fake\",\"node.alpha.kubernetes.io/ttl\":\"0\"},"
      + "\"labels\":{\"kubernetes.io/arch\":\"amd64\",\"kubernetes.io/os\":\"linux\","
      + "\"kubernetes.io/hostname\":\"" + NODE_NAME + "\",\"kubernetes.io/role\":\"agent\","
      + "\"node-role.kubernetes.io/agent\":\"\",\"type\":\"kwok\"}},"
      + "\"status\":{\"allocatable\":{\"cpu\":\"32\",\"memory\":\"256Gi\",\"pods\":\"110\"},"
      + "\"capacity\":{\"cpu\":\"32\",\"memory\":\"256Gi\",\"pods\":\"110\"}}}";

  private final ControlPlaneBinaries.Binaries binaries;
  private final Path workDirectory;
  private final boolean ownsWorkDirectory;
  private final LocalPki pki = LocalPki.shared();
  private final List<ManagedProcess> processes = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Path pkiDir;
  private final Path logDir;
  private final URI url;
  private final AuditLog auditLog;
  private final HttpClient http;
  private final long deadlineNanos;
  private final long startNanos;
  private final int etcdPort;
  private final int etcdPeerPort;
  private final int apiPort;
  private final int controllerManagerPort;
  private final int schedulerPort;
  private Duration startupTime;
  private final Map<String, Duration> phases = new LinkedHashMap<>();
  private boolean closed;

  private ControlPlaneRuntime(ControlPlaneBinaries.Binaries binaries, Path workDirectory, boolean ownsWorkDirectory,
      Duration startTimeout) {
    this.startNanos = System.nanoTime();
    this.deadlineNanos = startNanos + startTimeout.toNanos();
    this.binaries = binaries;
    this.workDirectory = workDirectory;
    this.ownsWorkDirectory = ownsWorkDirectory;
    int[] ports = freePorts(5);
    this.etcdPort = ports[0];
    this.etcdPeerPort = ports[1];
    this.apiPort = ports[2];
    this.controllerManagerPort = ports[3];
    this.schedulerPort = ports[4];
    this.url = URI.create("https://127.0.0.1:" + apiPort);
    this.pkiDir = workDirectory.resolve("pki");
    this.logDir = workDirectory.resolve("logs");
    this.auditLog = new AuditLog(logDir.resolve("audit.log"),
        Set.of(LocalPki.ADMIN.user(), LocalPki.RESTRICTED.user()));
    this.http = HttpClient.newBuilder()
        .sslContext(pki.sslContext(LocalPki.TESTKIT))
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /**
   * Starts a control plane and waits until it is ready; on failure stops what was started (and deletes an owned work
   * directory) before throwing.
   *
   * @param binaries          the binaries to run
   * @param workDirectory     the work directory (created if needed)
   * @param ownsWorkDirectory whether to delete it on close
   * @param startTimeout      how long to wait for readiness in total
   * @return the running control plane
   * @throws ControlPlaneStartException when it did not become ready
   */
  public static ControlPlaneRuntime start(ControlPlaneBinaries.Binaries binaries, Path workDirectory,
      boolean ownsWorkDirectory, Duration startTimeout) {
    ControlPlaneRuntime rt = new ControlPlaneRuntime(binaries, workDirectory, ownsWorkDirectory, startTimeout);
    try {
      rt.run();
      return rt;
    } catch (RuntimeException | Error e) {
      rt.close();
      throw e;
    }
  }

  // ------------------------------------------------------------------ start

  private void run() {
    try {
      prepareDirectories();
    } catch (IOException e) {
      throw new ControlPlaneStartException("Could not prepare the work directory " + workDirectory + ": " + e,
          false, e);
    }
    long t = System.nanoTime();
    env.put("K8S_TESTENV_EXIT_WITH_PARENT", "1");
    env.put("HOME", workDirectory.resolve("home").toString());
    env.put("KUBECACHEDIR", workDirectory.resolve("home/.kube/cache").toString());
    env.put("KUBECONFIG", null);
    List<String> stageFiles = stageFiles();
    phases.put("files", since(t));

    t = System.nanoTime();
    ManagedProcess etcd = launch("etcd", etcdCommand(), Map.of());
    ManagedProcess apiserver = launch("kube-apiserver", apiserverCommand(), Map.of());
    awaitCondition("kube-apiserver /readyz = ok", apiserver, this::apiserverReady);
    phases.put("etcd+apiserver /readyz", since(t));
    if (!binaries.full()) {
      LOG.warn("Only etcd and kube-apiserver run (no {} in {}): no controllers, no scheduler, no nodes",
          String.join(", ", binaries.missingForFull()), binaries.directory());
      finishStart(etcd);
      return;
    }
    t = System.nanoTime();
    // After /readyz: their RBAC roles are created by the apiserver's bootstrap-roles post-start hook.
    String cmKubeconfig = pkiDir.resolve("kube-controller-manager.kubeconfig").toString();
    ManagedProcess controllerManager = launch("kube-controller-manager", List.of(binaries.binary("kube-controller-manager").toString(),
        "--kubeconfig=" + cmKubeconfig,
        "--authentication-kubeconfig=" + cmKubeconfig,
        "--authorization-kubeconfig=" + cmKubeconfig,
        "--bind-address=127.0.0.1", "--secure-port=" + controllerManagerPort,
        "--cert-dir=" + workDirectory.resolve("controller-manager"),
        "--controllers=*",
        "--use-service-account-credentials=true",
        "--root-ca-file=" + pkiDir.resolve("ca.crt"),
        "--service-account-private-key-file=" + pkiDir.resolve("sa.key"),
        "--cluster-signing-cert-file=" + pkiDir.resolve("ca.crt"),
        "--cluster-signing-key-file=" + pkiDir.resolve("ca.key"),
        "--service-cluster-ip-range=10.96.0.0/12",
        "--leader-elect=false",
        "--kube-api-qps=100", "--kube-api-burst=200",
        "--profiling=false"), Map.of());
    String schedKubeconfig = pkiDir.resolve("kube-scheduler.kubeconfig").toString();
    launch("kube-scheduler", List.of(binaries.binary("kube-scheduler").toString(),
        "--kubeconfig=" + schedKubeconfig,
        "--authentication-kubeconfig=" + schedKubeconfig,
        "--authorization-kubeconfig=" + schedKubeconfig,
        "--bind-address=127.0.0.1", "--secure-port=" + schedulerPort,
        "--cert-dir=" + workDirectory.resolve("scheduler"),
        "--leader-elect=false",
        "--profiling=false"), Map.of());
    List<String> kwokCommand = new ArrayList<>(List.of(binaries.binary("kwok").toString(),
        "--kubeconfig=" + pkiDir.resolve("kwok.kubeconfig"),
        "--manage-all-nodes=false",
        "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
        "--node-lease-duration-seconds=40",
        "--cidr=10.244.0.0/16",
        "--node-ip=10.240.0.1"));
    if (!stageFiles.isEmpty()) {
      kwokCommand.add("--config=" + String.join(",", stageFiles));
    }
    // KWOK_WORKDIR (and HOME): keep kwok from reading a stray ~/.kwok/kwok.yaml.
    ManagedProcess kwok = launch("kwok", kwokCommand,
        Map.of("KWOK_WORKDIR", workDirectory.resolve("kwok").toString()));
    awaitCondition("node " + NODE_NAME + " created", apiserver, this::createNode);
    awaitCondition("node " + NODE_NAME + " Ready without the not-ready taint", kwok, this::nodeReady);
    awaitCondition("ServiceAccount default/default (created by kube-controller-manager)",
        controllerManager, this::defaultServiceAccountExists);
    phases.put("controllers+node+default SA", since(t));
    finishStart(etcd);
  }

  private void finishStart(ManagedProcess etcd) {
    startupTime = since(startNanos);
    StringBuilder detail = new StringBuilder();
    phases.forEach((k, v) -> detail.append(detail.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(seconds(v)));
    LOG.info("Kubernetes control plane ready at {} in {} s ({}; pki {} s once per JVM); binaries {} ({}), "
            + "work dir {}", url, seconds(startupTime), detail, seconds(pki.generationTime()), binaries.directory(),
        binaries.source(), workDirectory);
  }

  private void prepareDirectories() throws IOException {
    Files.createDirectories(workDirectory);
    if (!ownsWorkDirectory) {
      for (String d : OWN_DIRS) {
        deleteRecursively(workDirectory.resolve(d));
      }
    }
    for (String d : OWN_DIRS) {
      Files.createDirectories(workDirectory.resolve(d));
    }
    Files.createDirectories(workDirectory.resolve("home/.kube/cache"));
    pki.writeTo(pkiDir, url);
    Files.writeString(workDirectory.resolve("audit-policy.yaml"), AUDIT_POLICY, StandardCharsets.UTF_8);
  }

  private List<String> etcdCommand() {
    String client = "http://127.0.0.1:" + etcdPort;
    String peer = "http://127.0.0.1:" + etcdPeerPort;
    List<String> cmd = new ArrayList<>(List.of(binaries.binary("etcd").toString(),
        "--data-dir=" + workDirectory.resolve("etcd"),
        "--listen-client-urls=" + client,
        "--listen-peer-urls=" + peer));
    if (!binaries.multiCall()) {
      // Upstream etcd (envtest): these are required or checked; the k8s-testenv etcd derives them.
      cmd.add("--advertise-client-urls=" + client);
      cmd.add("--initial-advertise-peer-urls=" + peer);
      cmd.add("--initial-cluster=default=" + peer);
    }
    return cmd;
  }

  private List<String> apiserverCommand() {
    List<String> cmd = new ArrayList<>(List.of(binaries.binary("kube-apiserver").toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiPort,
        "--cert-dir=" + workDirectory.resolve("apiserver"),
        "--tls-cert-file=" + pkiDir.resolve("apiserver.crt"),
        "--tls-private-key-file=" + pkiDir.resolve("apiserver.key"),
        "--client-ca-file=" + pkiDir.resolve("ca.crt"),
        "--requestheader-client-ca-file=" + pkiDir.resolve("front-proxy-ca.crt"),
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--proxy-client-cert-file=" + pkiDir.resolve("front-proxy-client.crt"),
        "--proxy-client-key-file=" + pkiDir.resolve("front-proxy-client.key"),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + pkiDir.resolve("sa.pub"),
        "--service-account-signing-key-file=" + pkiDir.resolve("sa.key"),
        "--service-cluster-ip-range=10.96.0.0/12",
        "--endpoint-reconciler-type=none",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction,ResourceQuota",
        "--allow-privileged=true",
        "--profiling=false",
        "--audit-policy-file=" + workDirectory.resolve("audit-policy.yaml"),
        "--audit-log-path=" + auditLog().file(),
        "--audit-log-format=json",
        // Written from the request's handler, before the response ends: what a client has seen is in the log.
        "--audit-log-mode=blocking"));
    if (!binaries.full()) {
      // No controller-manager creates the namespaces' default ServiceAccount; without this every pod is
      // rejected ("serviceaccount default not found"). envtest does the same.
      cmd.add("--disable-admission-plugins=ServiceAccount");
    }
    return cmd;
  }

  private ManagedProcess launch(String name, List<String> command, Map<String, String> extraEnv) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(extraEnv);
    Path log = logDir.resolve(name + ".log");
    try {
      Files.writeString(log, "# " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
      ManagedProcess p = ManagedProcess.start(name, command, all, workDirectory, log);
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new ControlPlaneStartException("Could not start " + name + " (" + command.get(0) + "): " + e, false, e);
    }
  }

  /** A readiness probe: true when satisfied; throws to report a definite failure. */
  private interface Probe {
    boolean check() throws IOException, InterruptedException;
  }

  private void awaitCondition(String what, ManagedProcess relevant, Probe probe) {
    Exception last = null;
    while (true) {
      for (ManagedProcess p : List.copyOf(processes)) {
        if (!p.isAlive()) {
          throw failure(p.name() + " " + p.exitDescription() + " while waiting for " + what, p, null);
        }
      }
      try {
        if (probe.check()) {
          return;
        }
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while waiting for " + what, relevant, e);
      }
      if (System.nanoTime() > deadlineNanos) {
        throw failure("timed out after " + seconds(since(startNanos)) + " s waiting for " + what
            + (last == null ? "" : " (last error: " + last + ")"), relevant, last);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while waiting for " + what, relevant, e);
      }
    }
  }

  private ControlPlaneStartException failure(String message, ManagedProcess component, Throwable cause) {
    String tail = component == null ? "" : component.tail(LOG_TAIL_LINES);
    boolean portConflict = tail.toLowerCase(Locale.ROOT).contains("address already in use");
    StringBuilder msg = new StringBuilder("The Kubernetes control plane did not start: ").append(message);
    msg.append(" (binaries ").append(binaries.directory()).append(", work dir ").append(workDirectory)
        .append(ownsWorkDirectory ? ", deleted" : "").append(')');
    if (component != null) {
      msg.append("\n--- last lines of ").append(component.log().getFileName()).append(" (").append(component.name())
          .append(", ").append(component.exitDescription()).append("):\n").append(tail);
    }
    return new ControlPlaneStartException(msg.toString(), portConflict, cause);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private boolean apiserverReady() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/readyz");
    return r.statusCode() == 200 && "ok".equals(r.body().trim());
  }

  private boolean createNode() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/nodes"))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(NODE_JSON)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 201 || r.statusCode() == 409) {
      return true;
    }
    throw new IOException("POST /api/v1/nodes: HTTP " + r.statusCode() + ": " + r.body());
  }

  private boolean nodeReady() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/api/v1/nodes/" + NODE_NAME);
    if (r.statusCode() != 200) {
      return false;
    }
    JsonNode node = MAPPER.readTree(r.body());
    boolean ready = false;
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        ready = true;
      }
    }
    for (JsonNode taint : node.path("spec").path("taints")) {
      if ("node.kubernetes.io/not-ready".equals(taint.path("key").asText())) {
        return false;
      }
    }
    return ready;
  }

  private boolean defaultServiceAccountExists() throws IOException, InterruptedException {
    return get("/api/v1/namespaces/default/serviceaccounts/default").statusCode() == 200;
  }

  /** The KWOK stage files: the repository's when the binaries come from it, else the bundled copies. */
  private List<String> stageFiles() {
    if (binaries.repository() != null) {
      List<String> files = yamlFiles(binaries.repository().resolve(ControlPlaneBinaries.REPO_STAGES));
      if (!files.isEmpty()) {
        return files;
      }
    }
    Path bundledDir = workDirectory.resolve("kwok-stages");
    deleteRecursively(bundledDir);
    List<String> bundled = copyBundledStages(bundledDir);
    if (!bundled.isEmpty()) {
      return bundled;
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      List<String> files = yamlFiles(dir.resolve(ControlPlaneBinaries.REPO_STAGES));
      if (!files.isEmpty()) {
        return files;
      }
    }
    LOG.warn("No KWOK stages found (neither {} on the class path nor {}): kwok runs with its defaults",
        STAGES_RESOURCE, ControlPlaneBinaries.REPO_STAGES);
    return List.of();
  }

  private static List<String> yamlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).map(Path::toString).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<String> copyBundledStages(Path target) {
    URL dirUrl = ControlPlaneRuntime.class.getClassLoader().getResource(STAGES_RESOURCE);
    if (dirUrl == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try {
      if ("file".equals(dirUrl.getProtocol())) {
        for (String f : yamlFiles(Path.of(dirUrl.toURI()))) {
          names.add(Path.of(f).getFileName().toString());
        }
      } else {
        URLConnection conn = dirUrl.openConnection();
        if (conn instanceof JarURLConnection jar) {
          jar.setUseCaches(false);
          try (JarFile jf = jar.getJarFile()) {
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
              String n = entries.nextElement().getName();
              if (n.startsWith(STAGES_RESOURCE) && n.endsWith(".yaml") && n.indexOf('/', STAGES_RESOURCE.length())
                  < 0) {
                names.add(n.substring(STAGES_RESOURCE.length()));
              }
            }
          }
        }
      }
      List<String> out = new ArrayList<>();
      Files.createDirectories(target);
      for (String n : names.stream().sorted().toList()) {
        try (InputStream in = ControlPlaneRuntime.class.getClassLoader().getResourceAsStream(STAGES_RESOURCE + n)) {
          if (in != null) {
            Path f = target.resolve(n);
            Files.copy(in, f);
            out.add(f.toString());
          }
        }
      }
      return out;
    } catch (IOException | java.net.URISyntaxException e) {
      LOG.warn("Could not copy the bundled KWOK stages: {}", e.toString());
      return List.of();
    }
  }

  private static int[] freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find free loopback ports", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }

  // ------------------------------------------------------------------ accessors

  /**
   * The API server URL, {@code https://127.0.0.1:<port>}.
   *
   * @return the URL
   */
  public URI url() {
    return url;
  }

  /**
   * The work directory.
   *
   * @return the directory
   */
  public Path workDirectory() {
    return workDirectory;
  }

  /**
   * The kubeconfig file of an identity.
   *
   * @param id the identity
   * @return its path
   */
  public Path kubeConfigPath(LocalPki.Identity id) {
    return pkiDir.resolve(id.file() + ".kubeconfig");
  }

  /**
   * The key material.
   *
   * @return the PKI
   */
  public LocalPki pki() {
    return pki;
  }

  /**
   * The audit log reader for the test users' requests.
   *
   * @return the reader
   */
  public AuditLog auditLog() {
    return auditLog;
  }

  /**
   * How long the start took, from launching to ready.
   *
   * @return the duration
   */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Whether only etcd and kube-apiserver run.
   *
   * @return true without controllers, scheduler and KWOK
   */
  public boolean minimal() {
    return !binaries.full();
  }

  /**
   * The binaries in use.
   *
   * @return the binaries
   */
  public ControlPlaneBinaries.Binaries binaries() {
    return binaries;
  }

  /**
   * The component processes, in start order.
   *
   * @return process handles
   */
  public List<ProcessHandle> processes() {
    synchronized (processes) {
      return processes.stream().map(ManagedProcess::handle).toList();
    }
  }

  // ------------------------------------------------------------------ stop

  /**
   * Stops the components (SIGTERM in reverse start order: KWOK, scheduler and controller-manager together, then the
   * API server, then etcd; SIGKILL after 10 s each), then deletes the work directory if owned. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<ManagedProcess> all;
    synchronized (processes) {
      all = new ArrayList<>(processes);
    }
    // Components that only talk to the API server go first, together; then the API server; then etcd.
    List<ManagedProcess> clients = all.stream()
        .filter(p -> !p.name().equals("etcd") && !p.name().equals("kube-apiserver")).toList();
    stopTogether(clients);
    all.stream().filter(p -> p.name().equals("kube-apiserver")).forEach(p -> stopTogether(List.of(p)));
    all.stream().filter(p -> p.name().equals("etcd")).forEach(p -> stopTogether(List.of(p)));
    if (ownsWorkDirectory) {
      deleteRecursively(workDirectory);
    }
  }

  private static void stopTogether(List<ManagedProcess> group) {
    group.forEach(ManagedProcess::terminate);
    long deadline = System.nanoTime() + STOP_GRACE.toNanos();
    for (ManagedProcess p : group) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!p.awaitExit(Duration.ofNanos(left))) {
        LOG.warn("{} (pid {}) still running {} s after SIGTERM; killing it", p.name(), p.pid(),
            STOP_GRACE.toSeconds());
        p.kill();
      }
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f", d.toMillis() / 1000.0);
  }
}
