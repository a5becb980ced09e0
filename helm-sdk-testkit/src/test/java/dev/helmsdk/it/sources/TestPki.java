package dev.helmsdk.it.sources;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

/**
 * A throw-away PKI made with the {@code openssl} CLI at test time: a CA, a server certificate for
 * {@code localhost}/{@code 127.0.0.1}/{@code ::1}, and a client certificate ({@code CN=helm-sdk-test-client}),
 * all ECDSA P-256, valid for two days. Files (PEM): {@code ca.crt ca.key server.crt server.key client.crt client.key}
 * and {@code client.p12} (password {@link #P12_PASSWORD}).
 */
final class TestPki {

    static final String P12_PASSWORD = "changeit";

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** Generates a new PKI into {@code dir} (created); skips/fails if {@code openssl} is missing. */
    static TestPki generate(Path dir, String caName) {
        Path openssl = ServerProcess.requireBinary("openssl", "/usr/bin/openssl", "openssl");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("server.ext"), "basicConstraints=CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                    + "extendedKeyUsage=serverAuth\n"
                    + "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n");
            Files.writeString(dir.resolve("client.ext"), "basicConstraints=CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature\n"
                    + "extendedKeyUsage=clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String o = openssl.toString();
        String[] ec = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
        ServerProcess.run(dir, concat(new String[] {o, "req", "-x509"}, ec, new String[] {"-keyout", "ca.key",
                "-out", "ca.crt", "-days", "2", "-subj", "/CN=" + caName,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"}));
        for (String leaf : new String[] {"server", "client"}) {
            String cn = leaf.equals("server") ? "localhost" : "helm-sdk-test-client";
            ServerProcess.run(dir, concat(new String[] {o, "req"}, ec, new String[] {"-keyout", leaf + ".key",
                    "-out", leaf + ".csr", "-subj", "/CN=" + cn}));
            ServerProcess.run(dir, o, "x509", "-req", "-in", leaf + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", leaf + ".crt", "-days", "2", "-sha256", "-extfile", leaf + ".ext");
        }
        ServerProcess.run(dir, o, "pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key",
                "-name", "client", "-out", "client.p12", "-passout", "pass:" + P12_PASSWORD);
        return new TestPki(dir);
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    Path dir() { return dir; }
    Path caCert() { return dir.resolve("ca.crt"); }
    Path serverCert() { return dir.resolve("server.crt"); }
    Path serverKey() { return dir.resolve("server.key"); }
    Path clientCert() { return dir.resolve("client.crt"); }
    Path clientKey() { return dir.resolve("client.key"); }
    Path clientP12() { return dir.resolve("client.p12"); }

    /** An SSLContext that trusts only this CA (no client certificate). */
    SSLContext trustingContext() {
        return sslContext(this, null);
    }

    /** An SSLContext that trusts only this CA and presents this PKI's client certificate. */
    SSLContext clientContext() {
        return sslContext(this, this);
    }

    /** Trusts {@code trust}'s CA, presents {@code client}'s client certificate (when not null). */
    static SSLContext sslContext(TestPki trust, TestPki client) {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            try (InputStream in = Files.newInputStream(trust.caCert())) {
                ts.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            KeyManagerFactory kmf = null;
            if (client != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(client.clientP12())) {
                    ks.load(in, P12_PASSWORD.toCharArray());
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, P12_PASSWORD.toCharArray());
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
