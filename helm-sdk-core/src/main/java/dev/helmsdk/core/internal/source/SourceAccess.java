package dev.helmsdk.core.internal.source;

import dev.helmsdk.api.Retryability;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one call uses for one source: credentials (or none), TLS, and a label for messages; and the
 * typed errors for what the source answered, with our secrets kept out of them. Credentials are
 * asked of the provider once per call, so a rotated secret is used by the next operation.
 */
final class SourceAccess {

    // Logged under RemoteCharts, as before it was split, so existing log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCharts.class);

    private final ChartSources sources;
    final URI repository;
    final RepositoryCredentials credentials;
    final String missReason;
    final SourceHttp.Tls tls;
    final String method;
    private final java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals;
    /** What this call's chart came from, as {@link dev.helmsdk.api.spi.OperationSignal.ChartFetched} says it. */
    private volatile String fetchResult = "downloaded";

    /**
     * {@code deadline}: the calling operation's, which asking the provider is a phase of; {@code signals}: where
     * authentication failures are told, for the operation on the calling thread.
     */
    SourceAccess(ChartSources sources, Operation op, URI repository, Supplier<CredentialContext> ctx, Optional<Deadline> deadline,
                 java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals) {
        this.sources = sources;
        this.repository = repository;
        this.signals = signals;
        CredentialProvider provider = sources.credentials();
        RepositoryCredentials found = null;
        String miss = null;
        try {
            found = Deadline.during(deadline, dev.helmsdk.api.spi.OperationPhase.CREDENTIALS, "asking credential provider '" + provider.name() + "' for " + repository,
                    () -> provider.resolve(repository, ctx.get())).orElse(null);
        } catch (RuntimeException e) {
            if (deadline.isPresent() && deadline.get().expired()) {
                throw e;   // the operation's time ran out: its timeout, not anonymous access
            }
            // A broken provider must not leak its secret (messages are the provider's contract) nor stop anonymous access.
            miss = provider.name() + " failed: " + e.getMessage();
            authenticationFailed("provider_failed");
        }
        this.credentials = found;
        this.missReason = found != null ? null : miss;
        String trust = sources.trustedCertificatesPem().orElse(null);
        String cert = null;
        String key = null;
        if (found != null) {
            Optional<Credentials.TrustedCertificates> t = found.find(Credentials.TrustedCertificates.class);
            if (t.isPresent()) {
                trust = trust == null ? t.get().pem() : trust + "\n" + t.get().pem();
            }
            Optional<Credentials.ClientCertificate> c = found.find(Credentials.ClientCertificate.class);
            if (c.isPresent()) {
                cert = c.get().certificatePem();
                key = c.get().privateKeyPem();
            }
        }
        boolean insecure = SourceHttp.HostKeys.matches(sources.insecureHosts(), repository);
        if (insecure) {
            LOG.warn("{} of {}: TLS certificate verification is OFF for {} (ChartSources.insecureSkipTlsVerify)",
                    op.tag(), repository, SourceHttp.HostKeys.authority(repository));
        }
        this.tls = new SourceHttp.Tls(trust, cert, key, insecure);
        this.method = found == null ? "anonymous"
                : String.join("+", found.methods().stream().map(Credentials::method).toList()) + " from '" + found.source() + "'";
    }

    <T extends Credentials> Optional<T> find(Class<T> type) {
        return credentials == null ? Optional.empty() : credentials.find(type);
    }

    /** Authorization sent pre-emptively to the repository's own origin, as Helm does for Basic. */
    String preemptive() {
        Optional<Credentials.BearerToken> bearer = find(Credentials.BearerToken.class);
        if (bearer.isPresent()) {
            return "Bearer " + bearer.get().token();
        }
        return find(Credentials.BasicAuth.class).map(SourceAccess::basic).orElse(null);
    }

    /** Separates cached indexes by the credentials that fetched them, without keeping the secret. */
    String identity() {
        if (credentials == null) {
            return "anonymous";
        }
        return Digests.sha256(String.valueOf(preemptive()) + "\n" + tls.certPem()).substring(0, 16);
    }

