package dev.helmsdk.core.internal.isolated;

import dev.helmsdk.core.internal.HelmCall;
import dev.helmsdk.core.internal.WorkDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.helmsdk.core.internal.secrets.Redactor;
import dev.helmsdk.core.internal.telemetry.LogContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One isolated Helm process: a child JVM running {@link HelmCallServer}, serving one call at a time.
 * Two daemon threads read its stdout (replies, and anything Helm printed) and its stderr (logged at
 * debug, the last lines kept for error messages).
 */
final class HelmChild {

    private static final Logger LOG = LoggerFactory.getLogger("dev.helmsdk.helm.isolated");
    private static final int TAIL_LINES = 20;

    private final int number;
    private final Process process;
    private final Path tmpDir;
    private final OutputStream stdin;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Deque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Long> hello = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private volatile String stopReason;
    private volatile String protocolError;
    private volatile Pending pending;
    private volatile boolean ended;
    private final Thread errors;

    /** The call the child serves, with the MDC of the operation that made it and the mask of that operation's secrets. */
    private record Pending(long id, CompletableFuture<HelmCall.Result> reply, Map<String, String> mdc, Redactor mask) {
    }

    private HelmChild(int number, Process process, Path tmpDir) {
        this.number = number;
        this.process = process;
        this.tmpDir = tmpDir;
        this.stdin = process.getOutputStream();
        this.errors = daemon("helm-sdk-isolated-" + number + "-err", this::readErrors);
        errors.start();
        daemon("helm-sdk-isolated-" + number + "-out", this::readReplies).start();
        // Also after a crash or a kill, which leave helm-java's copy of the native library (about 100 MB) behind.
        process.onExit().thenRun(this::removeFiles);
    }

    /**
     * Starts a child.
     *
     * @param command the command line; its JVM gets {@code tmpDir} as its temporary directory
     * @param env     variables to set in its environment
     */
    static HelmChild start(int number, List<String> command, Map<String, String> env, Path tmpDir) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeAll(ChildProcessHelmCalls.NOT_INHERITED);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            LOG.debug("isolated Helm process {} started: pid {}", number, p.pid());
            return new HelmChild(number, p, tmpDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start an isolated Helm process with " + command.get(0) + ": " + e, e);
        }
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Whether it can take another call. */
    boolean usable() {
        return !stopped.get() && !ended && protocolError == null && process.isAlive();
    }

    /** How long the child took from start to its hello, or -1 before it said hello. */
    long startMillis() {
        return hello.isDone() && !hello.isCompletedExceptionally() ? hello.join() : -1;
    }

