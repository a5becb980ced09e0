package dev.helmsdk.it.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A classic chart repository ({@code index.yaml} + {@code sdk-web-0.3.0.tgz}) served by a real {@code nginx}
 * (Debian {@code nginx-light}) on a free loopback port, configured entirely inside a temp dir
 * ({@code daemon off;}, pid, logs and temp paths in the dir). Modes: {@link Mode}.
 */
final class NginxChartRepository implements AutoCloseable {

    /** How the repository is protected. */
    enum Mode {
        /** No authentication. */
        NONE,
        /** {@code auth_basic} with a bcrypt htpasswd file (re-read by nginx on every request: rotation works). */
        BASIC_AUTH,
        /** 401 unless {@code Authorization: Bearer <token>} ({@code map $http_authorization}). */
        BEARER_TOKEN,
        /** TLS with {@code ssl_verify_client on} against the test CA (always TLS). */
        MUTUAL_TLS
    }

    private final Path dir;
    private final int port;
    private final Mode mode;
    private final boolean tls;
    private final TestPki pki;
    private final String username;
    private final String secret;
    private final Path archive;
    private final ServerProcess process;

    private NginxChartRepository(Path dir, int port, Mode mode, boolean tls, TestPki pki, String username,
            String secret, Path archive, ServerProcess process) {
        this.dir = dir;
        this.port = port;
        this.mode = mode;
        this.tls = tls;
        this.pki = pki;
        this.username = username;
        this.secret = secret;
        this.archive = archive;
        this.process = process;
    }

    static Path binary() {
        return ServerProcess.requireBinary("nginx-light", "/usr/sbin/nginx", "nginx");
    }

    /** No auth, plain HTTP. */
    static NginxChartRepository startOpenOrSkip(boolean tls) {
        return start(Mode.NONE, tls, null, null);
    }

    /** Basic auth (htpasswd -B). */
    static NginxChartRepository startBasicAuthOrSkip(boolean tls, String username, String password) {
        return start(Mode.BASIC_AUTH, tls, username, password);
    }

    /** Bearer token. */
    static NginxChartRepository startBearerTokenOrSkip(boolean tls, String token) {
        return start(Mode.BEARER_TOKEN, tls, null, token);
    }

    /** Mutual TLS: the client must present a certificate signed by {@link #pki()}'s CA. */
    static NginxChartRepository startMutualTlsOrSkip() {
        return start(Mode.MUTUAL_TLS, true, null, null);
    }

