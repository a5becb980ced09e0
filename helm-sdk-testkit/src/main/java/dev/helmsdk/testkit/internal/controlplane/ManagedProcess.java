package dev.helmsdk.testkit.internal.controlplane;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One control-plane component: a child process whose stdout and stderr go to a log file. */
final class ManagedProcess {

  private static final int TAIL_BYTES = 64 * 1024;

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts a component.
   *
   * @param name    component name, for messages
   * @param command the command line
   * @param env     variables to set on top of the JVM's environment ({@code null} values remove a variable)
   * @param workDir working directory
   * @param log     log file for stdout and stderr
   * @return the running component
   * @throws IOException when the process cannot be started
   */
  static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path log)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process p = pb.start();
    p.getOutputStream().close();
    return new ManagedProcess(name, p, log);
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** A description of how the process ended, for messages. */
  String exitDescription() {
    return process.isAlive() ? "still running" : "exited with status " + process.exitValue();
  }

  /** Sends SIGTERM to the process (and any children it started). */
  void terminate() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  /**
   * Waits for the process to exit.
   *
   * @param timeout how long
   * @return true when it exited
   */
  boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Sends SIGKILL to the process and its children and waits briefly. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(5));
  }

  /**
   * The last lines of the log.
   *
   * @param lines how many
   * @return the text, or a note when the log cannot be read
   */
  String tail(int lines) {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - TAIL_BYTES);
      byte[] buf = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(buf);
      String[] all = new String(buf, StandardCharsets.UTF_8).split("\n");
      int start = Math.max(from > 0 ? 1 : 0, all.length - lines);
      return String.join("\n", Arrays.asList(all).subList(Math.min(start, all.length), all.length));
    } catch (IOException e) {
      return "(could not read " + log + ": " + e.getMessage() + ")";
    }
  }
}
