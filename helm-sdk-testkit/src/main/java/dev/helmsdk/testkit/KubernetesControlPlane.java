package dev.helmsdk.testkit;

import dev.helmsdk.testkit.internal.controlplane.ControlPlaneBinaries;
import dev.helmsdk.testkit.internal.controlplane.ControlPlaneRuntime;
import dev.helmsdk.testkit.internal.tls.LocalPki;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A real Kubernetes control plane on the loopback interface, for tests that need what {@link EmbeddedKubernetes}
 * only simulates: the real API server's validation, defaulting, admission (ResourceQuota, PodSecurity, ...), RBAC and
 * audit; the real deployment, ReplicaSet, Job, garbage-collector and namespace controllers; the real scheduler. Pods
 * are "run" by <a href="https://kwok.sigs.k8s.io">KWOK</a> on one fake node, {@code kwok-node-0}: they become
 * {@code Running} and ready (Job and {@code helm test} pods {@code Succeeded}) without any container running, or fail
 * as chosen with the pod-template label or annotation {@value WorkloadFailure#MARKER} (see {@link WorkloadFailure}).
 *
 * <pre>{@code
 * try (KubernetesControlPlane cp = KubernetesControlPlane.startOrSkip();   // in a JUnit test; start() elsewhere
 *      HelmManager helm = HelmSdk.builder().kubeConfig(cp.kubeConfigPath()).build()) {
 *   helm.install("shop").chart(ChartRef.local(Path.of("charts/shop"))).waitReady().run();
 *   assertEquals(1, cp.client().apps().deployments().inNamespace("default").withName("shop").get()
 *       .getStatus().getReadyReplicas());
 * }
 * }</pre>
 *
 * <h2>Processes</h2>
 * etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok run as child processes with the command lines
 * of {@code controlplane/README.md}, on free ports of 127.0.0.1, with their files (certificates, etcd data, one log
 * per component, the audit log) in a work directory, {@code HOME} and {@code KUBECACHEDIR} pointing into it. They are
 * stopped by {@link #close()}, by a JVM shutdown hook, and (the {@code k8s-testenv} build only) by themselves when the
 * JVM dies without running its hooks. A start takes about 4-5 s on 2 cores ({@link #startupTime()}) and the running
 * control plane about 0.4 GiB of memory, so share one per test class rather than one per test.
 *
 * <h2>Binaries</h2>
 * Searched, first match wins (see {@link #unavailableReason()}):
 * <ol>
 *   <li>{@link Builder#binaryDirectory(Path)};</li>
 *   <li>the system property {@value ControlPlaneBinaries#SYSTEM_PROPERTY};</li>
 *   <li>the environment variable {@value ControlPlaneBinaries#ENV_KUBEBUILDER_ASSETS}, as controller-runtime's envtest
 *       uses it (a directory with {@code kube-apiserver} and {@code etcd}, from {@code setup-envtest});</li>
 *   <li>helm-sdk's own build output {@value ControlPlaneBinaries#REPO_BIN} in the working directory or a parent; when
 *       missing but {@code controlplane/build.sh} is there and {@code go} is on the {@code PATH}, that script is run
 *       once per JVM (a first build takes about 5 minutes; its log goes to {@code .build/controlplane/build.log}).</li>
 * </ol>
 * A directory named by 1-3 must hold {@code kube-apiserver} and {@code etcd}. When it does not also hold
 * {@code kube-controller-manager}, {@code kube-scheduler} and {@code kwok} (envtest's downloads do not), only etcd and
 * the API server run, as in envtest, and then: no controllers (a Deployment gets no ReplicaSet or pods, nothing is
 * garbage-collected, deleted namespaces stay {@code Terminating}, no {@code default} ServiceAccount is created, so
 * the {@code ServiceAccount} admission plugin is disabled), no scheduler (pods stay unscheduled and {@code Pending}),
 * and no nodes; Helm's {@code --wait} then never sees a workload become ready. {@link #isMinimal()} tells which mode
 * runs. Certificates are generated in Java, so envtest's binaries work as they are.
 *
 * <h2>Identities</h2>
 * {@link #kubeConfigPath()} and {@link #client()} authenticate as user {@code admin} in group {@code system:masters}
 * (cluster-admin); {@link #restrictedKubeConfigPath()} as user {@code restricted} in no group, which RBAC forbids
 * everything but discovery until a test binds a Role to it. The testkit's own calls (creating the node, readiness
 * checks) use a third identity, so they never appear in {@link #requests()}.
 *
 * <p>Thread-safe. Requires a Linux or macOS host with the binaries for it.
 */
public final class KubernetesControlPlane implements TestCluster {

  /** Default for {@link Builder#startTimeout(Duration)}. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  private final ControlPlaneRuntime runtime;
  private final String kubeConfigYaml;
  private final Thread shutdownHook;
  private final Object lock = new Object();
  private KubernetesClient client;
  private boolean closed;

  private KubernetesControlPlane(ControlPlaneRuntime runtime) {
    this.runtime = runtime;
    try {
      this.kubeConfigYaml = Files.readString(runtime.kubeConfigPath(LocalPki.ADMIN), StandardCharsets.UTF_8);
    } catch (IOException e) {
      runtime.close();
      throw new UncheckedIOException(e);
    }
    this.shutdownHook = new Thread(runtime::close, "kubernetes-control-plane-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a control plane with the default settings: binaries found as described above, a fresh temporary work
   * directory, a start timeout of 60 s.
   *
   * @return the running control plane, ready: {@code /readyz} ok, node {@code kwok-node-0} Ready and ServiceAccount
   *     {@code default/default} present
   * @throws IllegalStateException when no binaries are found (the message says why and what was tried) or the
   *     control plane does not become ready (the message ends with the tail of the failing component's log)
   */
  public static KubernetesControlPlane start() {
    return builder().start();
  }

  /**
   * Like {@link #start()}, but when no binaries are available (see {@link #unavailableReason()}) the calling JUnit 5
   * test is skipped ({@link Assumptions#abort(String)}) with the reason, unless the environment variable {@code CI}
   * is {@code true} (or {@code 1}): there the test fails with an {@link IllegalStateException}, so a CI job cannot
   * pass by skipping everything. A control plane that is found but fails to start always fails. For JUnit tests
   * only: outside JUnit the abort is just an exception; programs use {@link #start()}.
   *
   * @return the running control plane
   * @throws org.opentest4j.TestAbortedException when unavailable outside CI
   * @throws IllegalStateException when unavailable on CI, or when the start fails
   */
  public static KubernetesControlPlane startOrSkip() {
    return builder().startOrSkip();
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
   * Why a control plane cannot be started with the default binary search, for example {@code "no control-plane
   * binaries: install Go >= 1.26 and run controlplane/build.sh, or set KUBEBUILDER_ASSETS ..."}; empty when it can.
   * May run {@code controlplane/build.sh} (once per JVM) when the repository has no build yet and Go is installed.
   *
   * @return the reason, or empty when binaries are available
   */
  public static Optional<String> unavailableReason() {
    return Optional.ofNullable(ControlPlaneBinaries.resolve(null).reason());
  }

  /**
   * The admin kubeconfig (user {@code admin}, group {@code system:masters}; cluster {@code testenv}, context
   * {@code admin@testenv}, no namespace; CA, client certificate and key embedded), for Helm's {@code --kubeconfig},
   * helm-java's {@code withKubeConfig} and other clients.
   *
   * @return path of the file inside the work directory
   */
  @Override
  public Path kubeConfigPath() {
    return runtime.kubeConfigPath(LocalPki.ADMIN);
  }

  /**
   * The admin kubeconfig as YAML, the same content as {@link #kubeConfigPath()}.
   *
   * @return kubeconfig YAML
   */
  @Override
  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /**
   * A kubeconfig for user {@code restricted}, who is in no group: RBAC lets it do nothing but discovery and
   * self-reviews (everything else is {@code 403 Forbidden}) until a test binds a Role or ClusterRole to user
   * {@code restricted}.
   *
   * @return path of the file inside the work directory
   */
  public Path restrictedKubeConfigPath() {
    return runtime.kubeConfigPath(LocalPki.RESTRICTED);
  }

  /**
   * A fabric8 client authenticated as {@code admin}, created on first use and closed by {@link #close()}. Its
   * default namespace is {@code default}.
   *
   * @return the shared client
   * @throws IllegalStateException when this control plane is closed
   */
  @Override
  public KubernetesClient client() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("KubernetesControlPlane is closed");
      }
      if (client == null) {
        client = runtime.newClient(LocalPki.ADMIN);
      }
      return client;
    }
  }

  /**
   * The API server's URL, {@code https://127.0.0.1:<port>}.
   *
   * @return the URL
   */
  @Override
  public URI url() {
    return runtime.url();
  }

  /**
   * The requests that users {@code admin} and {@code restricted} made (through {@link #client()}, the kubeconfigs,
   * Helm, ...), oldest first, read from the API server's audit log: {@code --audit-policy-file} logging every request
   * at level {@code Metadata}, {@code --audit-log-format=json}, {@code --audit-log-mode=blocking} (an event is written
   * before the response ends, so every request a client has seen answered is there). The control plane's own
   * components and the testkit's readiness checks are left out. Each request counts once (its
   * {@code ResponseComplete} event; for watches and other long-running requests the {@code ResponseStarted} event).
   * The HTTP method is derived from the audit verb (create: POST, update: PUT, patch: PATCH, delete and
   * deletecollection: DELETE, get, list and watch: GET); {@link RecordedRequest#contentType()} is always empty (the
   * audit log does not record it); {@link RecordedRequest#time()} is when the API server received the request (the
   * order). Only the latest 100,000 are kept.
   *
   * @return an immutable snapshot
   */
  @Override
  public List<RecordedRequest> requests() {
    return runtime.auditLog().requests();
  }

  /** Forgets the requests recorded so far. */
  @Override
  public void clearRequests() {
    runtime.auditLog().clear();
  }

  /**
   * How long {@link #start()} took from launching the first process to ready (excluding a one-time build of the
   * binaries and the once-per-JVM key generation before it).
   *
   * @return the duration
   */
  public Duration startupTime() {
    return runtime.startupTime();
  }

  /**
   * Whether only etcd and kube-apiserver run (envtest's binaries): no controllers, no scheduler, no nodes. See the
   * class description.
   *
   * @return true in that mode
   */
  public boolean isMinimal() {
    return runtime.minimal();
  }

  /**
   * The work directory: {@code pki/} (certificates, {@code admin.kubeconfig}, {@code restricted.kubeconfig}),
   * {@code logs/} ({@code etcd.log}, {@code kube-apiserver.log}, {@code kube-controller-manager.log},
   * {@code kube-scheduler.log}, {@code kwok.log}, {@code audit.log}), {@code etcd/} (data) and {@code home/}.
   *
   * @return the directory
   */
  public Path workDirectory() {
    return runtime.workDirectory();
  }

  /**
   * The component processes (etcd, kube-apiserver, then kube-controller-manager, kube-scheduler and kwok when they
   * run), for tests that check what is running.
   *
   * @return their process handles, in start order
   */
  public List<ProcessHandle> processes() {
    return runtime.processes();
  }

  /**
   * Closes {@link #client()}, stops the components (SIGTERM in reverse start order; SIGKILL to any still running
   * 10 s later) and deletes the work directory unless it was given to {@link Builder#workDirectory(Path)}.
   * Idempotent.
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
      runtime.close();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // the JVM is shutting down: the hook runs (or ran) anyway, and close() is idempotent
      }
    }
  }

  /**
   * Describes this control plane.
   *
   * @return URL and work directory
   */
  @Override
  public String toString() {
    return "KubernetesControlPlane[" + url() + ", " + workDirectory() + (isMinimal() ? ", minimal" : "") + "]";
  }

  /** Settings for {@link KubernetesControlPlane}. */
  public static final class Builder {

    private Path binaryDirectory;
    private Path workDirectory;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;

    private Builder() {
    }

    /**
     * The directory with the binaries ({@code kube-apiserver} and {@code etcd}; for the full control plane also
     * {@code kube-controller-manager}, {@code kube-scheduler} and {@code kwok}), instead of the search described in
     * the class description.
     *
     * @param binaryDirectory the directory
     * @return this builder
     */
    public Builder binaryDirectory(Path binaryDirectory) {
      this.binaryDirectory = Objects.requireNonNull(binaryDirectory, "binaryDirectory");
      return this;
    }

    /**
     * Where to put certificates, etcd data and logs. Created if needed; the subdirectories the control plane uses
     * are emptied at start (each start is a fresh cluster) and everything is left in place on close. By default a
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
     * How long to wait for the control plane to become ready, 60 s by default.
     *
     * @param startTimeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder startTimeout(Duration startTimeout) {
      Objects.requireNonNull(startTimeout, "startTimeout");
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
      }
      this.startTimeout = startTimeout;
      return this;
    }

    /**
     * Starts the control plane and waits until it is ready.
     *
     * @return the running control plane
     * @throws IllegalStateException when no binaries are found or the control plane does not become ready
     */
    public KubernetesControlPlane start() {
      return start(ControlPlaneBinaries.resolve(binaryDirectory).orThrow());
    }

    /**
     * Like {@link #start()}, but skips the calling test when no binaries are available, except on CI; see
     * {@link KubernetesControlPlane#startOrSkip()}.
     *
     * @return the running control plane
     * @throws org.opentest4j.TestAbortedException when unavailable outside CI
     * @throws IllegalStateException when unavailable on CI, or when the start fails
     */
    public KubernetesControlPlane startOrSkip() {
      return start(ControlPlaneBinaries.resolve(binaryDirectory).orSkipUnlessCi());
    }

    private KubernetesControlPlane start(ControlPlaneBinaries.Binaries binaries) {
      return new KubernetesControlPlane(ControlPlaneRuntime.start(binaries, workDirectory, startTimeout));
    }
  }
}
