package dev.helmsdk.core.internal.source;

import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.Deadline;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * HTTP GETs to chart repositories and registries over Vert.x: one client per TLS configuration
 * (trusted CAs, client certificate, verification), the proxy chosen per request, redirects
 * followed by hand so credentials are re-decided for every hop. Thread-safe; the Vert.x instance is
 * created on first use (a manager with only local charts starts no threads) and closed with this.
 */
final class SourceHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceHttp.class);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_CLIENTS = 16;

    /** The TLS side of a request; equal values share a client (and its connection pool). */
    public record Tls(String trustPem, String certPem, String keyPem, boolean insecure) {
        /** Default trust, no client certificate, verified. */
        public static final Tls DEFAULT = new Tls(null, null, null, false);

        @Override
        public String toString() {
            return "Tls[trust=" + (trustPem != null) + ", clientCert=" + (certPem != null) + ", insecure=" + insecure + "]";
        }
    }

    /** Decides the Authorization header for each URL a request visits (redirects included); {@code null} for none. */
    @FunctionalInterface
    public interface Authorizer {
        /** No Authorization header anywhere. */
        Authorizer NONE = uri -> null;

        /** The header value for {@code target}, or {@code null}. */
        String authorization(URI target);
    }

    /** A response: status, headers (lower-case names, first value), body, and the URL that answered. */
    public record Response(int status, Map<String, String> headers, byte[] body, URI uri) {
        /** A header by lower-case name, or {@code null}. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /**
         * The start of the body as text, for error messages, after {@code scrub} has masked what
         * must not be shown (applied to the whole text first, so nothing is cut in half by the limit).
         */
        public String bodySnippet(java.util.function.UnaryOperator<String> scrub) {
            String full = new String(body, 0, Math.min(body.length, 64 * 1024), StandardCharsets.UTF_8);
            String s = scrub.apply(full).replaceAll("\\s+", " ").trim();
            s = s.length() > 300 ? s.substring(0, 300) : s;
            return s.isEmpty() ? "" : " (" + s + ")";
        }
    }

    private final ChartSources.Proxy httpsProxy;
    private final ChartSources.Proxy httpProxy;
    private final NoProxy noProxy;
    private final Set<String> plainHttpHosts;
    private final Duration requestTimeout;
    private final Supplier<Optional<Deadline>> deadlines;
    private final long maxBodyBytes;
    private final Map<Tls, HttpClient> clients = new LinkedHashMap<>(16, 0.75f, true);
    private Vertx vertx;
    private boolean closed;

    public SourceHttp(ChartSources sources, long maxBodyBytes) {
        this(sources, maxBodyBytes, Optional::empty);
    }

    /**
     * @param deadlines the deadline of the operation on the calling thread: each request ends at
     *                  it or at {@link ChartSources#requestTimeout()}, whichever comes first
     */
    public SourceHttp(ChartSources sources, long maxBodyBytes, Supplier<Optional<Deadline>> deadlines) {
        this.deadlines = deadlines;
        this.httpsProxy = sources.httpsProxy().orElse(null);
        this.httpProxy = sources.httpProxy().orElse(null);
        this.noProxy = new NoProxy(sources.noProxy());
        this.plainHttpHosts = sources.plainHttpHosts();
        this.requestTimeout = sources.requestTimeout();
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The deadline of the operation on the calling thread, if any. */
    Optional<Deadline> deadline() {
        return deadlines.get();
    }

    /** Whether plain HTTP to this URL's host was allowed explicitly. */
    public boolean plainHttpAllowed(URI uri) {
        return HostKeys.matches(plainHttpHosts, uri);
    }

    /** Refuses plain HTTP to a host that was not allowed it, before anything is sent. */
    private void requireTransportAllowed(URI uri, String context) {
        if ("http".equalsIgnoreCase(uri.getScheme()) && !plainHttpAllowed(uri)) {
            throw new SourceFailure(Reason.INSECURE_TRANSPORT, 0, "plain HTTP to " + HostKeys.authority(uri) + " is not allowed" + context
                    + "; use https, or allow it with ChartSources.builder().plainHttp(\"" + HostKeys.authority(uri) + "\")", null);
        }
    }

    /** The proxy a request to {@code uri} goes through, or {@code null} for a direct connection. */
    ChartSources.Proxy proxyFor(URI uri) {
        ChartSources.Proxy p = "http".equalsIgnoreCase(uri.getScheme()) ? httpProxy : httpsProxy;
        return p == null || noProxy.bypass(uri) ? null : p;
    }

    /**
     * GETs {@code uri}, following redirects. Any status is returned (callers decide what 401 means);
     * transport failures are thrown as {@link SourceFailure}.
     */
    public Response get(URI uri, Map<String, String> headers, Tls tls, Authorizer auth) {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            requireTransportAllowed(current, hop > 0 ? " (redirected from " + uri + ")" : "");
            Response r = once(HttpMethod.GET, current, headers, null, tls, auth.authorization(current));
            if (r.status() / 100 != 3 || r.header("location") == null || r.status() == 304) {
                return r;
            }
            if (hop >= MAX_REDIRECTS) {
                throw new SourceFailure(Reason.INVALID_CONTENT, r.status(), "more than " + MAX_REDIRECTS + " redirects from " + uri, null);
            }
            current = current.resolve(r.header("location"));
        }
    }

    /**
     * POSTs a form (the OAuth2 token endpoint of a registry); not redirected. Plain HTTP only where
     * allowed, as for GET.
     */
    public Response postForm(URI uri, Map<String, String> form, Tls tls) {
        requireTransportAllowed(uri, "");
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return once(HttpMethod.POST, uri, Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"),
                body.toString().getBytes(StandardCharsets.UTF_8), tls, null);
    }

    /**
     * Sends one request with a body (or none), not redirected: an OCI push's HEAD, POST, PUT. Any
     * status is returned; plain HTTP only where allowed, as for GET.
     */
    public Response send(HttpMethod method, URI uri, Map<String, String> headers, byte[] body, Tls tls, Authorizer auth) {
        requireTransportAllowed(uri, "");
        return once(method, uri, headers, body, tls, auth.authorization(uri));
    }

    private Response once(HttpMethod method, URI uri, Map<String, String> headers, byte[] payload, Tls tls, String authorization) {
        try {
            return attempt(method, uri, headers, payload, tls, authorization);
        } catch (SourceFailure f) {
            // A pooled keep-alive connection the server or proxy had already closed (tinyproxy does
            // after plain-HTTP requests): an idempotent request is sent again once, on a new one.
            if ((method == HttpMethod.GET || method == HttpMethod.HEAD) && f.getCause() instanceof io.vertx.core.http.HttpClosedException) {
                return attempt(method, uri, headers, payload, tls, authorization);
            }
            throw f;
        }
    }

    private Response attempt(HttpMethod method, URI uri, Map<String, String> headers, byte[] payload, Tls tls, String authorization) {
        Optional<Deadline> deadline = deadlines.get();
        Duration timeout = requestTimeout;
        if (deadline.isPresent()) {
            Duration left = deadline.get().remainingFor(method + " " + uri);
            timeout = left.compareTo(timeout) < 0 ? left : timeout;
        }
        Duration limit = timeout;
        ChartSources.Proxy proxy = proxyFor(uri);
        RequestOptions ro = new RequestOptions().setMethod(method).setAbsoluteURI(uri.toString())
                .setFollowRedirects(false).setIdleTimeout(Math.max(1, limit.toMillis()));
        headers.forEach(ro::putHeader);
        if (authorization != null) {
            ro.putHeader("Authorization", authorization);
        }
        if (proxy != null) {
            ProxyOptions po = new ProxyOptions().setType(ProxyType.HTTP).setHost(proxy.uri().getHost()).setPort(proxy.port());
            if (proxy.username() != null) {
                po.setUsername(proxy.username()).setPassword(proxy.password());
            }
            ro.setProxyOptions(po);
        }
        HttpClient client = client(tls);
        long max = maxBodyBytes;
        io.vertx.core.Promise<Response> promise = io.vertx.core.Promise.promise();
        // Start on the client's event loop: begun from a foreign thread, a reused proxied connection
        // could deliver the body before the handler was attached, and it was lost (seen with tinyproxy).
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        context().runOnContext(v -> client.request(ro).compose(req -> {
            sent.set(req);
            return payload == null ? req.send() : req.send(Buffer.buffer(payload));
        }).compose((HttpClientResponse resp) -> {
            String length = resp.getHeader("content-length");
            if (length != null && length.matches("\\d+") && Long.parseLong(length) > max) {
                resp.request().reset();
                return io.vertx.core.Future.failedFuture(new SourceFailure(Reason.INVALID_CONTENT, resp.statusCode(),
                        "response from " + uri + " is " + length + " bytes, more than the limit of " + max, null));
            }
            return resp.body().map((Buffer body) -> {
                Map<String, String> h = new LinkedHashMap<>();
                resp.headers().forEach(e -> h.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
                String declared = h.get("content-length");
                if (declared != null && h.get("content-encoding") == null && declared.matches("\\d+")
                        && Long.parseLong(declared) != body.length() && resp.request().getMethod() != HttpMethod.HEAD) {
                    throw new SourceFailure(Reason.UNREACHABLE, resp.statusCode(), "response from " + uri + " was cut short: "
                            + body.length() + " of " + declared + " bytes", null);
                }
                return new Response(resp.statusCode(), h, body.getBytes(), uri);
            });
        }).onComplete(promise));
        var future = promise.future();
        try {
            return future.toCompletionStage().toCompletableFuture().get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(sent);
            throw new SourceFailure(Reason.UNREACHABLE, 0, method + " " + uri + " was interrupted", e);
        } catch (TimeoutException e) {
            abandon(sent);
            throw new SourceFailure(Reason.UNREACHABLE, 0, method + " " + uri + " did not complete within " + limit
                    + (limit.equals(requestTimeout) ? "" : ", the time its operation had left"), e);
        } catch (ExecutionException e) {
            throw translate(uri, proxy, e.getCause() == null ? e : e.getCause());
        }
    }

    /** Resets a request given up on, so its connection is closed and nothing more is sent on it. */
    private void abandon(AtomicReference<HttpClientRequest> sent) {
        context().runOnContext(v -> {
            HttpClientRequest req = sent.get();
            if (req != null) {
                req.reset();
            }
        });
    }

    /** Maps a transport exception to a reason, with a message naming the host and never a secret. */
    static SourceFailure translate(URI uri, ChartSources.Proxy proxy, Throwable t) {
        if (t instanceof SourceFailure f) {
            return f;
        }
        String where = HostKeys.authority(uri);
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String name = c.getClass().getName();
            if (name.equals("io.netty.handler.proxy.ProxyConnectException") || name.endsWith("HttpProxyConnectException")) {
                return new SourceFailure(Reason.PROXY, 0, "proxy " + proxy.uri() + " refused the tunnel to " + where + ": "
                        + clean(c.getMessage(), proxy) + (proxy.username() == null ? " (no proxy credentials configured)"
                        : " (proxy user '" + proxy.username() + "')"), t);
            }
            if (c instanceof SSLException) {
                return new SourceFailure(Reason.TLS, 0, "TLS handshake with " + where + " failed: " + c.getMessage()
                        + "; check the CA bundle (ChartSources trustedCertificates, or ca.crt in the credentials) and the client certificate", t);
            }
            if (c instanceof UnknownHostException) {
                return new SourceFailure(Reason.UNREACHABLE, 0, "cannot resolve host " + c.getMessage() + " for " + uri, t);
            }
            if (c instanceof ConnectException || name.equals("io.netty.channel.ConnectTimeoutException")
                    || name.startsWith("io.netty.channel.AbstractChannel$AnnotatedConnectException")) {
                String target = proxy != null ? "proxy " + proxy.uri() + " (for " + where + ")" : where;
                return new SourceFailure(proxy != null ? Reason.PROXY : Reason.UNREACHABLE, 0,
                        "cannot connect to " + target + ": " + c.getMessage(), t);
            }
        }
        return new SourceFailure(Reason.UNREACHABLE, 0, "GET " + uri + " failed: " + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + clean(t.getMessage(), proxy)), t);
    }

    private static String clean(String message, ChartSources.Proxy proxy) {
        if (message == null) {
            return "";
        }
        return proxy != null && proxy.password() != null && !proxy.password().isEmpty()
                ? message.replace(proxy.password(), "****") : message;
    }

    private io.vertx.core.Context context;

    private synchronized io.vertx.core.Context context() {
        if (context == null) {
            context = vertx.getOrCreateContext();
        }
        return context;
    }

    private synchronized HttpClient client(Tls tls) {
        if (closed) {
            throw new IllegalStateException("the manager is closed");
        }
        HttpClient c = clients.get(tls);
        if (c != null) {
            return c;
        }
        if (vertx == null) {
            // Daemon threads: a manager that is never closed must not keep the JVM alive. No file
            // caching: Vert.x would otherwise create a cache directory.
            vertx = Vertx.vertx(new VertxOptions().setUseDaemonThread(true).setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1)
                    .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        }
        HttpClientOptions o = new HttpClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.min(30_000, requestTimeout.toMillis())))
                .setKeepAlive(true).setMaxPoolSize(4).setVerifyHost(true).setTryUseCompression(true);
        if (tls.trustPem() != null) {
            o.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.trustPem())));
        }
        if (tls.certPem() != null) {
            o.setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(tls.certPem())).setKeyValue(Buffer.buffer(tls.keyPem())));
        }
        if (tls.insecure()) {
            o.setTrustAll(true).setVerifyHost(false);
        }
        try {
            c = vertx.createHttpClient(o);
        } catch (RuntimeException e) {
            // Bad PEM text: say which part, never its content.
            throw new SourceFailure(Reason.TLS, 0, "cannot use the TLS material (" + (tls.certPem() != null ? "client certificate/key" : "CA bundle")
                    + "): " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        clients.put(tls, c);
        if (clients.size() > MAX_CLIENTS) {
            // Rotated client certificates make new keys; the oldest client is closed so they do not pile up.
            var eldest = clients.entrySet().iterator().next();
            clients.remove(eldest.getKey());
            eldest.getValue().close();
        }
        LOG.debug("new HTTP client for chart sources: {}", tls);
        return c;
    }

    @Override
    public synchronized void close() {
        closed = true;
        clients.values().forEach(HttpClient::close);
        clients.clear();
        if (vertx != null) {
            vertx.close();
            vertx = null;
            context = null;
        }
    }

    /** Host keys ({@code host} or {@code host:port}) as configured in {@link ChartSources}. */
    static final class HostKeys {
        private HostKeys() {
        }

        static String authority(URI uri) {
            String host = uri.getHost() == null ? String.valueOf(uri) : uri.getHost().toLowerCase(Locale.ROOT);
            return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        }

        static boolean matches(Set<String> keys, URI uri) {
            if (keys.isEmpty() || uri.getHost() == null) {
                return false;
            }
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            return keys.contains(host) || keys.contains(authority(uri));
        }
    }
}
