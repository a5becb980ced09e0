package dev.helmsdk.testkit;

import dev.helmsdk.testkit.internal.tls.LocalPki;


import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes "API server" on the loopback interface that accepts connections, reads whatever is
 * sent, and never answers: the way a hung API server, a black-holing load balancer or a half-dead
 * proxy looks to a client. For testing your own timeouts: an operation against it must end at its
 * limit, not hang.
 *
 * <pre>{@code
 * try (SilentApiServer silent = SilentApiServer.start();
 *      HelmManager helm = HelmSdk.builder().kubeConfig(silent.kubeConfigPath())
 *              .timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(2))).build()) {
 *     assertThrows(OperationTimeoutException.class, () -> helm.status("web").run());
 * }
 * }</pre>
 *
 * <p>Its {@link #log()} records, with timestamps, every connection, every read of bytes and every
 * connection the client closed, so a test can check that a client gave up (closed its connections)
 * and sent nothing afterwards. Over TLS ({@link Builder#tls(boolean)}) it completes the handshake
 * with the testkit CA's server certificate (the kubeconfig trusts that CA) and then stays silent, so
 * the log shows the decrypted requests. Optionally ({@link Builder#answeringLeaseCreates(boolean)})
 * it answers one kind of request, the creation of a Lease (201, the Lease echoed), so that a client
 * gets its lock and then meets silence.
 *
 * <p>Thread-safe. {@link #close()} closes the listening socket and every accepted connection and
 * deletes the kubeconfig.
 */
public final class SilentApiServer implements AutoCloseable {

    /** What an {@link Event} of the log records. */
    public enum Kind {
        /** A client connected. */
        CONNECTED,
        /** Bytes arrived (decrypted, over TLS). */
        BYTES,
        /** The client closed (or reset) the connection. */
        CLIENT_CLOSED,
        /** The server answered a Lease creation ({@link Builder#answeringLeaseCreates(boolean)}). */
        ANSWERED
    }

    /**
     * One entry of the log.
     *
     * @param time       when it happened
     * @param connection the connection's number, from 1 in the order accepted
     * @param kind       what happened
     * @param bytes      how many bytes arrived or were answered (0 otherwise)
     * @param text       the bytes as printable text (others shown as {@code .}), or a note
     */
    public record Event(Instant time, int connection, Kind kind, int bytes, String text) {
        /** Requires every field. */
        public Event {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(text, "text");
        }

        /** One line: time, connection, kind and (for bytes) the start of the text. */
        @Override
        public String toString() {
            String shown = text.replaceAll("[\\r\\n]+", " | ");
            shown = shown.length() > 160 ? shown.substring(0, 160) + "..." : shown;
            return time + " #" + connection + " " + kind + (kind == Kind.BYTES ? " " + bytes + " bytes: " + shown : " " + shown);
        }
    }

    private static final Pattern LEASE_CREATE = Pattern.compile("^POST /apis/coordination\\.k8s\\.io/v1/namespaces/[^/ ]+/leases[ ?]");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    private final ServerSocket socket;
    private final boolean tls;
    private final boolean answerLeaseCreates;
    private final Path kubeConfigDir;
    private final Path kubeConfig;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final List<Event> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    /**
     * Starts a silent server over plain HTTP.
     *
     * @return the running server
     * @throws UncheckedIOException when no loopback port can be had
     */
    public static SilentApiServer start() {
        return builder().start();
    }

    /**
     * A builder for TLS or Lease answers.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private SilentApiServer(Builder b) throws IOException {
        this.tls = b.tls;
        this.answerLeaseCreates = b.answerLeaseCreates;
        socket = tls
                ? LocalPki.shared().serverSslContext().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress())
                : new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        if (socket instanceof SSLServerSocket ssl) {
            ssl.setNeedClientAuth(false);
        }
        try {
            kubeConfigDir = Files.createTempDirectory("silent-api-");
            kubeConfig = Files.writeString(kubeConfigDir.resolve("kubeconfig"), kubeConfigYaml());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        daemon("silent-api-accept-" + socket.getLocalPort(), this::acceptLoop);
    }

    private void acceptLoop() {
        try {
            while (!socket.isClosed()) {
                Socket s = socket.accept();
                int n = connections.incrementAndGet();
                accepted.add(s);
                log.add(new Event(Instant.now(), n, Kind.CONNECTED, 0, ""));
                daemon("silent-api-read-" + n, () -> read(s, n));
            }
        } catch (IOException closed) {
            // the server was closed
        }
    }

    private void read(Socket s, int n) {
        try (InputStream in = s.getInputStream()) {
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            byte[] buf = new byte[8192];
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            int r;
            while ((r = in.read(buf)) >= 0) {
                String text = new String(buf, 0, r, StandardCharsets.ISO_8859_1);
                log.add(new Event(Instant.now(), n, Kind.BYTES, r, printable(text)));
                if (answerLeaseCreates) {
                    pending.write(buf, 0, r);
                    answerIfLeaseCreate(s, n, pending);
                }
            }
            log.add(new Event(Instant.now(), n, Kind.CLIENT_CLOSED, 0, ""));
        } catch (IOException e) {
            // a reset by the client counts as closed by it too, unless the server was closed
            if (!socket.isClosed()) {
                log.add(new Event(Instant.now(), n, Kind.CLIENT_CLOSED, 0, e.toString()));
            }
        }
    }

    /** Answers a complete Lease creation in {@code pending} with 201 and the Lease itself; leaves anything else unanswered. */
    private void answerIfLeaseCreate(Socket s, int n, ByteArrayOutputStream pending) throws IOException {
        String text = pending.toString(StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0 || !LEASE_CREATE.matcher(text).find()) {
            return;
        }
        Matcher length = CONTENT_LENGTH.matcher(text.substring(0, headEnd));
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        if (text.length() < headEnd + 4 + bodyLength) {
            return;
        }
        byte[] body = text.substring(headEnd + 4, headEnd + 4 + bodyLength).getBytes(StandardCharsets.ISO_8859_1);
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        log.add(new Event(Instant.now(), n, Kind.ANSWERED, body.length, "201 to a Lease creation"));
        pending.reset();
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e\\r\\n]", ".");
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /**
     * The server's URL, {@code http://127.0.0.1:<port>} (or {@code https://}).
     *
     * @return its URL
     */
    public URI url() {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + socket.getLocalPort());
    }

    /**
     * A kubeconfig for this server (a bearer token that means nothing; over TLS trusting the testkit CA).
     *
     * @return the kubeconfig's text
     */
    public String kubeConfigYaml() {
        String cluster = tls
                ? "{server: \"%s\", certificate-authority-data: %s}".formatted(url(),
                        Base64.getEncoder().encodeToString(LocalPki.shared().caPem().getBytes(StandardCharsets.US_ASCII)))
                : "{server: \"%s\"}".formatted(url());
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: silent, cluster: %s}]
                users: [{name: silent, user: {token: silent-token}}]
                contexts: [{name: silent, context: {cluster: silent, user: silent}}]
                current-context: silent
                """.formatted(cluster);
    }

    /**
     * {@link #kubeConfigYaml()} in a file of a temporary directory, deleted by {@link #close()}.
     *
     * @return the file
     */
    public Path kubeConfigPath() {
        return kubeConfig;
    }

    /**
     * How many connections were accepted so far.
     *
     * @return the count
     */
    public int connections() {
        return connections.get();
    }

    /**
     * The log so far, in order.
     *
     * @return a copy
     */
    public List<Event> log() {
        return List.copyOf(log);
    }

    /** Stops listening, closes every accepted connection and deletes the kubeconfig. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to do about it
        }
        for (Socket s : accepted) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        try {
            Files.deleteIfExists(kubeConfig);
            Files.deleteIfExists(kubeConfigDir);
        } catch (IOException e) {
            // a temporary file left behind
        }
    }

    @Override
    public String toString() {
        return "SilentApiServer[" + url() + ", " + connections() + " connections]";
    }

    /** Options of a {@link SilentApiServer}; not thread-safe. */
    public static final class Builder {
        private boolean tls;
        private boolean answerLeaseCreates;

        private Builder() {
        }

        /**
         * Over TLS: the handshake completes (testkit CA), then silence. Default {@code false}.
         *
         * @param tls whether to speak TLS
         * @return this builder
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Answers Lease creations (201, the Lease echoed), so that a client holding a cluster lock
         * meets silence only afterwards. Default {@code false}.
         *
         * @param answer whether to answer them
         * @return this builder
         */
        public Builder answeringLeaseCreates(boolean answer) {
            this.answerLeaseCreates = answer;
            return this;
        }

        /**
         * Starts the server.
         *
         * @return the running server
         * @throws UncheckedIOException when no loopback port can be had
         */
        public SilentApiServer start() {
            try {
                return new SilentApiServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start a SilentApiServer on the loopback interface", e);
            }
        }
    }
}
