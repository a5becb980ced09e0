package dev.helmsdk.it.sources;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small JDK-only token issuer for distribution's {@code auth: token} (the Docker registry v2 token flow): GET
 * {@code /token?service=..&scope=..} with HTTP Basic credentials; answers {@code {"token": <ES256 JWT>}} granting the
 * requested actions, or 401. The JWT carries its signing certificate in {@code x5c}; the registry trusts it through
 * {@code rootcertbundle} (the CA of the {@link TestPki} whose client key signs). Serves plain HTTP on 127.0.0.1.
 */
final class OciTokenIssuer implements AutoCloseable {

    static final String ISSUER = "helm-sdk-test-issuer";

    private final HttpServer server;
    private final String service;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final String username;
    private final AtomicReference<String> password;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private OciTokenIssuer(TestPki signer, String service, String username, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(signer.clientP12())) {
            ks.load(in, TestPki.P12_PASSWORD.toCharArray());
        }
        this.key = (PrivateKey) ks.getKey("client", TestPki.P12_PASSWORD.toCharArray());
        this.cert = (X509Certificate) ks.getCertificate("client");
        this.service = service;
        this.username = username;
        this.password = new AtomicReference<>(password);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    /** Starts on a free loopback port, signing with {@code signer}'s client key. */
    static OciTokenIssuer start(TestPki signer, String service, String username, String password) {
        try {
            return new OciTokenIssuer(signer, service, username, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the token issuer", e);
        }
    }

    private final String identityToken = "idt-" + UUID.randomUUID();

    URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    String service() { return service; }
    int tokensIssued() { return issued.get(); }
    int requestsRefused() { return refused.get(); }

    /** Rotates the password; takes effect for the next token request. */
    void changePassword(String newPassword) {
        password.set(newPassword);
    }

    /** An identity (OAuth2 refresh) token this issuer accepts on POST, as docker's {@code identitytoken}. */
    String identityToken() {
        return identityToken;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password.get()).getBytes(StandardCharsets.UTF_8));
            String query = ex.getRequestURI().getRawQuery();
            boolean allowed = expected.equals(auth);
            if (ex.getRequestMethod().equals("POST")) {
                // OAuth2 refresh-token grant (distribution's token spec, "oauth" section): form fields instead of a query.
                query = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                java.util.Map<String, String> form = new java.util.HashMap<>();
                for (String kv : query.split("&")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        form.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
                allowed = "refresh_token".equals(form.get("grant_type")) && identityToken.equals(form.get("refresh_token"));
            }
            if (!allowed) {
                refused.incrementAndGet();
                byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"helm-sdk-token-issuer\"");
                ex.sendResponseHeaders(401, body.length);
                ex.getResponseBody().write(body);
                return;
            }
            List<String> access = new ArrayList<>();
            if (query != null) {
                for (String kv : query.split("&")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0 && kv.substring(0, eq).equals("scope")) {
                        String scope = URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                        for (String one : scope.split(" ")) {
                            // type:name:actions, name may contain ':' (a port), actions are the last part
                            int first = one.indexOf(':');
                            int last = one.lastIndexOf(':');
                            if (first < 0 || last <= first) {
                                continue;
                            }
                            StringBuilder actions = new StringBuilder();
                            for (String a : one.substring(last + 1).split(",")) {
                                actions.append(actions.length() == 0 ? "" : ",").append('"').append(json(a)).append('"');
                            }
                            access.add("{\"type\":\"" + json(one.substring(0, first)) + "\",\"name\":\""
                                    + json(one.substring(first + 1, last)) + "\",\"actions\":[" + actions + "]}");
                        }
                    }
                }
            }
            String jwt = sign(String.join(",", access));
            issued.incrementAndGet();
            byte[] body = ("{\"token\":\"" + jwt + "\",\"access_token\":\"" + jwt + "\",\"expires_in\":300,"
                    + "\"issued_at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } catch (GeneralSecurityException e) {
            ex.sendResponseHeaders(500, -1);
        }
    }

    private String sign(String accessJson) throws GeneralSecurityException {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"x5c\":[\""
                + Base64.getEncoder().encodeToString(cert.getEncoded()) + "\"]}";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + json(username) + "\",\"aud\":\"" + json(service)
                + "\",\"exp\":" + (now + 300) + ",\"nbf\":" + (now - 10) + ",\"iat\":" + now + ",\"jti\":\""
                + UUID.randomUUID() + "\",\"access\":[" + accessJson + "]}";
        String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(s.sign());
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
