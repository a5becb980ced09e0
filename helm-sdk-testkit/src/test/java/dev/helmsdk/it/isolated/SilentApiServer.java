package dev.helmsdk.it.isolated;

import dev.helmsdk.testkit.internal.ControlPlanePki;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes "API server" that accepts connections, reads whatever is sent, and never answers;
 * its request log records, with timestamps, every connection, every read of bytes, and every
 * connection the client closed.
 *
 * <p>Over TLS ({@link #tls()}) it completes the handshake with the testkit CA's server certificate (the
 * kubeconfig carries that CA) and then never answers, so the log shows the decrypted requests. Optionally
 * ({@link #answeringLeaseCreates()}) it answers one kind of request, the creation of a Lease (201, the Lease
 * echoed), so that a client gets a lock and then meets silence.
 */
final class SilentApiServer implements AutoCloseable {

    enum Kind { CONNECTED, BYTES, CLIENT_CLOSED, ANSWERED }

    /** One entry of the request log. */
    record Event(Instant time, int connection, Kind kind, int bytes, String text) {
        @Override
        public String toString() {
            String shown = text.replaceAll("[\\r\\n]+", " | ");
            shown = shown.length() > 160 ? shown.substring(0, 160) + "..." : shown;
            return time + " #" + connection + " " + kind + (kind == Kind.BYTES ? " " + bytes + " bytes: " + shown : " " + shown);
        }
    }

    private static final Pattern LEASE_CREATE = Pattern.compile("^POST /apis/coordination\\.k8s\\.io/v1/namespaces/[^/ ]+/leases[ ?]");

    private final ServerSocket socket;
    private final boolean tls;
    private final boolean answerLeaseCreates;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final List<Event> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    SilentApiServer() throws IOException {
        this(false, false);
    }

    /** Silent after a completed TLS handshake. */
    static SilentApiServer tls() throws IOException {
        return new SilentApiServer(true, false);
    }

    static SilentApiServer create(boolean tls, boolean answerLeaseCreates) throws IOException {
        return new SilentApiServer(tls, answerLeaseCreates);
    }

    private SilentApiServer(boolean tls, boolean answerLeaseCreates) throws IOException {
        this.tls = tls;
        this.answerLeaseCreates = answerLeaseCreates;
        socket = tls
                ? ControlPlanePki.shared().serverSslContext().getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress())
                : new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        if (socket instanceof SSLServerSocket ssl) {
            ssl.setNeedClientAuth(false);
        }
        daemon("silent-api-accept", () -> {
            try {
                while (!socket.isClosed()) {
                    Socket s = socket.accept();
                    int n = connections.incrementAndGet();
                    accepted.add(s);
                    log.add(new Event(Instant.now(), n, Kind.CONNECTED, 0, ""));
                    daemon("silent-api-read-" + n, () -> read(s, n));
                }
            } catch (IOException closed) {
                // server closed
            }
        });
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
            // reset by the client counts as closed by it too, unless we closed it
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
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, headEnd));
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

    /** A kubeconfig that points at this server (over TLS: trusting the testkit CA). */
    Path kubeConfig(Path dir) throws IOException {
        String cluster = tls
                ? "{server: \"https://127.0.0.1:%d\", certificate-authority-data: %s}".formatted(socket.getLocalPort(),
                        Base64.getEncoder().encodeToString(ControlPlanePki.shared().caPem().getBytes(StandardCharsets.US_ASCII)))
                : "{server: \"http://127.0.0.1:%d\"}".formatted(socket.getLocalPort());
        return Files.writeString(dir.resolve("silent-kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: %s}]
                users: [{name: u, user: {token: abc}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.formatted(cluster));
    }

    /** The request log so far. */
    List<Event> log() {
        return List.copyOf(log);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
