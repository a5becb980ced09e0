package dev.helmsdk.core.internal.isolated;

import dev.helmsdk.core.internal.HelmCall;
import dev.helmsdk.core.internal.NativeHelmCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.helmsdk.core.internal.secrets.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs Helm calls in child JVMs ({@link HelmCallServer}), so that a call can be stopped for real: on
 * {@link #abandon(Thread)} the child running it is killed, with anything it started, and the call
 * makes no further request.
 *
 * <p><b>Pool.</b> Children start on demand and are reused; each runs one call at a time, so calls
 * from different threads (different releases) run in parallel in different children, and killing one
 * child never touches another thread's call. At most {@code maxProcesses} children exist; further
 * calls wait for one to be free (that wait counts against the operation's time limit). An idle child
 * is taken most-recently-used first, so a light load keeps reusing one warm process. A child that
 * died, was killed or broke the protocol is dropped; the next call starts a fresh one.
 *
 * <p><b>Environment.</b> Each child inherits this process's environment (but not the JVM options
 * in {@code JAVA_TOOL_OPTIONS}, {@code _JAVA_OPTIONS} or {@code JDK_JAVA_OPTIONS}, meant for this JVM), plus the cache locations
 * Helm's Go code reads ({@code KUBECACHEDIR}, {@code HELM_CACHE_HOME}, {@code HELM_CONFIG_HOME},
 * {@code HELM_DATA_HOME}) under the work directory wherever this process does not set them, so
 * nothing is written under the home directory; its {@code java.io.tmpdir} and {@code jna.tmpdir}
 * (where helm-java unpacks its 100 MB library, and leaves it when the JVM is killed) are a private
 * directory deleted when it exits, given through {@code JDK_JAVA_OPTIONS} so that a command of the
 * application's gets them too.
 *
 * <p><b>Lifetime.</b> A child exits on its own as soon as its stdin ends, so it does not outlive
 * this process even when this one is killed; {@link #close()} kills every child.
 */
public final class ChildProcessHelmCalls implements NativeHelmCalls {

    private static final Logger LOG = LoggerFactory.getLogger("dev.helmsdk.helm.isolated");

    /** How many children may run at once unless told otherwise. */
    public static final int DEFAULT_MAX_PROCESSES = 4;

    /** The environment variable that gives a child its private temporary directory. */
    static final String TMPDIR_ENV = "HELM_SDK_ISOLATED_TMPDIR";

    private static final String JDK_JAVA_OPTIONS = "JDK_JAVA_OPTIONS";

    /**
     * Not passed on to a child: options meant for this JVM (a debug agent's port, a monitoring agent)
     * would break or burden the child; its options are in its command.
     */
    static final Set<String> NOT_INHERITED = Set.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", JDK_JAVA_OPTIONS);

    private final List<String> command;
    private final Path baseDir;
    private final Map<String, String> environment;
    private final Semaphore permits;
    private final Deque<HelmChild> idle = new ArrayDeque<>();
    private final Set<HelmChild> all = ConcurrentHashMap.newKeySet();
    private final Map<Thread, HelmChild> busy = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param workDir      the manager's work directory; the children's caches and temporary files go under it
     * @param command      the command that starts a child ({@link #defaultCommand()} or the application's own)
     * @param maxProcesses how many children may run at once
     */
    public ChildProcessHelmCalls(Path workDir, List<String> command, int maxProcesses) {
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("maxProcesses must be at least 1, was " + maxProcesses);
        }
        this.command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (this.command.isEmpty()) {
            throw new IllegalArgumentException("the command that starts an isolated Helm process is empty");
        }
        this.baseDir = workDir.toAbsolutePath().resolve("isolated-helm");
        this.environment = environment(System.getenv(), baseDir);
        this.permits = new Semaphore(maxProcesses, true);
    }

    /** A pool of {@link #DEFAULT_MAX_PROCESSES} children started with {@link #defaultCommand()}. */
    public ChildProcessHelmCalls(Path workDir) {
        this(workDir, defaultCommand(), DEFAULT_MAX_PROCESSES);
    }

    /**
     * This JVM's {@code java} with this JVM's class path, and options for a small, quickly started
     * child: serial GC, the client compiler only, a 256 MB heap (Helm's own memory is outside it),
     * exit on running out of it, and no {@code hsperfdata} file (which a killed JVM leaves in /tmp).
     */
    public static List<String> defaultCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), HelmCallServer.class.getName());
    }

    /**
     * The variables set for every child: Helm's and client-go's cache locations under {@code base}
     * where {@code parent} (this process's environment) leaves them unset.
     */
    static Map<String, String> environment(Map<String, String> parent, Path base) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBECACHEDIR", base.resolve("kube-cache").toString());
        env.put("HELM_CACHE_HOME", base.resolve("helm/cache").toString());
        env.put("HELM_CONFIG_HOME", base.resolve("helm/config").toString());
        env.put("HELM_DATA_HOME", base.resolve("helm/data").toString());
        env.keySet().removeIf(var -> parent.get(var) != null && !parent.get(var).isBlank());
        env.put(Protocol.VERSION_ENV, Protocol.VERSION);
        return env;
    }

    @Override
    public HelmCall.Result execute(HelmCall call) {
        return execute(call, Redactor.NONE);
    }

    @Override
    public HelmCall.Result execute(HelmCall call, Redactor mask) {
        ensureOpen();
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free isolated Helm process", e);
        }
        HelmChild child = null;
        try {
            child = take();
            busy.put(Thread.currentThread(), child);
            HelmCall.Result result = child.call(call, mask);
            dev.helmsdk.core.internal.HelmDebugLog.output(call, result.output(), mask);
            return result;
        } finally {
            busy.remove(Thread.currentThread());
            if (child != null) {
                giveBack(child);
            }
            permits.release();
        }
    }

    /**
     * Kills the child that {@code worker} is running a call in, and what it started: that call makes
     * no further request, and {@code worker}'s {@link #execute} fails at once. Other calls, in other
     * children, go on. Returns when the child is gone (normally within milliseconds).
     */
    @Override
    public void abandon(Thread worker) {
        HelmChild child = busy.get(worker);
        if (child != null) {
            LOG.warn("stopping {}: its call on thread {} was abandoned at its time limit", child, worker.getName());
            child.stop("its call was abandoned at its time limit");
        }
    }

    private HelmChild take() {
        synchronized (idle) {
            HelmChild c;
            while ((c = idle.pollFirst()) != null) {
                if (c.usable()) {
                    return c;
                }
                discard(c, "it was no longer usable");
            }
        }
        int n = started.incrementAndGet();
        Map<String, String> env = new LinkedHashMap<>(environment);
        Path tmp;
        try {
            // Unique, since several managers may share a work directory.
            tmp = Files.createTempDirectory(Files.createDirectories(baseDir.resolve("tmp")), "child-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for an isolated Helm process under " + baseDir, e);
        }
        env.put(TMPDIR_ENV, tmp.toString());
        // java.io.tmpdir is fixed when a JVM starts, and a command of the application's may start one we
        // cannot add options to: the java launcher takes these from its environment (and notes it on stderr).
        env.put(JDK_JAVA_OPTIONS, launcherOption("-Djava.io.tmpdir=" + tmp) + " " + launcherOption("-Djna.tmpdir=" + tmp));
        HelmChild c = HelmChild.start(n, command, env, tmp);
        all.add(c);
        if (closed) {
            discard(c, "the manager was closed");
            throw closedError();
        }
        return c;
    }

    /** An option as {@code JDK_JAVA_OPTIONS} takes it: quoted when it holds white space. */
    static String launcherOption(String option) {
        if (option.chars().noneMatch(Character::isWhitespace)) {
            return option;
        }
        return option.indexOf('"') < 0 ? '"' + option + '"' : "'" + option + "'";
    }

    private void giveBack(HelmChild child) {
        synchronized (idle) {
            if (!closed && child.usable()) {
                idle.addFirst(child);
                return;
            }
        }
        discard(child, closed ? "the manager was closed" : "it can no longer be used");
    }

    private void discard(HelmChild child, String reason) {
        child.stop(reason);
        all.remove(child);
    }

    private void ensureOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the isolated Helm processes were closed with the manager");
    }

    /** The process ids of the children now running (for tests and diagnostics). */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (HelmChild c : all) {
            if (c.process().isAlive()) {
                pids.add(c.pid());
            }
        }
        return pids;
    }

    /** How many children were started so far. */
    int startedCount() {
        return started.get();
    }

    /** Kills every child, busy or idle, and removes their temporary files. */
    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.clear();
        }
        List<HelmChild> children = new ArrayList<>(all);
        children.forEach(c -> c.stop("the manager was closed"));
        all.removeAll(children);
        children.forEach(HelmChild::removeFiles);
    }

    @Override
    public String toString() {
        return "ChildProcessHelmCalls[" + all.size() + " running, " + command.get(0) + "]";
    }
}
