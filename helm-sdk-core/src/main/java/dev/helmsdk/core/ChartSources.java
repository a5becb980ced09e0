package dev.helmsdk.core;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.auth.CredentialChain;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How a manager reaches remote charts: credentials, trusted CAs, proxies, which hosts may use
 * plain HTTP or skip TLS verification, and the repository index cache. Immutable; build with
 * {@link #builder()} and pass to {@link HelmSdk.Builder#chartSources(ChartSources)}.
 *
 * <p>The SDK downloads every remote chart itself (classic repositories: {@code index.yaml}, then
 * the archive; OCI registries: tag list, manifest, then the chart layer, with the registry's basic
 * or token flow) and hands Helm a local, digest-checked archive. So every credential method works
 * for both kinds of source, credentials never reach Helm's own config files, and nothing is
 * written to the user's home directory.
 *
 * <p>Defaults: credentials from a {@link CredentialChain} of the providers registered with
 * {@link java.util.ServiceLoader} (environment, Helm's registry config, docker config, mounted
 * files), resolved anew for every operation so rotated secrets are used at once; the JVM's default
 * trust store; TLS verified; HTTPS only; no proxy; index cache TTL 60 s and 32 repositories.
 */
public final class ChartSources {

    /** Default time a repository index is used without asking the server again. */
    public static final Duration DEFAULT_INDEX_CACHE_TTL = Duration.ofSeconds(60);
    /** Default number of repository indexes kept. */
    public static final int DEFAULT_INDEX_CACHE_SIZE = 32;

    private final CredentialProvider credentials;
    private final String trustedCertificatesPem;
    private final Proxy httpsProxy;
    private final Proxy httpProxy;
    private final List<String> noProxy;
    private final Set<String> insecureHosts;
    private final Set<String> plainHttpHosts;
    private final Duration indexCacheTtl;
    private final int indexCacheSize;
    private final Duration requestTimeout;
    private final boolean passCredentialsToAllHosts;

    /**
     * A proxy: its URL ({@code http://host:port}) and optional Basic credentials.
     *
     * @param uri      the proxy's URL, without user info
     * @param username proxy user, or {@code null}
     * @param password proxy password, or {@code null}
     */
    public record Proxy(URI uri, String username, String password) {
        /** Validates the URL. */
        public Proxy {
            Objects.requireNonNull(uri, "uri");
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new InvalidRequestException(Operation.CONFIGURE, null,
                        "proxy URL must be http://host:port, was " + withoutUserInfo(uri));
            }
            if (uri.getRawUserInfo() != null) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "proxy URL " + withoutUserInfo(uri)
                        + " contains credentials; pass them with proxyCredentials(username, password)");
            }
        }

        /** The proxy's port (default 80 when the URL has none). */
        public int port() {
            return uri.getPort() < 0 ? 80 : uri.getPort();
        }

        /** Hides the password. */
        @Override
        public String toString() {
            return "Proxy[" + uri + (username == null ? "" : ", username=" + username + ", password=****") + "]";
        }
    }

    private ChartSources(Builder b) {
        this.credentials = b.credentials;
        this.trustedCertificatesPem = b.trustedCertificatesPem;
        this.httpsProxy = b.httpsProxy;
        this.httpProxy = b.httpProxy;
        this.noProxy = List.copyOf(b.noProxy);
        this.insecureHosts = Set.copyOf(b.insecureHosts);
        this.plainHttpHosts = Set.copyOf(b.plainHttpHosts);
        this.indexCacheTtl = b.indexCacheTtl;
        this.indexCacheSize = b.indexCacheSize;
        this.requestTimeout = b.requestTimeout;
        this.passCredentialsToAllHosts = b.passCredentialsToAllHosts;
    }

    /** A builder with the defaults described in the class documentation. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults described in the class documentation. */
    public static ChartSources defaults() {
        return builder().build();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.credentials = credentials;
        b.trustedCertificatesPem = trustedCertificatesPem;
        b.httpsProxy = httpsProxy;
        b.httpProxy = httpProxy;
        b.noProxy.addAll(noProxy);
        b.insecureHosts.addAll(insecureHosts);
        b.plainHttpHosts.addAll(plainHttpHosts);
        b.indexCacheTtl = indexCacheTtl;
        b.indexCacheSize = indexCacheSize;
        b.requestTimeout = requestTimeout;
        b.passCredentialsToAllHosts = passCredentialsToAllHosts;
        return b;
    }

    /** Where credentials come from (the discovered chain unless one was given). */
    public CredentialProvider credentials() {
        return credentials;
    }

    /** Extra CA certificates (PEM) trusted for every source, if configured. */
    public Optional<String> trustedCertificatesPem() {
        return Optional.ofNullable(trustedCertificatesPem);
    }

    /** The proxy for https:// and oci:// sources, if any. */
    public Optional<Proxy> httpsProxy() {
        return Optional.ofNullable(httpsProxy);
    }

    /** The proxy for http:// sources, if any. */
    public Optional<Proxy> httpProxy() {
        return Optional.ofNullable(httpProxy);
    }

    /** {@code NO_PROXY} entries: hosts reached directly. */
    public List<String> noProxy() {
        return noProxy;
    }

    /** Hosts ({@code host} or {@code host:port}) whose TLS certificate is not verified. */
    public Set<String> insecureHosts() {
        return insecureHosts;
    }

    /** Hosts ({@code host} or {@code host:port}) that may be reached over plain HTTP. */
    public Set<String> plainHttpHosts() {
        return plainHttpHosts;
    }

    /** How long a repository index is used without asking the server again. */
    public Duration indexCacheTtl() {
        return indexCacheTtl;
    }

    /** How many repository indexes are kept. */
    public int indexCacheSize() {
        return indexCacheSize;
    }

    /** The limit for one HTTP request (the operation's own timeout applies as well). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Whether a classic repository's credentials also go to archive URLs on other hosts (Helm's --pass-credentials). */
    public boolean passCredentialsToAllHosts() {
        return passCredentialsToAllHosts;
    }

    @Override
    public String toString() {
        return "ChartSources[credentials=" + credentials + ", trustedCertificates=" + (trustedCertificatesPem != null)
                + ", httpsProxy=" + httpsProxy + ", httpProxy=" + httpProxy + ", noProxy=" + noProxy
                + ", insecureHosts=" + insecureHosts + ", plainHttpHosts=" + plainHttpHosts
                + ", indexCacheTtl=" + indexCacheTtl + ", indexCacheSize=" + indexCacheSize
                + (passCredentialsToAllHosts ? ", passCredentialsToAllHosts" : "") + "]";
    }

    private static String withoutUserInfo(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "****@");
    }

    /** Builds {@link ChartSources}; not thread-safe. */
    public static final class Builder {
        private CredentialProvider credentials;
        private String trustedCertificatesPem;
        private Proxy httpsProxy;
        private Proxy httpProxy;
        private final List<String> noProxy = new ArrayList<>();
        private final Set<String> insecureHosts = new LinkedHashSet<>();
        private final Set<String> plainHttpHosts = new LinkedHashSet<>();
        private Duration indexCacheTtl = DEFAULT_INDEX_CACHE_TTL;
        private int indexCacheSize = DEFAULT_INDEX_CACHE_SIZE;
        private Duration requestTimeout = Duration.ofMinutes(2);
        private boolean passCredentialsToAllHosts;

        private Builder() {
        }

        /**
         * Sends a classic repository's credentials also to archive URLs (and redirects) on other
         * hosts, as Helm's {@code --pass-credentials} does. Off by default: an index may point
         * anywhere, and a CDN or object store must not receive the repository's password.
         */
        public Builder passCredentialsToAllHosts(boolean pass) {
            this.passCredentialsToAllHosts = pass;
            return this;
        }

        /**
         * Where credentials come from, typically a {@link CredentialChain} (which is itself a
         * provider). Asked once per operation and source; return empty for anonymous access.
         */
        public Builder credentials(CredentialProvider provider) {
            this.credentials = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Trusts the CA certificates in a PEM file for every source, instead of the JVM's trust store. */
        public Builder trustedCertificates(Path pemFile) {
            Objects.requireNonNull(pemFile, "pemFile");
            try {
                return trustedCertificatesPem(Files.readString(pemFile, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "cannot read CA bundle " + pemFile + ": " + e.getMessage());
            }
        }

        /** Trusts the CA certificates in a PEM text for every source, instead of the JVM's trust store. */
        public Builder trustedCertificatesPem(String pem) {
            Objects.requireNonNull(pem, "pem");
            if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "CA bundle must contain PEM certificates (-----BEGIN CERTIFICATE-----)");
            }
            this.trustedCertificatesPem = pem;
            return this;
        }

        /** Sends requests to every source (http and https) through this proxy, e.g. {@code http://proxy:3128}. */
        public Builder proxy(URI proxyUrl) {
            Objects.requireNonNull(proxyUrl, "proxyUrl");
            Proxy p = new Proxy(proxyUrl, null, null);
            this.httpsProxy = p;
            this.httpProxy = p;
            return this;
        }

        /** Basic credentials for the proxy (sent in CONNECT for https targets). Call after {@link #proxy}. */
        public Builder proxyCredentials(String username, String password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (httpsProxy == null && httpProxy == null) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "proxyCredentials needs a proxy; call proxy(URI) first");
            }
            if (username.isBlank()) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "proxy username must not be blank");
            }
            httpsProxy = httpsProxy == null ? null : new Proxy(httpsProxy.uri(), username, password);
            httpProxy = httpProxy == null ? null : new Proxy(httpProxy.uri(), username, password);
            return this;
        }

        /**
         * Hosts reached without the proxy, in {@code NO_PROXY} syntax: comma-separated host names
         * (matching the host and its subdomains), {@code .domain} (subdomains only), {@code host:port},
         * IP addresses, CIDR ranges ({@code 10.0.0.0/8}) or {@code *} (no proxy at all).
         */
        public Builder noProxy(String entries) {
            Objects.requireNonNull(entries, "entries");
            for (String e : entries.split(",")) {
                if (!e.isBlank()) {
                    noProxy.add(e.trim().toLowerCase(Locale.ROOT));
                }
            }
            return this;
        }

        /**
         * Takes the proxy settings from the environment as Helm and curl do: {@code HTTPS_PROXY},
         * {@code HTTP_PROXY} and {@code NO_PROXY} (or their lower-case forms); credentials in a
         * proxy URL's user info are used as proxy credentials.
         */
        public Builder proxyFromEnvironment() {
            return proxyFrom(System::getenv);
        }

        Builder proxyFrom(UnaryOperator<String> env) {
            httpsProxy = envProxy(env, "HTTPS_PROXY");
            httpProxy = envProxy(env, "HTTP_PROXY");
            String no = firstNonBlank(env.apply("NO_PROXY"), env.apply("no_proxy"));
            if (no != null) {
                noProxy(no);
            }
            return this;
        }

        private static Proxy envProxy(UnaryOperator<String> env, String name) {
            String value = firstNonBlank(env.apply(name), env.apply(name.toLowerCase(Locale.ROOT)));
            if (value == null) {
                return null;
            }
            URI uri;
            try {
                uri = URI.create(value.contains("://") ? value : "http://" + value);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, name + " is not a URL");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                password = parts.length > 1 ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
                uri = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
            }
            return new Proxy(uri, user, password);
        }

        private static String firstNonBlank(String a, String b) {
            return a != null && !a.isBlank() ? a.trim() : b != null && !b.isBlank() ? b.trim() : null;
        }

        /**
         * Skips TLS certificate verification for these hosts ({@code host} or {@code host:port}).
         * Only for tests and emergencies: every use is logged as a warning.
         */
        public Builder insecureSkipTlsVerify(String... hosts) {
            Objects.requireNonNull(hosts, "hosts");
            for (String h : hosts) {
                insecureHosts.add(hostKey(h));
            }
            return this;
        }

        /** Allows plain HTTP to these hosts ({@code host} or {@code host:port}); https is required otherwise. */
        public Builder plainHttp(String... hosts) {
            Objects.requireNonNull(hosts, "hosts");
            for (String h : hosts) {
                plainHttpHosts.add(hostKey(h));
            }
            return this;
        }

        private static String hostKey(String h) {
            if (h == null || h.isBlank() || h.contains("/")) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "expected host or host:port, was '" + h + "'");
            }
            return h.trim().toLowerCase(Locale.ROOT);
        }

        /** How long a repository index is used without asking the server (zero: revalidate every time, with ETag). */
        public Builder indexCacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.compareTo(Duration.ofDays(1)) > 0) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "index cache TTL must be between 0 and 24h, was " + ttl);
            }
            this.indexCacheTtl = ttl;
            return this;
        }

        /** How many repository indexes are kept (least recently used evicted); at least 1. */
        public Builder indexCacheSize(int repositories) {
            if (repositories < 1 || repositories > 10_000) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "index cache size must be between 1 and 10000, was " + repositories);
            }
            this.indexCacheSize = repositories;
            return this;
        }

        /** The limit for one HTTP request (default 2 minutes). */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "request timeout must be positive, was " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** Builds; discovers credential providers when none were given. */
        public ChartSources build() {
            if (credentials == null) {
                credentials = CredentialChain.builder().build();
            }
            return new ChartSources(this);
        }
    }
}
