package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.api.ClusterCredentialException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import static dev.helmsdk.api.ClusterCredentialException.Reason.FAILED;
import static dev.helmsdk.api.ClusterCredentialException.Reason.NO_CREDENTIAL;
import static dev.helmsdk.api.ClusterCredentialException.Reason.TIMED_OUT;

/**
 * A kubeconfig's {@code exec} credential plugin (EKS' {@code aws eks get-token}, GKE's
 * {@code gke-gcloud-auth-plugin}) run by the SDK for its own fabric8 requests, as client-go runs
 * it for Helm: with the stanza's arguments and environment and {@code KUBERNETES_EXEC_INFO}, its
 * token kept until shortly before its {@code expirationTimestamp} (without one: until the server
 * refuses it, see {@link #refused}), then run again. fabric8 itself runs the plugin only when it
 * loads a kubeconfig, so without this its requests keep the first token after it expired.
 *
 * <p>A run is a phase of the calling operation, bounded by the time that operation has left and
 * by {@link #MAX_RUN}; a plugin still running then is killed with its children. Failures are a
 * {@link Failure}, which names the command only. Neither the token nor the plugin's output appear
 * in messages or logs (its stderr only at DEBUG: plugins print diagnostics there, not credentials).
 */
final class ExecCredentialPlugin implements OAuthTokenProvider {

    /** The longest a plugin may run before it is killed. */
    public static final Duration MAX_RUN = Duration.ofSeconds(30);
    /** A token is renewed this long before it expires at most (a quarter of its life if shorter), so no request carries one about to lapse. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(10);
    private static final String BEARER = "Bearer ";

    private final List<String> command;
    private final Map<String, String> env;
    private final String apiVersion;
    private final String execInfo;
    private final Supplier<Optional<Deadline>> deadlines;
    private final ObjectMapper json = new ObjectMapper();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Cached cached;

    /** A token and when to run the plugin again ({@code null}: when the server refuses it). */
    private record Cached(String token, Instant renewAt) {
        @Override
        public String toString() {
            return "Cached[renewAt=" + renewAt + "]";
        }
    }

    /** A client certificate and its key (PEM, base64 as in the kubeconfig), from a plugin that gives no token. */
    record ClientCertificate(String certificateData, String keyData) {
        @Override
        public String toString() {
            return "ClientCertificate[(redacted)]";
        }
    }

    /**
     * The plugin failed, gave nothing usable, or ran past its time and was stopped. A fabric8
     * exception, so that fabric8 passes it through a request unchanged; {@link KubeErrors} makes
     * it the caller's {@link dev.helmsdk.api.ClusterCredentialException}.
     */
    static final class Failure extends KubernetesClientException {
        private static final long serialVersionUID = 1L;
        private final String command;
        private final ClusterCredentialException.Reason reason;

        Failure(String command, ClusterCredentialException.Reason reason, String message) {
            super(message);
            this.command = command;
            this.reason = reason;
        }

        /** The plugin's executable (never its arguments or environment). */
        String command() {
            return command;
        }

        ClusterCredentialException.Reason reason() {
            return reason;
        }
    }

    private ExecCredentialPlugin(List<String> command, Map<String, String> env, String apiVersion, String execInfo,
                                 Supplier<Optional<Deadline>> deadlines) {
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.apiVersion = apiVersion;
        this.execInfo = execInfo;
        this.deadlines = deadlines;
    }

