package dev.helmsdk.core.internal.isolated;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An "API server" that accepts connections and reads requests, and never answers. */
final class SilentApiServer implements AutoCloseable {

    private final ServerSocket socket;
    final List<Socket> accepted = new CopyOnWriteArrayList<>();

    SilentApiServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (!socket.isClosed()) {
                    Socket s = socket.accept();
                    accepted.add(s);
                    Thread reader = new Thread(() -> drain(s));
                    reader.setDaemon(true);
                    reader.start();
                }
            } catch (IOException closed) {
                // over
            }
        }, "silent-api-server");
        t.setDaemon(true);
        t.start();
    }

    private static void drain(Socket s) {
        try (InputStream in = s.getInputStream()) {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // never answer
            }
        } catch (IOException ignored) {
            // closed
        }
    }

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

    int connections() {
        return accepted.size();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
