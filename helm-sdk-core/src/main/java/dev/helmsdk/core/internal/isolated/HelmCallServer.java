package dev.helmsdk.core.internal.isolated;

import dev.helmsdk.core.internal.HelmCall;
import dev.helmsdk.core.internal.InProcessHelmCalls;
import dev.helmsdk.core.internal.NativeHelmCalls;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The main class of an isolated Helm process: reads {@link Protocol.Request}s from stdin, runs each
 * with helm-java in this process, one at a time, and writes a {@link Protocol.Reply} per request to
 * stdout. It exits at once (without shutdown hooks, even in the middle of a call) when stdin ends,
 * which is what happens when the SDK's process dies or closes the pipe.
 *
 * <p>Before anything else it points {@code System.out} at stderr, so that only protocol replies are
 * written to stdout from Java; Helm's Go code may still print to stdout, which the protocol
 * tolerates (see {@link Protocol}).
 */
public final class HelmCallServer {

    private HelmCallServer() {
    }

    public static void main(String[] args) {
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        String version = System.getenv(Protocol.VERSION_ENV);
        if (version != null && !version.equals(Protocol.VERSION)) {
            System.err.println("helm-sdk isolated Helm: the SDK speaks protocol " + version + ", this class path has "
                    + Protocol.VERSION + ": the child's class path holds another helm-sdk-core version");
            Runtime.getRuntime().halt(3);
        }
        // The SDK gives java.io.tmpdir and jna.tmpdir through JDK_JAVA_OPTIONS; a launcher other than java's may drop them.
        String tmp = System.getenv(ChildProcessHelmCalls.TMPDIR_ENV);
        if (tmp != null && !tmp.isBlank() && !tmp.equals(System.getProperty("java.io.tmpdir"))) {
            System.err.println("helm-sdk isolated Helm: java.io.tmpdir is " + System.getProperty("java.io.tmpdir") + ", not " + tmp
                    + " (JDK_JAVA_OPTIONS was not applied): helm-java's library will be left there if this process is killed");
            System.setProperty("jna.tmpdir", tmp);
        }
        serve(new InProcessHelmCalls(), protocol);
    }

    /** Serves requests from stdin until it ends, then halts the JVM. */
    static void serve(NativeHelmCalls helm, OutputStream protocol) {
        write(protocol, Protocol.Reply.hello(ProcessHandle.current().pid()));
        ExecutorService calls = Executors.newSingleThreadExecutor(r -> new Thread(r, "helm-call"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Protocol.Request request = Protocol.parseRequest(line);
                calls.execute(() -> write(protocol, run(helm, request)));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("helm-sdk isolated Helm: cannot read requests: " + e);
            Runtime.getRuntime().halt(2);
        }
        // The SDK is gone, or closed us: stop now, whatever Helm is doing.
        Runtime.getRuntime().halt(0);
    }

    private static Protocol.Reply run(NativeHelmCalls helm, Protocol.Request request) {
        try {
            HelmCall.Result result = helm.execute(request.call());
            return Protocol.Reply.success(request.id(), result);
        } catch (Throwable e) { // NOPMD: everything goes back to the SDK, an Error included
            return Protocol.Reply.failure(request.id(), e);
        }
    }

    private static void write(OutputStream protocol, Protocol.Reply reply) {
        byte[] bytes = Protocol.replyBytes(reply);
        synchronized (protocol) {
            try {
                protocol.write(bytes);
                protocol.flush();
            } catch (IOException e) {
                // Our stdout is gone: so is the SDK.
                Runtime.getRuntime().halt(0);
            }
        }
    }
}