    private static NginxChartRepository start(Mode mode, boolean tls, String username, String secret) {
        Path bin = binary();
        if (mode == Mode.BASIC_AUTH) {
            Htpasswd.binary();
        }
        if (secret != null && (secret.contains("\"") || secret.contains("\\") || secret.contains("$"))) {
            throw new IllegalArgumentException("token must not contain quotes, backslashes or $");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("helm-sdk-nginx-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            TestPki pki = tls ? TestPki.generate(dir.resolve("pki"), "helm-sdk-nginx-test-ca") : null;
            Path www = Files.createDirectories(dir.resolve("www"));
            Path archive = SourceCharts.packageInto(www);
            SourceCharts.writeIndex(archive);
            for (String t : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
                Files.createDirectories(dir.resolve("tmp").resolve(t));
            }
            Path htpasswd = dir.resolve("htpasswd");
            if (mode == Mode.BASIC_AUTH) {
                Htpasswd.write(htpasswd, username, secret);
            }
            int[] chosen = new int[1];
            ServerProcess sp = ServerProcess.startWithRetry(port -> {
                Path conf = dir.resolve("nginx.conf");
                Files.writeString(conf, config(dir, port, mode, tls, pki, secret));
                return ServerProcess.start("nginx", List.of(bin.toString(), "-e", dir.resolve("error.log").toString(),
                        "-p", dir + "/", "-c", conf.toString()), dir, dir.resolve("nginx.out"), port);
            }, chosen);
            return new NginxChartRepository(dir, chosen[0], mode, tls, pki, username, secret, archive, sp);
        } catch (IOException e) {
            ServerProcess.deleteTree(dir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            ServerProcess.deleteTree(dir);
            throw e;
        }
    }

    private static String config(Path dir, int port, Mode mode, boolean tls, TestPki pki, String token) {
        StringBuilder c = new StringBuilder();
        c.append("daemon off;\n")
                .append("master_process on;\n")
                .append("worker_processes 1;\n")
                .append("pid ").append(dir.resolve("nginx.pid")).append(";\n")
                .append("error_log ").append(dir.resolve("error.log")).append(" info;\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // as root nginx would switch its workers to nobody, who cannot read the temp dir
            c.append("user root;\n");
        }
        c.append("events { worker_connections 64; }\n")
                .append("http {\n")
                .append("  access_log ").append(dir.resolve("access.log")).append(";\n")
                .append("  client_body_temp_path ").append(dir.resolve("tmp/body")).append(";\n")
                .append("  proxy_temp_path ").append(dir.resolve("tmp/proxy")).append(";\n")
                .append("  fastcgi_temp_path ").append(dir.resolve("tmp/fastcgi")).append(";\n")
                .append("  uwsgi_temp_path ").append(dir.resolve("tmp/uwsgi")).append(";\n")
                .append("  scgi_temp_path ").append(dir.resolve("tmp/scgi")).append(";\n")
                .append("  types { application/x-yaml yaml; application/gzip tgz; }\n")
                .append("  default_type application/octet-stream;\n");
        if (mode == Mode.BEARER_TOKEN) {
            c.append("  map $http_authorization $helm_sdk_token_ok {\n")
                    .append("    default 0;\n")
                    .append("    \"Bearer ").append(token).append("\" 1;\n")
                    .append("  }\n");
        }
        c.append("  server {\n")
                .append("    listen 127.0.0.1:").append(port).append(tls ? " ssl" : "").append(";\n")
                .append("    server_name localhost;\n")
                .append("    root ").append(dir.resolve("www")).append(";\n");
        if (tls) {
            c.append("    ssl_certificate ").append(pki.serverCert()).append(";\n")
                    .append("    ssl_certificate_key ").append(pki.serverKey()).append(";\n")
                    .append("    ssl_protocols TLSv1.2 TLSv1.3;\n");
        }
        if (mode == Mode.MUTUAL_TLS) {
            c.append("    ssl_client_certificate ").append(pki.caCert()).append(";\n")
                    .append("    ssl_verify_client on;\n")
                    .append("    ssl_verify_depth 2;\n");
        }
        c.append("    location / {\n");
        if (mode == Mode.BASIC_AUTH) {
            c.append("      auth_basic \"helm-sdk-test\";\n")
                    .append("      auth_basic_user_file ").append(dir.resolve("htpasswd")).append(";\n");
        }
        if (mode == Mode.BEARER_TOKEN) {
            c.append("      if ($helm_sdk_token_ok = 0) {\n")
                    .append("        add_header WWW-Authenticate 'Bearer realm=\"helm-sdk-test\"' always;\n")
                    .append("        return 401;\n")
                    .append("      }\n");
        }
        c.append("    }\n  }\n}\n");
        return c.toString();
    }

    Mode mode() { return mode; }
    boolean tls() { return tls; }
    int port() { return port; }
    /** {@code http(s)://127.0.0.1:PORT/} (the repository URL). */
    URI uri() { return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port + "/"); }
    URI indexUri() { return uri().resolve("index.yaml"); }
    URI archiveUri() { return uri().resolve(archive.getFileName().toString()); }
    /** The packaged chart as served. */
    Path archive() { return archive; }
    /** The PKI (server certificate, CA, client certificate); null without TLS. */
    TestPki pki() { return pki; }
    String username() { return username; }
    /** The password (basic) or token (bearer); null otherwise. */
    String secret() { return secret; }
    Path accessLog() { return dir.resolve("access.log"); }
    Path dir() { return dir; }

    /** Basic auth only: replaces the password; nginx reads the htpasswd file per request, no reload needed. */
    void changePassword(String newPassword) {
        if (mode != Mode.BASIC_AUTH) {
            throw new IllegalStateException("not a basic-auth repository");
        }
        Htpasswd.write(dir.resolve("htpasswd"), username, newPassword);
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
        return "NginxChartRepository[" + uri() + ", " + mode + "]";
    }
}
