package dev.helmsdk.testkit.internal.controlplane;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The component processes of one control plane: launched with their logs, watched while waiting, stopped in order. */
final class ProcessGroup {

  /** A readiness probe: true when satisfied; throws to report a definite failure. */
  interface Probe {
    boolean check() throws IOException, InterruptedException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ProcessGroup.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 40;

  private final List<ManagedProcess> processes = Collections.synchronizedList(new ArrayList<>());
  private final WorkDirectory dirs;
  private final Map<String, String> env;
  private final StartClock clock;
  private final String where;

  /** {@code where} names the binaries and work directory in failure messages. */
  ProcessGroup(WorkDirectory dirs, StartClock clock, String where) {
    this.dirs = dirs;
    this.env = dirs.environment();
    this.clock = clock;
    this.where = where;
  }

  /** Starts a component, its command line first in its log. */
  ManagedProcess launch(String name, List<String> command, Map<String, String> extraEnv) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(extraEnv);
    Path log = dirs.logs().resolve(name + ".log");
    try {
      Files.writeString(log, "# " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
      ManagedProcess p = ManagedProcess.start(name, command, all, dirs.root(), log);
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new ControlPlaneStartException("Could not start " + name + " (" + command.get(0) + "): " + e, false, e);
    }
  }

  /**
   * Polls the probe until it holds; fails when a component dies, the start deadline passes or the thread is
   * interrupted, with the log tail of {@code relevant} (or of the dead component).
   */
  void await(String what, ManagedProcess relevant, Probe probe) {
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
      if (clock.pastDeadline()) {
        throw failure("timed out after " + StartClock.seconds(clock.elapsed()) + " s waiting for " + what
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
    msg.append(" (").append(where).append(')');
    if (component != null) {
      msg.append("\n--- last lines of ").append(component.log().getFileName()).append(" (").append(component.name())
          .append(", ").append(component.exitDescription()).append("):\n").append(tail);
    }
    return new ControlPlaneStartException(msg.toString(), portConflict, cause);
  }

  /** The processes' handles, in start order. */
  List<ProcessHandle> handles() {
    synchronized (processes) {
      return processes.stream().map(ManagedProcess::handle).toList();
    }
  }

  /**
   * Stops every component: those that only talk to the API server first, together; then the API server; then etcd.
   * SIGTERM, then SIGKILL after 10 s each.
   */
  void stopAll() {
    List<ManagedProcess> all;
    synchronized (processes) {
      all = new ArrayList<>(processes);
    }
    List<ManagedProcess> clients = all.stream()
        .filter(p -> !p.name().equals("etcd") && !p.name().equals("kube-apiserver")).toList();
    stopTogether(clients);
    all.stream().filter(p -> p.name().equals("kube-apiserver")).forEach(p -> stopTogether(List.of(p)));
    all.stream().filter(p -> p.name().equals("etcd")).forEach(p -> stopTogether(List.of(p)));
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
}
