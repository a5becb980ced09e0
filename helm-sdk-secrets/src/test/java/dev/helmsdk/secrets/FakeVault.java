package dev.helmsdk.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FAKE of the few Vault HTTP API endpoints {@link VaultResolver} calls, as Vault's API documentation
 * describes them (developer.hashicorp.com/vault/api-docs), on loopback: not Vault, and no test of
 * Vault itself. No real Vault or OpenBao can be had on these machines (neither installs here), so the
 * tests run against this; {@code VaultRealServerTest} runs against a real server when one is given.
 *
 * <p>Serves {@code GET sys/internal/ui/mounts/<path>} (the KV preflight: a mount's path and
 * {@code options.version}; 403 for a token that may not read {@code sys/} and for a path under no
 * mount, as Vault), KV v1 ({@code GET <mount>/<name>}) and v2 ({@code GET <mount>/data/<name>[?version=]},
 * a deleted version a 404 with {@code data: null}), {@code POST auth/<mount>/login} for AppRole
 * ({@code role_id}, {@code secret_id}; 400 when wrong) and Kubernetes ({@code role}, {@code jwt}; 403
 * when wrong), userpass ({@code login/<username>}, {@code password}), {@code GET auth/token/lookup-self}, {@code POST auth/token/renew-self}, the
 * {@code X-Vault-Namespace} header (a wrong one is 403), 403 for an unknown token, 503 when sealed.
 * Counts what the tests assert on. Token lifetimes are not enforced: the resolver's clock is the
 * tests' to move.
 */
final class FakeVault implements AutoCloseable {

    /** What a token may do and how it was issued. */
    record TokenInfo(boolean readsSys, long ttl, boolean renewable) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ObjectMapper json = new ObjectMapper();
    private final Path caPem;

    private final Map<String, Integer> mounts = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> secrets = new ConcurrentHashMap<>();
    private final Map<String, TokenInfo> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> loginMounts = new ConcurrentHashMap<>(); // mount -> "approle" | "kubernetes"
    private final Map<String, String> credentials = new ConcurrentHashMap<>(); // "<mount>:<role>" -> secret id or jwt
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private volatile TokenInfo issued = new TokenInfo(true, 3600, true);
    private volatile String namespace;
    private volatile boolean sealed;
    private volatile boolean refuseRenewal;

    final AtomicInteger preflights = new AtomicInteger();
    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger renewals = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    /** Every request's X-Vault-Namespace header ("" when absent). */
    final List<String> namespacesSeen = new CopyOnWriteArrayList<>();

