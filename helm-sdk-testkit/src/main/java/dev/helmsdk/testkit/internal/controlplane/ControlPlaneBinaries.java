package dev.helmsdk.testkit.internal.controlplane;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the control-plane binaries, in the order controller-runtime (envtest) users expect:
 * <ol>
 *   <li>an explicit directory given by the caller;</li>
 *   <li>the system property {@value #SYSTEM_PROPERTY};</li>
 *   <li>the environment variable {@value #ENV_KUBEBUILDER_ASSETS} (envtest's layout: {@code kube-apiserver},
 *       {@code etcd}, maybe {@code kubectl});</li>
 *   <li>the repository's build output {@value #REPO_BIN}, found by walking up from the working directory; when it is
 *       missing but {@code controlplane/build.sh} exists and {@code go} is on the {@code PATH}, that script is run once
 *       per JVM.</li>
 * </ol>
 * A directory that was named explicitly (1-3) but lacks {@code kube-apiserver} or {@code etcd} is an error, not a
 * reason to look further: a misconfiguration should not silently pick other binaries.
 */
public final class ControlPlaneBinaries {

  /** System property naming the binary directory. */
  public static final String SYSTEM_PROPERTY = "helmsdk.controlplane.bin";
  /** envtest's environment variable naming the binary directory. */
  public static final String ENV_KUBEBUILDER_ASSETS = "KUBEBUILDER_ASSETS";
  /** The repository's build output, relative to the repository root. */
  public static final String REPO_BIN = ".build/controlplane/bin";
  /** The build script, relative to the repository root. */
  public static final String BUILD_SCRIPT = "controlplane/build.sh";
  /** The KWOK stages, relative to the repository root. */
  public static final String REPO_STAGES = "controlplane/stages";

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneBinaries.class);
  private static final List<String> REQUIRED = List.of("kube-apiserver", "etcd");
  private static final List<String> FOR_FULL = List.of("kube-controller-manager", "kube-scheduler", "kwok");
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);

  /** Where a directory came from. */
  public enum Source {
    /** Given to the builder. */
    EXPLICIT,
    /** The system property {@value ControlPlaneBinaries#SYSTEM_PROPERTY}. */
    SYSTEM_PROPERTY,
    /** The environment variable {@value ControlPlaneBinaries#ENV_KUBEBUILDER_ASSETS}. */
    KUBEBUILDER_ASSETS,
    /** The repository's {@value ControlPlaneBinaries#REPO_BIN}. */
    REPOSITORY_BUILD
  }

  /**
   * A usable binary directory.
   *
   * @param directory  the directory
   * @param source     where it came from
   * @param full       whether {@code kube-controller-manager}, {@code kube-scheduler} and {@code kwok} are there too
   * @param multiCall  whether {@code etcd} is the {@code k8s-testenv} multi-call binary (whose etcd takes other flags
   *                   than upstream etcd)
   * @param repository the repository root when the binaries were found or built there, else null
   */
  public record Binaries(Path directory, Source source, boolean full, boolean multiCall, Path repository) {

    /**
     * The path of a binary in the directory.
     *
     * @param name binary name
     * @return its path
     */
    public Path binary(String name) {
      return directory.resolve(name);
    }

    /**
     * The optional binaries that are missing, for log lines.
     *
     * @return names
     */
    public List<String> missingForFull() {
      return FOR_FULL.stream().filter(n -> !Files.isExecutable(directory.resolve(n))).toList();
    }
  }

  /**
   * The binaries, or why there are none.
   *
   * @param binaries the binaries when found
   * @param reason   why not, when not
   */
  public record Resolution(Binaries binaries, String reason) {

    /**
     * The binaries.
     *
     * @return binaries, empty when unavailable
     */
    public Optional<Binaries> found() {
      return Optional.ofNullable(binaries);
    }

    /**
     * The binaries, for a start that must happen.
     *
     * @return the binaries
     * @throws IllegalStateException with the reason when there are none
     */
    public Binaries orThrow() {
      if (reason != null) {
        throw new IllegalStateException("Cannot start a Kubernetes control plane: " + reason);
      }
      return binaries;
    }

    /**
     * The binaries, for a JUnit test: without them the test is skipped, except when the environment variable
     * {@code CI} is {@code true} or {@code 1}, where a skip would let a CI job pass without testing anything.
     *
     * @return the binaries
     * @throws org.opentest4j.TestAbortedException when unavailable outside CI
     * @throws IllegalStateException when unavailable on CI
     */
    public Binaries orSkipUnlessCi() {
      if (reason != null) {
        String ci = Objects.requireNonNullElse(System.getenv("CI"), "");
        if (ci.equalsIgnoreCase("true") || ci.equals("1")) {
          throw new IllegalStateException("Cannot start a Kubernetes control plane, and CI=" + ci
              + " makes this a failure instead of a skip: " + reason);
        }
        return Assumptions.abort("Kubernetes control plane unavailable: " + reason);
      }
      return binaries;
    }
  }

  private record BuildOutcome(Path binDir, String failure) {
  }

  private static BuildOutcome buildOutcome;

  private ControlPlaneBinaries() {
  }

  /**
   * Resolves the binaries (may run {@code controlplane/build.sh}, once per JVM).
   *
   * @param explicit a directory given by the caller, or null
   * @return the binaries, or the reason there are none (listing what was tried)
   */
  public static Resolution resolve(Path explicit) {
    if (explicit != null) {
      return named(explicit, Source.EXPLICIT, "the directory given to binaryDirectory(...)");
    }
    String property = System.getProperty(SYSTEM_PROPERTY);
    if (property != null && !property.isBlank()) {
      return named(Path.of(property.trim()), Source.SYSTEM_PROPERTY, "system property " + SYSTEM_PROPERTY);
    }
    String assets = System.getenv(ENV_KUBEBUILDER_ASSETS);
    if (assets != null && !assets.isBlank()) {
      return named(Path.of(assets.trim()), Source.KUBEBUILDER_ASSETS, "environment variable "
          + ENV_KUBEBUILDER_ASSETS);
    }
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    Path buildScriptRepo = null;
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (hasRequired(dir.resolve(REPO_BIN))) {
        return new Resolution(binaries(dir.resolve(REPO_BIN), Source.REPOSITORY_BUILD, dir), null);
      }
      if (buildScriptRepo == null && Files.isRegularFile(dir.resolve(BUILD_SCRIPT))) {
        buildScriptRepo = dir;
      }
    }
    String tried = "looked for " + SYSTEM_PROPERTY + " (unset), " + ENV_KUBEBUILDER_ASSETS + " (unset) and "
        + REPO_BIN + " in " + start + " and its parents (none)";
    if (buildScriptRepo == null) {
      return new Resolution(null, "no control-plane binaries: set " + ENV_KUBEBUILDER_ASSETS
          + " (or -D" + SYSTEM_PROPERTY + ") to a directory with kube-apiserver and etcd, or run "
          + BUILD_SCRIPT + " of helm-sdk (Go >= 1.26); " + tried);
    }
    Optional<Path> go = onPath("go");
    if (go.isEmpty()) {
      return new Resolution(null, "no control-plane binaries: install Go >= 1.26 and run " + BUILD_SCRIPT
          + ", or set " + ENV_KUBEBUILDER_ASSETS + " (or -D" + SYSTEM_PROPERTY
          + ") to a directory with kube-apiserver and etcd; " + tried + "; found " + buildScriptRepo.resolve(
          BUILD_SCRIPT) + " but no go on PATH");
    }
    BuildOutcome outcome = build(buildScriptRepo);
    if (outcome.failure() != null) {
      return new Resolution(null, outcome.failure());
    }
    return new Resolution(binaries(outcome.binDir(), Source.REPOSITORY_BUILD, buildScriptRepo), null);
  }

  private static Resolution named(Path dir, Source source, String what) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      return new Resolution(null, what + " names " + abs + ", which is not a directory");
    }
    List<String> missing = REQUIRED.stream().filter(n -> !Files.isExecutable(abs.resolve(n))).toList();
    if (!missing.isEmpty()) {
      return new Resolution(null, what + " names " + abs + ", which has no executable " + String.join(" or ",
          missing));
    }
    return new Resolution(binaries(abs, source, null), null);
  }

  private static boolean hasRequired(Path dir) {
    return REQUIRED.stream().allMatch(n -> Files.isExecutable(dir.resolve(n)));
  }

  private static Binaries binaries(Path dir, Source source, Path repository) {
    boolean full = FOR_FULL.stream().allMatch(n -> Files.isExecutable(dir.resolve(n)));
    boolean multiCall;
    try {
      multiCall = dir.resolve("etcd").toRealPath().getFileName().toString().equals("k8s-testenv");
    } catch (IOException e) {
      multiCall = false;
    }
    return new Binaries(dir, source, full, multiCall, repository);
  }

  /** Runs the build script once per JVM; later calls return the first outcome. */
  private static synchronized BuildOutcome build(Path repo) {
    if (buildOutcome != null) {
      return buildOutcome;
    }
    Path script = repo.resolve(BUILD_SCRIPT);
    Path logDir = repo.resolve(".build/controlplane");
    Path log = logDir.resolve("build.log");
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(logDir);
      LOG.info("Building the test control plane with {} (a first build takes ~5 min on 2 cores, later ones "
          + "seconds); log: {}", script, log);
      Process p = new ProcessBuilder("bash", script.toString())
          .directory(repo.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      p.getOutputStream().close();
      if (!p.waitFor(BUILD_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        buildOutcome = new BuildOutcome(null, BUILD_SCRIPT + " did not finish within " + BUILD_TIMEOUT.toMinutes()
            + " min; log: " + log);
        return buildOutcome;
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        buildOutcome = new BuildOutcome(null, BUILD_SCRIPT + " failed (exit " + p.exitValue() + "); log: " + log
            + "; last lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        return buildOutcome;
      }
      // build.sh prints the bin dir on its last stdout line.
      Path binDir = repo.resolve(REPO_BIN);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String line = lines.get(i).trim();
        if (!line.isEmpty()) {
          if (line.startsWith("/") && hasRequired(Path.of(line))) {
            binDir = Path.of(line);
          }
          break;
        }
      }
      if (!hasRequired(binDir)) {
        buildOutcome = new BuildOutcome(null, BUILD_SCRIPT + " succeeded but " + binDir
            + " has no kube-apiserver/etcd; log: " + log);
        return buildOutcome;
      }
      LOG.info("Built the test control plane in {} s: {}", (System.nanoTime() - t0) / 1_000_000_000L, binDir);
      buildOutcome = new BuildOutcome(binDir, null);
    } catch (IOException e) {
      buildOutcome = new BuildOutcome(null, "could not run " + script + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // Not remembered: a later call may try again.
      return new BuildOutcome(null, "interrupted while running " + script);
    }
    return buildOutcome;
  }

  /**
   * Finds an executable on the {@code PATH}.
   *
   * @param name executable name
   * @return its path, if found
   */
  static Optional<Path> onPath(String name) {
    String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
    List<Path> candidates = new ArrayList<>();
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        candidates.add(Path.of(entry, name));
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }
}
