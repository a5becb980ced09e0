package dev.helmsdk.testkit.internal.controlplane;

import dev.helmsdk.testkit.internal.tls.LocalPki;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One running test control plane (etcd, kube-apiserver, and when available kube-controller-manager, kube-scheduler
 * and KWOK with one fake node) in a work directory: the start sequence and its readiness gates, what it exposes, and
 * its stop. Used by {@code dev.helmsdk.testkit.KubernetesControlPlane}.
 */
public final class ControlPlaneRuntime implements AutoCloseable {

  /** Name of the one fake node KWOK manages. */
  public static final String NODE_NAME = "kwok-node-0";
  /** Where the KWOK stages are bundled on the class path (copied there from {@code controlplane/stages}). */
  public static final String STAGES_RESOURCE = "dev/helmsdk/testkit/controlplane/stages/";

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneRuntime.class);

  private final ControlPlaneBinaries.Binaries binaries;
  private final WorkDirectory dirs;
  private final LocalPki pki = LocalPki.shared();
  private final URI url;
  private final AuditLog auditLog;
  private final StartClock clock;
  private final ComponentCommands commands;
  private final ProcessGroup processes;
  private final ReadinessProbes probes;
  private Duration startupTime;
  private boolean closed;

  private ControlPlaneRuntime(ControlPlaneBinaries.Binaries binaries, Path workDirectory, boolean ownsWorkDirectory,
      Duration startTimeout) {
    this.clock = new StartClock(startTimeout);
    this.binaries = binaries;
    this.dirs = new WorkDirectory(workDirectory, ownsWorkDirectory);
    ComponentPorts ports = ComponentPorts.allocate();
    this.url = URI.create("https://127.0.0.1:" + ports.api());
    this.auditLog = new AuditLog(dirs.auditLog(), Set.of(LocalPki.ADMIN.user(), LocalPki.RESTRICTED.user()));
    this.commands = new ComponentCommands(binaries, dirs, ports);
    this.processes = new ProcessGroup(dirs, clock, "binaries " + binaries.directory() + ", work dir " + workDirectory
        + (ownsWorkDirectory ? ", deleted" : ""));
    this.probes = new ReadinessProbes(url, pki);
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

  /**
   * Starts a control plane in the given work directory, or in a fresh temporary one deleted on close; starts once
   * more on new ports when a port was taken between choosing and binding it.
   *
   * @param binaries      the binaries to run
   * @param workDirectory the work directory (created if needed, kept on close), or null for a temporary one
   * @param startTimeout  how long to wait for readiness in total, per attempt
   * @return the running control plane
   * @throws ControlPlaneStartException when it did not become ready
   */
  public static ControlPlaneRuntime start(ControlPlaneBinaries.Binaries binaries, Path workDirectory,
      Duration startTimeout) {
    for (int attempt = 1; ; attempt++) {
      Path dir;
      boolean owned = workDirectory == null;
      try {
        dir = owned ? Files.createTempDirectory("k8s-controlplane-") : workDirectory.toAbsolutePath();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not create a work directory for the control plane", e);
      }
      try {
        return start(binaries, dir, owned, startTimeout);
      } catch (ControlPlaneStartException e) {
        if (!e.portConflict() || attempt >= 2) {
          throw e;
        }
        LOG.info("A control-plane port was taken between choosing and binding it; starting again on new ports");
      }
    }
  }

  // ------------------------------------------------------------------ start

  private void run() {
    try {
      dirs.prepare(pki, url);
    } catch (IOException e) {
      throw new ControlPlaneStartException("Could not prepare the work directory " + dirs.root() + ": " + e,
          false, e);
    }
    long t = StartClock.mark();
    List<String> stageFiles = KwokStages.find(binaries.repository(), dirs.root());
    clock.phase("files", t);

    t = StartClock.mark();
    processes.launch("etcd", commands.etcd(), Map.of());
    ManagedProcess apiserver = processes.launch("kube-apiserver", commands.apiserver(), Map.of());
    processes.await("kube-apiserver /readyz = ok", apiserver, probes::apiserverReady);
    clock.phase("etcd+apiserver /readyz", t);
    if (!binaries.full()) {
      LOG.warn("Only etcd and kube-apiserver run (no {} in {}): no controllers, no scheduler, no nodes",
          String.join(", ", binaries.missingForFull()), binaries.directory());
      finishStart();
      return;
    }
    t = StartClock.mark();
    // After /readyz: their RBAC roles are created by the apiserver's bootstrap-roles post-start hook.
    ManagedProcess controllerManager = processes.launch("kube-controller-manager", commands.controllerManager(),
        Map.of());
    processes.launch("kube-scheduler", commands.scheduler(), Map.of());
    // KWOK_WORKDIR (and HOME): keep kwok from reading a stray ~/.kwok/kwok.yaml.
    ManagedProcess kwok = processes.launch("kwok", commands.kwok(stageFiles),
        Map.of("KWOK_WORKDIR", dirs.root().resolve("kwok").toString()));
    processes.await("node " + NODE_NAME + " created", apiserver, probes::createNode);
    processes.await("node " + NODE_NAME + " Ready without the not-ready taint", kwok, probes::nodeReady);
    processes.await("ServiceAccount default/default (created by kube-controller-manager)",
        controllerManager, probes::defaultServiceAccountExists);
    clock.phase("controllers+node+default SA", t);
    finishStart();
  }

  private void finishStart() {
    startupTime = clock.elapsed();
    LOG.info("Kubernetes control plane ready at {} in {} s ({}; pki {} s once per JVM); binaries {} ({}), "
            + "work dir {}", url, StartClock.seconds(startupTime), clock.phases(),
        StartClock.seconds(pki.generationTime()), binaries.directory(), binaries.source(), dirs.root());
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
    return dirs.root();
  }

  /**
   * The kubeconfig file of an identity.
   *
   * @param id the identity
   * @return its path
   */
  public Path kubeConfigPath(LocalPki.Identity id) {
    return dirs.pki().resolve(id.file() + ".kubeconfig");
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
    return processes.handles();
  }

  /**
   * A new fabric8 client for an identity, its default namespace {@code default}; the caller closes it.
   *
   * @param id the identity
   * @return the client
   */
  public KubernetesClient newClient(LocalPki.Identity id) {
    Base64.Encoder b64 = Base64.getEncoder();
    // Config.empty(): nothing is read from ~/.kube, system properties or the environment.
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(url.toString())
        .withCaCertData(b64.encodeToString(pki.caPem().getBytes(StandardCharsets.US_ASCII)))
        .withClientCertData(b64.encodeToString(pki.certPem(id).getBytes(StandardCharsets.US_ASCII)))
        .withClientKeyData(b64.encodeToString(pki.keyPem(id).getBytes(StandardCharsets.US_ASCII)))
        .withClientKeyAlgo("EC")
        .withNamespace("default")
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
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
    processes.stopAll();
    dirs.deleteIfOwned();
  }
}