    private FakeVault(HttpServer server, Path caPem) {
        this.server = server;
        this.caPem = caPem;
        server.createContext("/v1/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A fake over plain HTTP on a free loopback port. */
    static FakeVault http() throws IOException {
        return new FakeVault(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), null);
    }

    /** A fake over HTTPS with a self-signed certificate for 127.0.0.1, made now with the JDK's keytool; its PEM is {@link #caPem()}. */
    static FakeVault https(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Path keyStore = dir.resolve("vault.p12");
        Path pem = dir.resolve("vault-ca.pem");
        keytool("-genkeypair", "-alias", "vault", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=fake-vault",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext", "bc=ca:true", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "vault", "-keystore", keyStore.toString(), "-storepass", "changeit", "-file", pem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeVault(server, pem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }

    /** {@code https://127.0.0.1:<port>} (or http). */
    String address() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The PEM of the HTTPS fake's certificate (its own CA). */
    Path caPem() {
        return caPem;
    }

    /** Enables a KV engine of {@code version} (1 or 2) at {@code mount} (no slashes). */
    FakeVault kv(String mount, int version) {
        mounts.put(mount + "/", version);
        return this;
    }

    /** Writes {@code data} at {@code path} ({@code <mount>/<name>}): on KV v2 a new version. */
    FakeVault put(String path, Map<String, Object> data) {
        secrets.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(data);
        return this;
    }

    /** Deletes version {@code version} (from 1) of a KV v2 secret, keeping its metadata. */
    FakeVault deleteVersion(String path, int version) {
        secrets.get(path).set(version - 1, Map.of());
        return this;
    }

    /** Accepts {@code token}. */
    FakeVault token(String token, TokenInfo info) {
        tokens.put(token, info);
        return this;
    }

    /** Accepts AppRole logins at {@code auth/<mount>/login} with these credentials. */
    FakeVault appRole(String mount, String roleId, String secretId) {
        loginMounts.put(mount, "approle");
        credentials.put(mount + ":" + roleId, secretId);
        return this;
    }

    /** Accepts Kubernetes logins at {@code auth/<mount>/login} for {@code role} with {@code jwt}. */
    FakeVault kubernetes(String mount, String role, String jwt) {
        loginMounts.put(mount, "kubernetes");
        credentials.put(mount + ":" + role, jwt);
        return this;
    }

    /** Accepts userpass logins at {@code auth/<mount>/login/<username>} with {@code password}. */
    FakeVault userPass(String mount, String username, String password) {
        loginMounts.put(mount, "userpass");
        credentials.put(mount + ":" + username, password);
        return this;
    }

    /** What logins issue from now on. */
    FakeVault issuing(TokenInfo info) {
        this.issued = info;
        return this;
    }

    /** Requires this X-Vault-Namespace on every request ({@code null}: none). */
    FakeVault namespace(String namespace) {
        this.namespace = namespace;
        return this;
    }

    /** Answers 403 for secrets under {@code prefix}, whoever asks. */
    FakeVault deny(String prefix) {
        denied.add(prefix);
        return this;
    }

    FakeVault sealed(boolean sealed) {
        this.sealed = sealed;
        return this;
    }

    FakeVault refuseRenewal(boolean refuse) {
        this.refuseRenewal = refuse;
        return this;
    }

    /** Revokes every token logins issued (given tokens stay). */
    FakeVault revokeIssued() {
        tokens.keySet().removeIf(t -> t.startsWith("hvs.issued."));
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String ns = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
            namespacesSeen.add(ns == null ? "" : ns);
            String path = exchange.getRequestURI().getPath().substring("/v1/".length());
            String query = exchange.getRequestURI().getRawQuery();
            JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
            if (sealed) {
                answer(exchange, 503, errors("Vault is sealed"));
            } else if (namespace != null && !namespace.equals(ns)) {
                answer(exchange, 403, errors("permission denied"));
            } else if (path.matches("auth/.+/login(/[^/]+)?") && !path.startsWith("auth/token/") && "POST".equals(exchange.getRequestMethod())) {
                int login = path.lastIndexOf("/login");
                String user = path.substring(login + "/login".length()).replaceFirst("^/", "");
                login(exchange, path.substring("auth/".length(), login), user.isEmpty() ? body : json.valueToTree(Map.of("user", user,
                        "password", body.path("password").asText())));
            } else {
                String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
                TokenInfo info = token == null ? null : tokens.get(token);
                if (info == null) {
                    answer(exchange, 403, errors("permission denied"));
                } else if (path.equals("auth/token/lookup-self")) {
                    lookups.incrementAndGet();
                    answer(exchange, 200, Map.of("data", Map.of("ttl", info.ttl(), "renewable", info.renewable(), "policies", List.of("default"))));
                } else if (path.equals("auth/token/renew-self")) {
                    renewals.incrementAndGet();
                    if (refuseRenewal || !info.renewable()) {
                        answer(exchange, 400, errors("lease is not renewable"));
                    } else {
                        answer(exchange, 200, Map.of("auth", Map.of("client_token", token, "lease_duration", info.ttl(), "renewable", true)));
                    }
                } else if (path.startsWith("sys/internal/ui/mounts/")) {
                    preflight(exchange, path.substring("sys/internal/ui/mounts/".length()), info);
                } else {
                    read(exchange, path, query);
                }
            }
        } catch (RuntimeException e) {
            // a fake's bug must not look like a network failure: answer 500 with it, for the test's message
            answer(exchange, 500, errors("fake failed: " + e));
        }
    }

    private void login(HttpExchange exchange, String mount, JsonNode body) throws IOException {
        logins.incrementAndGet();
        sleep(); // a real login takes a moment: widens the window concurrent first callers race in
        String kind = loginMounts.get(mount);
        if (kind == null) {
            answer(exchange, 404, errors("no handler for route \"auth/" + mount + "/login\""));
            return;
        }
        String role = body.path(switch (kind) { case "approle" -> "role_id"; case "userpass" -> "user"; default -> "role"; }).asText();
        String proof = body.path(switch (kind) { case "approle" -> "secret_id"; case "userpass" -> "password"; default -> "jwt"; }).asText();
        if (!proof.equals(credentials.get(mount + ":" + role))) {
            answer(exchange, "approle".equals(kind) ? 400 : 403, errors("approle".equals(kind) ? "invalid role or secret ID" : "permission denied"));
            return;
        }
        String token = "hvs.issued." + UUID.randomUUID();
        TokenInfo info = issued;
        tokens.put(token, info);
        answer(exchange, 200, Map.of("auth", Map.of("client_token", token, "accessor", "acc", "policies", List.of("default"),
                "lease_duration", info.ttl(), "renewable", info.renewable())));
    }

    private void preflight(HttpExchange exchange, String path, TokenInfo info) throws IOException {
        preflights.incrementAndGet();
        String mount = mounts.keySet().stream().filter(m -> (path + "/").startsWith(m)).findFirst().orElse(null);
        if (!info.readsSys() || mount == null) {
            answer(exchange, 403, errors("preflight capability check returned 403, please ensure client's policies grant access to path \"" + path + "/\""));
            return;
        }
        Map<String, Object> options = mounts.get(mount) == 2 ? Map.of("version", "2") : Map.of();
        answer(exchange, 200, Map.of("data", Map.of("path", mount, "type", "kv", "options", options)));
    }

    private void read(HttpExchange exchange, String path, String query) throws IOException {
        reads.incrementAndGet();
        String mount = mounts.keySet().stream().filter(path::startsWith).findFirst().orElse(null);
        if (mount == null) {
            answer(exchange, 404, errors("no handler for route \"" + path + "\""));
            return;
        }
        if (denied.stream().anyMatch(path::startsWith)) {
            answer(exchange, 403, errors("permission denied"));
            return;
        }
        if (mounts.get(mount) == 1) {
            List<Map<String, Object>> versions = secrets.get(path);
            if (versions == null) {
                answer(exchange, 404, errors());
            } else {
                answer(exchange, 200, Map.of("data", versions.get(versions.size() - 1), "lease_duration", 2764800));
            }
            return;
        }
        if (!path.startsWith(mount + "data/")) {
            answer(exchange, 404, errors()); // v2 has no secret at <mount>/<name>: the client must insert data/
            return;
        }
        List<Map<String, Object>> versions = secrets.get(mount + path.substring((mount + "data/").length()));
        int version = query != null && query.startsWith("version=") ? Integer.parseInt(query.substring("version=".length()))
                : versions == null ? 0 : versions.size();
        if (versions == null || version < 1 || version > versions.size()) {
            answer(exchange, 404, errors());
            return;
        }
        Map<String, Object> data = versions.get(version - 1);
        Map<String, Object> metadata = Map.of("version", version, "destroyed", false, "deletion_time", data.isEmpty() ? "2026-01-01T00:00:00Z" : "");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", data.isEmpty() ? null : data);
        answer.put("metadata", metadata);
        answer(exchange, data.isEmpty() ? 404 : 200, Map.of("data", answer));
    }

    private static Map<String, Object> errors(String... errors) {
        return Map.of("errors", List.of(errors));
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "FakeVault[" + address() + "]";
    }
}