    /**
     * The plugin of a kubeconfig user's {@code exec} stanza (its command already resolved against
     * the kubeconfig's directory), run within the deadline {@code deadlines} gives for the calling thread.
     *
     * @param cluster the cluster entries for {@code KUBERNETES_EXEC_INFO} when the stanza asks for {@code provideClusterInfo}
     */
    static ExecCredentialPlugin of(ObjectNode exec, Map<String, Object> cluster, Supplier<Optional<Deadline>> deadlines) {
        List<String> command = new ArrayList<>();
        command.add(exec.path("command").asText(""));
        exec.path("args").forEach(a -> command.add(a.asText()));
        Map<String, String> env = new LinkedHashMap<>();
        exec.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        String apiVersion = exec.path("apiVersion").asText("client.authentication.k8s.io/v1");
        // As client-go: never interactive, the SDK has no terminal to offer.
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("interactive", false);
        if (exec.path("provideClusterInfo").asBoolean(false)) {
            spec.put("cluster", cluster);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("apiVersion", apiVersion);
        info.put("kind", "ExecCredential");
        info.put("spec", spec);
        try {
            return new ExecCredentialPlugin(command, env, apiVersion, new ObjectMapper().writeValueAsString(info), deadlines);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write KUBERNETES_EXEC_INFO", e);
        }
    }

    /** The current token: the cached one while it is valid, else the plugin's next one. */
    @Override
    public String getToken() {
        Cached c = cached;
        if (valid(c)) {
            return c.token();
        }
        Optional<Deadline> deadline = deadlines.get();
        return Deadline.during(deadline, dev.helmsdk.api.spi.OperationPhase.CREDENTIALS, "running " + describe(), () -> renew(deadline));
    }

    /**
     * Runs the plugin once, within {@code deadline} (and {@link #MAX_RUN}): its token is kept for
     * the requests to come; a client certificate, given instead of a token, is returned for the
     * connection's TLS (this provider then has no token to offer).
     */
    Optional<ClientCertificate> start(Deadline deadline) {
        return deadline.during(dev.helmsdk.api.spi.OperationPhase.CREDENTIALS, "running " + describe(), () -> {
            Answer a = run(bound(Optional.of(deadline)));
            if (a.token() != null) {
                cached = a.token();
                return Optional.<ClientCertificate>empty();
            }
            return Optional.of(a.certificate());
        });
    }

    private String renew(Optional<Deadline> deadline) {
        Duration bound = bound(deadline);
        try {
            if (!lock.tryLock(bound.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Failure(command.get(0), TIMED_OUT, describe() + " was still running for another request after " + bound.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(command.get(0), FAILED, "interrupted while waiting for " + describe());
        }
        try {
            Cached c = cached;   // another request may have run it meanwhile
            if (!valid(c)) {
                Answer a = run(bound(deadline));
                if (a.token() == null) {
                    throw new Failure(command.get(0), NO_CREDENTIAL, describe() + " gave no status.token but a client certificate:"
                            + " it can be used only when it does so from the start (the manager's connection is set up with it)");
                }
                c = a.token();
                cached = c;
            }
            return c.token();
        } finally {
            lock.unlock();
        }
    }

    /** What one run gave: a token, or else a client certificate. */
    private record Answer(Cached token, ClientCertificate certificate) {
    }

    /**
     * The server refused {@code token}: the next request runs the plugin again (as client-go does
     * on a 401), unless another request has already replaced that token.
     */
    public void refused(String token) {
        Cached c = cached;
        if (c != null && c.token().equals(token)) {
            cached = null;
        }
    }

    /**
     * For fabric8's HTTP client: a request refused with 401 is sent once more with the plugin's
     * next token. (fabric8's own retry asks {@link #getToken()} again, which still holds the
     * refused token when the plugin gave no expiry or the server revoked it early.)
     */
    public Interceptor onUnauthorized() {
        return new Interceptor() {
            @Override
            public CompletableFuture<Boolean> afterFailure(BasicBuilder request, HttpResponse<?> response, RequestTags tags) {
                if (response.code() != HttpURLConnection.HTTP_UNAUTHORIZED) {
                    return CompletableFuture.completedFuture(false);
                }
                String sent = Optional.ofNullable(response.request().header("Authorization")).orElse("");
                refused(sent.startsWith(BEARER) ? sent.substring(BEARER.length()) : sent);
                String next = getToken();
                if (sent.equals(BEARER + next)) {
                    return CompletableFuture.completedFuture(false);
                }
                request.setHeader("Authorization", BEARER + next);
                return CompletableFuture.completedFuture(true);
            }
        };
    }

    private static boolean valid(Cached c) {
        return c != null && (c.renewAt() == null || Instant.now().isBefore(c.renewAt()));
    }

    /** {@link #MAX_RUN}, or less when the calling operation has less left. */
    private Duration bound(Optional<Deadline> d) {
        if (d.isEmpty()) {
            return MAX_RUN;
        }
        if (d.get().expired()) {
            throw new DeadlinePassedException("running " + describe());
        }
        Duration left = d.get().remaining();
        return left.compareTo(MAX_RUN) < 0 ? left : MAX_RUN;
    }

    private Answer run(Duration bound) {
        ExecPluginProcess.Output out = ExecPluginProcess.run(command, env, execInfo, bound, describe());
        return parse(out.stdout(), out.started());
    }

    private Answer parse(String stdout, Instant started) {
        JsonNode root;
        try {
            root = json.readTree(stdout);
        } catch (IOException e) {
            throw new Failure(command.get(0), NO_CREDENTIAL, describe() + " printed no ExecCredential JSON (its output is not shown)");
        }
        if (root == null || !"ExecCredential".equals(root.path("kind").asText())) {
            throw new Failure(command.get(0), NO_CREDENTIAL, describe() + " printed no ExecCredential (its output is not shown)");
        }
        if (!apiVersion.equals(root.path("apiVersion").asText())) {
            throw new Failure(command.get(0), NO_CREDENTIAL, describe() + " answered apiVersion " + root.path("apiVersion").asText()
                    + ", the kubeconfig asks for " + apiVersion);
        }
        String token = root.path("status").path("token").asText("");
        if (token.isEmpty()) {
            String cert = root.path("status").path("clientCertificateData").asText("");
            String key = root.path("status").path("clientKeyData").asText("");
            if (cert.isEmpty() || key.isEmpty()) {
                throw new Failure(command.get(0), NO_CREDENTIAL, describe() + " gave no status.token, nor a client certificate and key");
            }
            return new Answer(null, new ClientCertificate(cert, key));
        }
        String exp = root.path("status").path("expirationTimestamp").asText("");
        if (exp.isEmpty()) {
            return new Answer(new Cached(token, null), null);
        }
        try {
            Instant expires = OffsetDateTime.parse(exp).toInstant();
            Duration life = Duration.between(started, expires);
            Duration early = life.dividedBy(4).compareTo(RENEW_BEFORE) < 0 ? life.dividedBy(4) : RENEW_BEFORE;
            return new Answer(new Cached(token, expires.minus(early.isNegative() ? Duration.ZERO : early)), null);
        } catch (DateTimeParseException e) {
            throw new Failure(command.get(0), NO_CREDENTIAL, describe() + " gave an expirationTimestamp that is not RFC 3339: " + exp);
        }
    }

    /** Names the command only: arguments and environment may carry secrets. */
    private String describe() {
        return "the kubeconfig's exec plugin " + command.get(0);
    }

    @Override
    public String toString() {
        return "ExecCredentialPlugin[" + command.get(0) + "]";
    }
}
