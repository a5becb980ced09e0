package dev.helmsdk.it.isolated;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kubernetes "API server" that accepts connections, reads whatever is sent, and never answers;
 * its request log records, with timestamps, every connection, every read of bytes, and every
 * connection the client closed.
 */
final class SilentApiServer implements AutoCloseable {

    enum Kind { CONNECTED, BYTES, CLIENT_CLOSED }

    /** One entry of the request log. */
    record Event(Instant time, int connection, Kind kind, int bytes, String text) {
        @Override
        public String toString() {
            return time + " #" + connection + " " + kind + (kind == Kind.BYTES ? " " + bytes + " bytes: " + text : "");
        }
    }

    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final List<Event> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    SilentApiServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
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
            byte[] buf = new byte[8192];
            int r;
            while ((r = in.read(buf)) >= 0) {
                String first = new String(buf, 0, Math.min(r, 80), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .replaceAll("[^\\x20-\\x7e]", ".");
                log.add(new Event(Instant.now(), n, Kind.BYTES, r, first));
            }
            log.add(new Event(Instant.now(), n, Kind.CLIENT_CLOSED, 0, ""));
        } catch (IOException e) {
            // reset by the client counts as closed by it too, unless we closed it
            if (!socket.isClosed()) {
                log.add(new Event(Instant.now(), n, Kind.CLIENT_CLOSED, 0, e.toString()));
            }
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    /** A kubeconfig that points at this server. */
    Path kubeConfig(Path dir) throws IOException {
        return Files.writeString(dir.resolve("silent-kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: u, user: {token: abc}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.formatted(socket.getLocalPort()));
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
