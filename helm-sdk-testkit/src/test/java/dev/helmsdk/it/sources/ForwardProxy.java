package dev.helmsdk.it.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP(S) forward proxy ({@code tinyproxy}, Debian {@code tinyproxy}) on a free loopback port
 * ({@code Listen 127.0.0.1}, {@code Allow 127.0.0.1}), with or without {@code BasicAuth user pass}. CONNECT is
 * allowed to any port (no {@code ConnectPort} lines).
 */
final class ForwardProxy implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final String username;
    private final String password;
    private final ServerProcess process;
    private final AtomicInteger selected = new AtomicInteger();

    private ForwardProxy(Path dir, int port, String username, String password, ServerProcess process) {
        this.dir = dir;
        this.port = port;
        this.username = username;
        this.password = password;
        this.process = process;
    }

    static Path binary() {
        return ServerProcess.requireBinary("tinyproxy", "/usr/bin/tinyproxy", "/usr/sbin/tinyproxy", "tinyproxy");
    }

    /** Without proxy authentication. */
    static ForwardProxy startOrSkip() {
        return start(null, null);
    }

    /** With {@code BasicAuth username password} (407 otherwise). */
    static ForwardProxy startWithAuthOrSkip(String username, String password) {
        if (username.contains(" ") || password.contains(" ") || password.contains("\"")) {
            throw new IllegalArgumentException("no spaces or quotes in tinyproxy credentials");
        }
        return start(username, password);
    }

    private static ForwardProxy start(String username, String password) {
        Path bin = binary();
        Path dir;
        try {
            dir = Files.createTempDirectory("helm-sdk-tinyproxy-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            int[] chosen = new int[1];
            ServerProcess sp = ServerProcess.startWithRetry(port -> {
                StringBuilder c = new StringBuilder()
                        .append("Port ").append(port).append('\n')
                        .append("Listen 127.0.0.1\n")
                        .append("Timeout 30\n")
                        .append("LogFile \"").append(dir.resolve("tinyproxy.log")).append("\"\n")
                        .append("LogLevel Info\n")
                        .append("PidFile \"").append(dir.resolve("tinyproxy.pid")).append("\"\n")
                        .append("MaxClients 50\n")
                        .append("Allow 127.0.0.1\n")
                        .append("DisableViaHeader Yes\n");
                if (username != null) {
                    c.append("BasicAuth ").append(username).append(' ').append(password).append('\n');
                }
                Path conf = dir.resolve("tinyproxy.conf");
                Files.writeString(conf, c.toString());
                return ServerProcess.start("tinyproxy", List.of(bin.toString(), "-d", "-c", conf.toString()),
                        dir, dir.resolve("tinyproxy.out"), port);
            }, chosen);
            return new ForwardProxy(dir, chosen[0], username, password, sp);
        } catch (IOException e) {
            ServerProcess.deleteTree(dir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            ServerProcess.deleteTree(dir);
            throw e;
        }
    }

    int port() { return port; }
    /** {@code http://127.0.0.1:PORT} (as in {@code HTTPS_PROXY}); credentials are not in it. */
    URI uri() { return URI.create("http://127.0.0.1:" + port); }
    InetSocketAddress address() { return new InetSocketAddress("127.0.0.1", port); }
    String username() { return username; }
    String password() { return password; }

    /**
     * A ProxySelector that sends every URI, 127.0.0.1 included, through this proxy (the JDK's default selector
     * bypasses loopback), and counts how often it was asked.
     */
    ProxySelector selector() {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, address());
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                selected.incrementAndGet();
                return List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // nothing to do
            }
        };
    }

    int timesSelected() { return selected.get(); }

    /** tinyproxy's log (requests it forwarded or refused). */
    String log() {
        try {
            Path log = dir.resolve("tinyproxy.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.close();
        ServerProcess.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "ForwardProxy[" + uri() + (username != null ? ", basic auth user " + username : "") + "]";
    }
}