    /**
     * Runs a call in the child and waits for its reply.
     *
     * @throws IllegalStateException with Helm's text when Helm failed, or saying why the child could
     *                               not answer (it was stopped, died, or broke the protocol); on
     *                               interrupt the child is stopped, since the caller gave up on the call
     */
    HelmCall.Result call(HelmCall call, Redactor mask) {
        long id = ids.incrementAndGet();
        CompletableFuture<HelmCall.Result> reply = new CompletableFuture<>();
        pending = new Pending(id, reply, LogContext.capture(), mask);
        try {
            if (!usable()) {
                throw gone();
            }
            try {
                stdin.write(Protocol.requestLine(new Protocol.Request(id, call)).getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw gone();
            }
            try {
                return reply.get();
            } catch (InterruptedException e) {
                // Only a caller that gave up interrupts a worker: the call must not go on.
                stop("the call was abandoned (its thread was interrupted)");
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the isolated Helm call was abandoned: its thread was interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        } finally {
            pending = null;
        }
    }

    /**
     * Kills the child and whatever it started (credential plugins, say) at once, so that the call it
     * runs makes no further request, and waits briefly for it to be gone.
     */
    void stop(String reason) {
        if (stopped.compareAndSet(false, true)) {
            stopReason = reason;
            // Its descendants are found through it, so list them before it dies.
            List<ProcessHandle> descendants = process.descendants().toList();
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            LOG.debug("isolated Helm process {} (pid {}) killed: {}", number, process.pid(), reason);
        }
        // Also when another thread is stopping it (an interrupted worker, say): return once it is gone.
        try {
            process.onExit().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("isolated Helm process {} (pid {}) did not exit within 2 s of SIGKILL", number, process.pid());
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // it is dead
        }
    }

    /** Deletes its temporary directory (helm-java's copy of the native library); call once it is stopped. */
    synchronized void removeFiles() {
        // Synchronized: the exit hook and close() may both get here, and two walks deleting one tree trip each other up.
        WorkDirectory.deleteTree(tmpDir);
    }

    private IllegalStateException gone() {
        if (stopReason != null) {
            return new IllegalStateException("the isolated Helm process was stopped: " + stopReason);
        }
        if (protocolError != null) {
            return new IllegalStateException("the isolated Helm process broke the protocol (" + protocolError
                    + "); whether the call reached the cluster is unknown: check the release's status" + lastOutput());
        }
        String exit = "";
        try {
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                exit = " with exit code " + process.exitValue();
            }
            errors.join(1000); // its last words
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("the isolated Helm process (pid " + process.pid() + ") ended" + exit
                + (startMillis() >= 0 ? " during the call; whether the call reached the cluster is unknown: check the release's status"
                : " before it was ready: check the command that starts it") + lastOutput());
    }

    private String lastOutput() {
        synchronized (tail) {
            return tail.isEmpty() ? "" : "; its last output:\n" + String.join("\n", tail);
        }
    }

    private void readReplies() {
        try {
            readLines();
        } catch (RuntimeException e) {
            LOG.warn("isolated Helm process {} (pid {}): cannot read its output; stopping it", number, process.pid(), e);
            protocolError = e.toString();
            stop("its output could not be read: " + e);
        } finally {
            ended = true;
            hello.completeExceptionally(new IllegalStateException("ended"));
            fail();
        }
    }

    private void readLines() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Protocol.Line parsed = Protocol.parseLine(line);
                if (parsed instanceof Protocol.Noise n) {
                    noise(n.text());
                } else if (parsed instanceof Protocol.Parsed p) {
                    noise(p.strayBefore());
                    deliver(p.reply());
                } else if (parsed instanceof Protocol.Garbled g) {
                    LOG.warn("isolated Helm process {} (pid {}): {}; stopping it", number, process.pid(), g.why());
                    protocolError = g.why();
                    fail();
                    stop("it broke the protocol: " + g.why());
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private void deliver(Protocol.Reply reply) {
        if (reply.hello() != null) {
            hello.complete((System.nanoTime() - startNanos) / 1_000_000);
            return;
        }
        Pending p = pending;
        if (p == null || p.id() != reply.id()) {
            LOG.warn("isolated Helm process {} (pid {}) answered call {} which is not pending", number, process.pid(), reply.id());
            return;
        }
        if (reply.error() != null) {
            // helm-java's own form for Helm's failures, which HelmErrors translates by their text.
            String text = reply.errorType() == null ? reply.error() : reply.errorType() + ": " + reply.error();
            p.reply().completeExceptionally(new IllegalStateException(text));
        } else {
            p.reply().complete(reply.result());
        }
    }

    /** Fails the pending call, if any: the child will not answer it. */
    private void fail() {
        Pending p = pending;
        if (p != null && !p.reply().isDone()) {
            p.reply().completeExceptionally(gone());
        }
    }

    private void noise(String text) {
        if (!text.isEmpty()) {
            said("stdout", text);
        }
    }

    /**
     * Logs at DEBUG what the child wrote outside the protocol, during a call: masked by that call's
     * operation's redactor, with its MDC. Between calls no operation's mask applies: the length only.
     */
    private void said(String stream, String text) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        Pending p = pending;
        if (p == null) {
            LOG.debug("isolated Helm process {} wrote {} characters to {} between calls", number, text.length(), stream);
            return;
        }
        try (LogContext.Scope ignored = LogContext.adopt(p.mdc())) {
            LOG.debug("isolated Helm process {} {}: {}", number, stream, p.mask().mask(text));
        }
    }

    private void readErrors() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                // Masked by the calling operation's redactor (Helm's warnings quote values). The last lines go into the error
                // when the process dies, where the operation masks its secrets.
                said("stderr", line);
                if (line.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS")) {
                    continue; // the launcher noting our own options
                }
                synchronized (tail) {
                    if (tail.size() == TAIL_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(Protocol.abbreviate(line));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public String toString() {
        return "isolated Helm process " + number + " (pid " + process.pid() + ")";
    }
}