    /**
     * The start of a server's error page, with our secrets masked: a server or proxy that
     * echoes the request (headers included) must not put them into an exception message.
     */
    String snippet(SourceHttp.Response r) {
        List<String> secrets = new ArrayList<>();
        find(Credentials.BasicAuth.class).ifPresent(b -> {
            secrets.add(basic(b).substring("Basic ".length()));
            secrets.add(b.password());
        });
        find(Credentials.BearerToken.class).ifPresent(t -> secrets.add(t.token()));
        return r.bodySnippet(text -> {
            for (String secret : secrets) {
                if (!secret.isEmpty()) {
                    text = text.replace(secret, Credentials.REDACTED);
                }
            }
            return text;
        });
    }

    ChartSourceException fail(Operation op, String release, SourceFailure f) {
        return new ChartSourceException(op, release, f.reason(), repository, method, f.getMessage(), f);
    }

    /** A typed error for an HTTP status other than success. */
    RuntimeException status(Operation op, String release, SourceHttp.Response r, String what) {
        int s = r.status();
        String prefix = what + " " + r.uri() + " answered " + s;
        if (s == 401) {
            authenticationFailed(what.startsWith("registry token") ? "token_exchange" : "unauthorized");
            String msg = credentials == null
                    ? prefix + ": the repository needs credentials and none were found for " + repository + ": "
                    + (missReason != null ? missReason : sources.credentials().explainMiss(repository))
                    : prefix + ": the repository rejected the credentials (" + method + "); check them (they are not shown)";
            return new ChartSourceException(op, release, Reason.UNAUTHORIZED, repository, method, msg, null);
        }
        if (s == 403) {
            authenticationFailed(what.startsWith("registry token") ? "token_exchange" : "forbidden");
            return new ChartSourceException(op, release, Reason.FORBIDDEN, repository, method, prefix
                    + ": the credentials (" + method + ") are valid but may not read this chart", null);
        }
        if (s == 407) {
            return new ChartSourceException(op, release, Reason.PROXY, repository, method, prefix
                    + ": the proxy needs credentials; set them with ChartSources.builder().proxyCredentials(...)", null);
        }
        if (s == 400 && new String(r.body(), StandardCharsets.UTF_8).contains("SSL certificate")) {
            // nginx with ssl_verify_client completes the handshake and answers 400 instead of failing TLS.
            return new ChartSourceException(op, release, Reason.TLS, repository, method, prefix
                    + ": the server requires a TLS client certificate it accepts" + snippet(r)
                    + (tls.certPem() == null ? "; none was configured for this repository" : "; it refused the one configured"), null);
        }
        if (s == 404) {
            return new ChartNotFoundException(op, release, prefix + " (not found)", null);
        }
        if (Retryability.ofHttpStatus(s)) {
            return new ChartSourceException(op, release, Reason.SERVER_ERROR, repository, method, prefix + snippet(r), null);
        }
        return new ChartSourceException(op, release, Reason.INVALID_CONTENT, repository, method, prefix + snippet(r), null);
    }

    /** Tells the operation's interceptors the source refused us: its host only, never the path or user info. */
    private void authenticationFailed(String reason) {
        signals.accept(new dev.helmsdk.api.spi.OperationSignal.AuthenticationFailed(host(repository), reason));
    }

    /** A URI's host in lower case, without port, path or user info; {@code unknown} when it has none. */
    static String host(URI uri) {
        String h = uri.getHost();
        return h == null ? "unknown" : h.toLowerCase(java.util.Locale.ROOT);
    }

    /** The chart's archive was already in the cache. */
    void archiveWasCached() {
        if (!"fallback".equals(fetchResult)) {
            fetchResult = "cached";
        }
    }

    /** The source was down and an earlier answer stood in. */
    void fellBack() {
        fetchResult = "fallback";
    }

    /** {@code downloaded}, {@code cached} or {@code fallback}. */
    String fetchResult() {
        return fetchResult;
    }

    /** Whether a failure means the source is down (then earlier answers may stand in), not that it refused us. */
    static boolean outage(ChartSourceException failure) {
        return failure.retryable();
    }

    static String basic(Credentials.BasicAuth b) {
        return "Basic " + Base64.getEncoder().encodeToString((b.username() + ":" + b.password()).getBytes(StandardCharsets.UTF_8));
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }
}
