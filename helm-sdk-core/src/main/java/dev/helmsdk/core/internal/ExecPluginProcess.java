package dev.helmsdk.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.helmsdk.api.ClusterCredentialException.Reason.FAILED;
import static dev.helmsdk.api.ClusterCredentialException.Reason.TIMED_OUT;

/**
 * One run of an {@link ExecCredentialPlugin}'s process: started without input, its output drained on threads of its
 * own (so it never blocks on a full pipe), stopped with all its descendants when it overruns its bound. What it
 * printed is returned, never logged (its stderr only at DEBUG); what it means is {@link ExecCredentialPlugin}'s
 * business. Failures are {@link ExecCredentialPlugin.Failure}s naming the command only.
 */
final class ExecPluginProcess {

    private static final int MAX_OUTPUT = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ExecCredentialPlugin.class);

    /** What a run that exited with 0 printed on stdout, and when it started (a token's life is counted from then). */
    record Output(String stdout, Instant started) {
        @Override
        public String toString() {
            return "Output[(redacted)]";   // stdout holds the credential
        }
    }

    private ExecPluginProcess() {
    }

    /**
     * Runs {@code command} once with {@code env} and {@code KUBERNETES_EXEC_INFO}, no input, within {@code bound}.
     *
     * @param describe names the plugin in messages (the command only: arguments and environment may carry secrets)
     */
    static Output run(List<String> command, Map<String, String> env, String execInfo, Duration bound, String describe) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().putAll(env);
        pb.environment().put("KUBERNETES_EXEC_INFO", execInfo);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ExecCredentialPlugin.Failure(command.get(0), FAILED, "cannot start " + describe + ": " + e.getMessage());
        }
        Instant started = Instant.now();
        try {
            p.getOutputStream().close();   // no input: never interactive
            Drain out = Drain.of(p.getInputStream());
            Drain err = Drain.of(p.getErrorStream());
            if (!p.waitFor(bound.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(p);
                throw new ExecCredentialPlugin.Failure(command.get(0), TIMED_OUT, describe + " did not finish within " + bound.toMillis() + " ms and was stopped");
            }
            String stderr = err.text();
            if (!stderr.isBlank()) {
                LOG.debug("{} wrote to stderr: {}", describe, stderr.strip());
            }
            if (p.exitValue() != 0) {
                // Not its output: a failing plugin may still have printed a credential.
                throw new ExecCredentialPlugin.Failure(command.get(0), FAILED, describe + " exited with code " + p.exitValue()
                        + " (its output is not shown, it may hold credentials; its stderr is logged at DEBUG)");
            }
            return new Output(out.text(), started);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new ExecCredentialPlugin.Failure(command.get(0), FAILED, "interrupted while running " + describe + "; it was stopped");
        } catch (IOException e) {
            kill(p);
            throw new ExecCredentialPlugin.Failure(command.get(0), FAILED, "cannot run " + describe + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * The plugin with all its descendants (a shell script's {@code sleep} would keep the pipes open).
     * The descendants go first, and their parents get up to a second to reap them: killed with
     * their parent, they would be left for init to reap, which may take a while.
     */
    private static void kill(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (ProcessHandle d : descendants) {
            try {
                d.onExit().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                break; // the parent is killed below all the same
            }
        }
        p.destroyForcibly();
    }

    /** Reads a stream to its end on its own thread, so a plugin never blocks on a full pipe. */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        private Drain(InputStream in) {
            thread = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (bytes) {
                            if (bytes.size() < MAX_OUTPUT) {
                                bytes.write(buf, 0, Math.min(n, MAX_OUTPUT - bytes.size()));
                            }
                        }
                    }
                } catch (IOException e) {
                    // the plugin was killed or closed the stream; what was read is all there is
                }
            }, "helm-sdk-exec-plugin-output");
            thread.setDaemon(true);
            thread.start();
        }

        static Drain of(InputStream in) {
            return new Drain(in);
        }

        /** What was read, once the stream ended (the process has exited; a descendant may still hold it: 1 s at most). */
        String text() throws InterruptedException {
            thread.join(1000);
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
