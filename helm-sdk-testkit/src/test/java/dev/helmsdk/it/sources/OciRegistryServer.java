package dev.helmsdk.it.sources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A real OCI registry ({@code docker-registry}, distribution 2.8, Debian package {@code docker-registry}) on a free
 * loopback port, storage in a temp dir. Modes: {@link #startPlainOrSkip()} (HTTP, no auth) and
 * {@link #startHtpasswdTlsOrSkip} (TLS with a test CA, bcrypt htpasswd basic auth).
 */
final class OciRegistryServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final boolean tls;
    private final TestPki pki;
    private final String username;
    private final String password;
    private final ServerProcess process;
    private OciTokenIssuer tokenIssuer;

    private OciRegistryServer(Path dir, int port, boolean tls, TestPki pki, String username, String password,
            ServerProcess process) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
        this.pki = pki;
        this.username = username;
        this.password = password;
        this.process = process;
    }

    static Path binary() {
        return ServerProcess.requireBinary("docker-registry", "/usr/bin/docker-registry", "docker-registry", "registry");
    }

    /** Plain HTTP, no authentication. */
    static OciRegistryServer startPlainOrSkip() {
        return start(false, null, null);
    }

    /** TLS (certificate from a fresh {@link TestPki}) and htpasswd basic auth with one user. */
    static OciRegistryServer startHtpasswdTlsOrSkip(String username, String password) {
        return start(true, username, password);
    }

    /**
     * TLS and {@code auth: token}: a {@link OciTokenIssuer} (JDK HTTP server on loopback) issues ES256 JWTs to
     * {@code username}/{@code password}; the registry trusts the issuer's certificate via the test CA.
     */
    static OciRegistryServer startTokenAuthTlsOrSkip(String username, String password) {
        return start(true, username, password, true);
    }

    private static OciRegistryServer start(boolean tls, String username, String password) {
        return start(tls, username, password, false);
    }

    private static OciRegistryServer start(boolean tls, String username, String password, boolean token) {
        Path bin = binary();
        if (username != null) {
            Htpasswd.binary();
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("helm-sdk-registry-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OciTokenIssuer[] issuerRef = new OciTokenIssuer[1];
        try {
            TestPki pki = tls ? TestPki.generate(dir.resolve("pki"), "helm-sdk-registry-test-ca") : null;
            Path data = Files.createDirectories(dir.resolve("data"));
            Path htpasswd = dir.resolve("htpasswd");
            if (username != null && !token) {
                Htpasswd.write(htpasswd, username, password);
            }
            OciTokenIssuer issuer = token
                    ? OciTokenIssuer.start(pki, "helm-sdk-test-registry", username, password) : null;
            issuerRef[0] = issuer;
            int[] chosen = new int[1];
            ServerProcess sp = ServerProcess.startWithRetry(port -> {
                Path config = dir.resolve("config.yml");
                StringBuilder y = new StringBuilder()
                        .append("version: 0.1\n")
                        .append("log:\n  level: info\n  formatter: text\n")
                        .append("storage:\n  filesystem:\n    rootdirectory: ").append(data).append('\n')
                        .append("  delete:\n    enabled: true\n")
                        .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                        .append("  secret: ").append(UUID.randomUUID()).append('\n');
                if (tls) {
                    y.append("  tls:\n    certificate: ").append(pki.serverCert()).append('\n')
                            .append("    key: ").append(pki.serverKey()).append('\n');
                }
                if (token) {
                    y.append("auth:\n  token:\n    realm: ").append(issuer.realm()).append('\n')
                            .append("    service: ").append(issuer.service()).append('\n')
                            .append("    issuer: ").append(OciTokenIssuer.ISSUER).append('\n')
                            .append("    rootcertbundle: ").append(pki.caCert()).append('\n');
                } else if (username != null) {
                    y.append("auth:\n  htpasswd:\n    realm: helm-sdk-test\n    path: ").append(htpasswd).append('\n');
                }
                Files.writeString(config, y.toString());
                return ServerProcess.start("docker-registry", List.of(bin.toString(), "serve", config.toString()),
                        dir, dir.resolve("registry.log"), port);
            }, chosen);
            OciRegistryServer server = new OciRegistryServer(dir, chosen[0], tls, pki, username, password, sp);
            server.tokenIssuer = issuer;
            return server;
        } catch (IOException e) {
            if (issuerRef[0] != null) {
                issuerRef[0].close();
            }
            ServerProcess.deleteTree(dir);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (issuerRef[0] != null) {
                issuerRef[0].close();
            }
            ServerProcess.deleteTree(dir);
            throw e;
        }
    }

    /** {@code 127.0.0.1:PORT}, as Helm's registry login wants it. */
    String host() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** {@code oci://127.0.0.1:PORT/<repository>}. */
    URI ociUri(String repository) {
        return URI.create("oci://" + host() + "/" + repository);
    }

    /** {@code http(s)://127.0.0.1:PORT/v2/}. */
    URI apiUri() {
        return URI.create((tls ? "https" : "http") + "://" + host() + "/v2/");
    }

    boolean tls() {
        return tls;
    }

    /** The PKI whose CA signed the server certificate (null in plain mode). */
    TestPki pki() {
        return pki;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    Path dir() {
        return dir;
    }

    String logTail(int lines) {
        return process.logTail(lines);
    }

    /** The token issuer (token mode only, else null). */
    OciTokenIssuer tokenIssuer() {
        return tokenIssuer;
    }

    @Override
    public void close() {
        process.close();
        if (tokenIssuer != null) {
            tokenIssuer.close();
        }
        ServerProcess.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "OciRegistryServer[" + apiUri() + (username != null ? ", htpasswd user " + username : "") + "]";
    }
}
