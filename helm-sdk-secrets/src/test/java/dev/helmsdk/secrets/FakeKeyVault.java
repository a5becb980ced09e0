package dev.helmsdk.secrets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FAKE of Azure Key Vault's documented "Get Secret" endpoint, not an emulator (none can be had on
 * these machines): {@code GET {vault}/secrets/{name}[/{version}]?api-version=...} over HTTPS, with
 * Key Vault's bearer challenge. A request without {@code Authorization} gets {@code 401} and
 * {@code WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>",
 * resource="https://vault.azure.net"}, after which the SDK asks its credential for a token of scope
 * {@code https://vault.azure.net/.default} in that tenant and sends it. Answers are shaped as the REST
 * reference shows them: {@code {"value", "id", "attributes"}}, and errors
 * {@code {"error": {"code": "SecretNotFound" | "Forbidden", "message"}}}.
 *
 * <p>Serves a self-signed certificate for {@code *.vault.azure.net} made at start; clients trust it
 * through {@link #certificate()}, never through JVM-wide trust stores.
 */
final class FakeKeyVault implements AutoCloseable {

    static final String TENANT = "72f988bf-0000-4000-8000-000000000001";
    private static final Pattern PATH = Pattern.compile("/secrets/([0-9A-Za-z-]+)(?:/([0-9A-Za-z]+))?/?");

    private final HttpsServer server;
    private final X509Certificate certificate;
    private final String token;
    /** name → versions in order written (the last is the latest). */
    private final Map<String, LinkedHashMap<String, String>> secrets = new ConcurrentHashMap<>();
    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private final AtomicInteger challenges = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean stall;
    private volatile int failWith;

    /** @param token the only bearer token it accepts */
    FakeKeyVault(String token) throws Exception {
        this.token = token;
        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        certificate = selfSigned(keys);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = UUID.randomUUID().toString().toCharArray();
        store.setKeyEntry("vault", keys.getPrivate(), password, new X509Certificate[]{certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-key-vault");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=*.vault.azure.net");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.dNSName, "*.vault.azure.net"), new GeneralName(GeneralName.dNSName, "localhost")}));
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    /** The loopback address it listens on. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** The certificate to trust. */
    X509Certificate certificate() {
        return certificate;
    }

    /** Writes a new version of secret {@code name}, now its latest; returns the version's id. */
    String put(String name, String value) {
        String version = UUID.randomUUID().toString().replace("-", "");
        secrets.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(version, value);
        return version;
    }

    /** Reads of {@code name} are refused with 403, as for an identity without 'get' on secrets. */
    void forbid(String name) {
        forbidden.add(name);
    }

    /** Every request from now on waits, unanswered, until {@link #close()}. */
    void stall() {
        stall = true;
    }

    /** Every authenticated read from now on is answered with {@code status} (a server error). */
    void failWith(int status) {
        failWith = status;
    }

    /** How many bearer challenges (401 to a request without a token) it sent. */
    int challenges() {
        return challenges.get();
    }

    /** How many authenticated reads it served (any outcome). */
    int reads() {
        return reads.get();
    }

    /** The {@code Host} headers it saw. */
    List<String> hosts() {
        return List.copyOf(hosts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            if (stall) {
                closed.await(1, TimeUnit.MINUTES);
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            Matcher m = PATH.matcher(exchange.getRequestURI().getPath());
            if (!"GET".equals(exchange.getRequestMethod()) || query == null || !query.contains("api-version=") || !m.matches()) {
                send(exchange, 400, error("BadParameter", "The request URI is invalid."));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null) {
                challenges.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer authorization=\"https://login.microsoftonline.com/" + TENANT + "\", resource=\"https://vault.azure.net\"");
                send(exchange, 401, error("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."));
                return;
            }
            reads.incrementAndGet();
            if (!authorization.equals("Bearer " + token)) {
                send(exchange, 401, error("Unauthorized", "AKV10032: Invalid issuer."));
                return;
            }
            if (failWith != 0) {
                send(exchange, failWith, error("ServiceUnavailable", "The service is unavailable."));
                return;
            }
            String name = m.group(1);
            if (forbidden.contains(name)) {
                send(exchange, 403, error("Forbidden", "The user, group or application does not have secrets get permission."));
                return;
            }
            LinkedHashMap<String, String> versions = secrets.get(name);
            String version = m.group(2);
            if (versions != null && version == null) {
                version = List.copyOf(versions.keySet()).get(versions.size() - 1);
            }
            String value = versions == null ? null : versions.get(version);
            if (value == null) {
                send(exchange, 404, error("SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault."));
                return;
            }
            String id = "https://" + exchange.getRequestHeaders().getFirst("Host") + "/secrets/" + name + "/" + version;
            send(exchange, 200, "{\"value\":" + json(value) + ",\"id\":" + json(id)
                    + ",\"attributes\":{\"enabled\":true,\"created\":1700000000,\"updated\":1700000000,\"recoveryLevel\":\"Recoverable+Purgeable\"}}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"code\":" + json(code) + ",\"message\":" + json(message) + "}}";
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().add("x-ms-keyvault-service-version", "1.9.0.0");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
