package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Retryability;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import dev.helmsdk.core.ChartSources;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads remote charts into a local, digest-checked archive for Helm: classic repositories
 * ({@code index.yaml} through the {@link IndexCache}, then the archive) and OCI registries (tag list,
 * manifest, chart layer, with the registry's Basic or token flow). Credentials are asked of the
 * provider once per call, so a rotated secret is used by the next operation. Thread-safe.
 */
public final class RemoteCharts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteCharts.class);
    /** Charts larger than this are refused (Helm's own limit for a chart archive is 20 MiB). */
    static final long MAX_ARCHIVE_BYTES = 20L << 20;
    /** Indexes and manifests: generous, but bounded so a misbehaving server cannot exhaust the heap. */
    static final long MAX_DOCUMENT_BYTES = 64L << 20;
    /** Archives kept in the cache directory. */
    static final int MAX_ARCHIVES = 64;
    /** An archive used this recently is never pruned. */
    static final java.time.Duration ARCHIVE_GRACE = java.time.Duration.ofMinutes(10);
    static final String HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private static final String MANIFEST_ACCEPT = "application/vnd.oci.image.manifest.v1+json";
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** A chart ready for Helm. */
    public record Fetched(Path archive, String name, String version, String digest, String source) {
    }

    private final ChartSources sources;
    private final SourceHttp http;
    private final IndexCache indexes;
    private final Path cacheDir;
    private final ObjectMapper json = new ObjectMapper();
    private final MeterRegistry registry;

    public RemoteCharts(ChartSources sources, Path cacheDir) {
        this(sources, cacheDir, null);
    }

    /**
     * @param registry where to record {@code helm.sdk.chart.fetch} (timer; tags {@code source}
     *                 repository|oci and {@code outcome} success|not_found|invalid_request|the
     *                 {@link Reason} in lower case) and {@code helm.sdk.chart.index} (counter of
     *                 index lookups; tag {@code result} hit|revalidated|downloaded), or {@code null}
     */
    public RemoteCharts(ChartSources sources, Path cacheDir, MeterRegistry registry) {
        this.sources = sources;
        this.http = new SourceHttp(sources, MAX_DOCUMENT_BYTES);
        this.indexes = new IndexCache(sources.indexCacheTtl(), sources.indexCacheSize(), Clock.systemUTC());
        this.cacheDir = cacheDir;
        this.registry = registry;
        if (registry != null) {
            FunctionCounter.builder("helm.sdk.chart.index", indexes, IndexCache::hits).tag("result", "hit")
                    .description("repository index lookups answered from the cache").register(registry);
            FunctionCounter.builder("helm.sdk.chart.index", indexes, IndexCache::revalidations).tag("result", "revalidated")
                    .description("repository index lookups answered 304 Not Modified").register(registry);
            FunctionCounter.builder("helm.sdk.chart.index", indexes, IndexCache::downloads).tag("result", "downloaded")
                    .description("repository indexes downloaded and parsed").register(registry);
        }
    }

    /** Times a fetch and tags its outcome. */
    private Fetched timed(String source, Supplier<Fetched> fetch) {
        long start = System.nanoTime();
        String outcome = "success";
        try {
            return fetch.get();
        } catch (ChartSourceException e) {
            outcome = e.reason().name().toLowerCase(Locale.ROOT);
            throw e;
        } catch (ChartNotFoundException e) {
            outcome = "not_found";
            throw e;
        } catch (InvalidRequestException e) {
            outcome = "invalid_request";
            throw e;
        } catch (RuntimeException e) {
            outcome = "error";
            throw e;
        } finally {
            if (registry != null) {
                Timer.builder("helm.sdk.chart.fetch").tag("source", source).tag("outcome", outcome)
                        .description("resolving and downloading a remote chart").register(registry)
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The index cache (tests and metrics). */
    public IndexCache indexCache() {
        return indexes;
    }

    // ---- per-call credentials and TLS -----------------------------------------------------------

    /** What one call uses for one source: credentials (or none), TLS, and a label for messages. */
    private final class Access {
        final URI repository;
        final RepositoryCredentials credentials;
        final String missReason;
        final SourceHttp.Tls tls;
        final String method;

        Access(Operation op, URI repository, Supplier<CredentialContext> ctx) {
            this.repository = repository;
            CredentialProvider provider = sources.credentials();
            RepositoryCredentials found = null;
            String miss = null;
            try {
                found = provider.resolve(repository, ctx.get()).orElse(null);
            } catch (RuntimeException e) {
                // A broken provider must not leak its secret (messages are the provider's contract) nor stop anonymous access.
                miss = provider.name() + " failed: " + e.getMessage();
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
            return find(Credentials.BasicAuth.class).map(RemoteCharts::basic).orElse(null);
        }

        /** Separates cached indexes by the credentials that fetched them, without keeping the secret. */
        String identity() {
            if (credentials == null) {
                return "anonymous";
            }
            return sha256(String.valueOf(preemptive()) + "\n" + tls.certPem()).substring(0, 16);
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
                String msg = credentials == null
                        ? prefix + ": the repository needs credentials and none were found for " + repository + ": "
                        + (missReason != null ? missReason : sources.credentials().explainMiss(repository))
                        : prefix + ": the repository rejected the credentials (" + method + "); check them (they are not shown)";
                return new ChartSourceException(op, release, Reason.UNAUTHORIZED, repository, method, msg, null);
            }
            if (s == 403) {
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
    }

    private static String basic(Credentials.BasicAuth b) {
        return "Basic " + Base64.getEncoder().encodeToString((b.username() + ":" + b.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }

    private static VersionConstraint constraint(Operation op, String release, String version) {
        if (version == null || version.isBlank()) {
            return VersionConstraint.latest();
        }
        try {
            return VersionConstraint.parse(version);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(op, release, e.getMessage()
                    + "; use an exact version (1.2.3) or a constraint such as '>=1.2 <2.0', '~1.4' or '^2'");
        }
    }

    // ---- classic repositories -------------------------------------------------------------------

    /** Resolves the version in the repository's index and downloads the archive. */
    public Fetched fetch(Operation op, String release, ChartRef.Repository ref, Supplier<CredentialContext> ctx) {
        return timed("repository", () -> fetchFromRepository(op, release, ref, ctx));
    }

    private Fetched fetchFromRepository(Operation op, String release, ChartRef.Repository ref, Supplier<CredentialContext> ctx) {
        VersionConstraint wanted = constraint(op, release, ref.version());
        String raw = ref.repositoryUrl().toString();
        URI base = URI.create(raw.endsWith("/") ? raw : raw + "/");
        Access access = new Access(op, ref.repositoryUrl(), ctx);
        boolean everywhere = sources.passCredentialsToAllHosts();
        SourceHttp.Authorizer auth = target -> everywhere || sameOrigin(target, base) ? access.preemptive() : null;
        URI indexUri = base.resolve("index.yaml");
        RepositoryIndex index;
        try {
            index = indexes.get(indexUri, access.identity(), (uri, etag, since) -> {
                Map<String, String> h = new LinkedHashMap<>();
                if (etag != null) {
                    h.put("If-None-Match", etag);
                }
                if (since != null) {
                    h.put("If-Modified-Since", since);
                }
                SourceHttp.Response r = http.get(uri, h, access.tls, auth);
                if (r.status() == 304) {
                    return new IndexCache.Fetched.NotModified();
                }
                if (r.status() != 200) {
                    throw access.status(op, release, r, "repository index");
                }
                return new IndexCache.Fetched.Ok(new ByteArrayInputStream(r.body()), r.header("etag"), r.header("last-modified"));
            });
        } catch (SourceFailure f) {
            index = staleOrThrow(op, indexUri, access, access.fail(op, release, f));
        } catch (ChartSourceException e) {
            index = staleOrThrow(op, indexUri, access, e);
        } catch (IOException e) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, ref.repositoryUrl(), access.method,
                    "repository index " + indexUri + " cannot be read: " + e.getMessage(), e);
        }
        List<RepositoryIndex.Entry> versions = index.versions(ref.name());
        if (versions.isEmpty()) {
            throw new ChartNotFoundException(op, release, "chart '" + ref.name() + "' not found in repository " + base
                    + " (its index lists " + index.chartNames().size() + " charts)", null);
        }
        Map<String, RepositoryIndex.Entry> byVersion = new LinkedHashMap<>();
        versions.forEach(e -> byVersion.putIfAbsent(e.version(), e));
        // As Helm does: an entry spelled exactly like the request wins even over a higher match ("1.2" before "1.2.5").
        String literal = ref.version() == null ? null : ref.version().trim();
        String chosen = literal != null && byVersion.containsKey(literal) ? literal : wanted.highest(byVersion.keySet()).orElseThrow(() -> new ChartNotFoundException(op, release,
                "chart '" + ref.name() + "' has no version matching '" + (ref.version() == null ? "latest stable" : ref.version())
                        + "' in repository " + base + "; available: " + newest(byVersion.keySet()), null));
        RepositoryIndex.Entry entry = byVersion.get(chosen);
        if (entry.urls().isEmpty()) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, ref.repositoryUrl(), access.method,
                    "index entry " + ref.name() + " " + chosen + " in " + indexUri + " has no urls", null);
        }
        URI archiveUri = base.resolve(entry.urls().get(0));
        String digest = entry.digest() == null || entry.digest().isBlank() ? null : entry.digest().toLowerCase(Locale.ROOT);
        String shown = ref.version() != null && ref.version().trim().equals(chosen) ? ref.describe()
                : ref.describe() + " (resolved to version " + chosen + ")";
        Path archive = download(op, release, access, archiveUri, digest, auth, ref.name() + "-" + chosen, shown);
        logChoice(op, ref.describe(), ref.version(), chosen, access.method);
        return new Fetched(archive, ref.name(), chosen, digest, archiveUri.toString());
    }

    /**
     * While a repository is down (unreachable, 5xx), the index last fetched with the same
     * credentials is used, with a warning: charts already in the archive cache still deploy. Never
     * after 401/403, so revoked credentials take effect at once.
     */
    private RepositoryIndex staleOrThrow(Operation op, URI indexUri, Access access, ChartSourceException failure) {
        if (!outage(failure)) {
            throw failure;
        }
        RepositoryIndex stale = indexes.stale(indexUri, access.identity()).orElseThrow(() -> failure);
        LOG.warn("{}: repository index {} could not be refreshed ({}); using the copy cached earlier", op.tag(), indexUri,
                failure.getMessage());
        return stale;
    }

    /** Whether a failure means the source is down (then earlier answers may stand in), not that it refused us: the retryable ones. */
    private static boolean outage(ChartSourceException failure) {
        return failure.retryable();
    }

    /** Last tag lists and manifests seen per registry repository and credential identity, for outages. */
    private final Map<String, Object> lastKnown = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > 256;
        }
    };

    /**
     * The registry's answer, remembered; while the registry is down (unreachable, 5xx) the answer
     * last seen with the same credentials is used, with a warning, as for classic indexes, so a
     * chart whose layer is in the archive cache still deploys. Never after 401/403.
     */
    @SuppressWarnings("unchecked")
    private <T> T orLastKnown(Operation op, String release, Access access, String key, String what, Supplier<T> live) {
        ChartSourceException failure;
        try {
            T value = live.get();
            synchronized (lastKnown) {
                lastKnown.put(key, value);
            }
            return value;
        } catch (SourceFailure f) {
            failure = access.fail(op, release, f);
        } catch (ChartSourceException e) {
            failure = e;
        }
        if (!outage(failure)) {
            throw failure;
        }
        Object known;
        synchronized (lastKnown) {
            known = lastKnown.get(key);
        }
        if (known == null) {
            throw failure;
        }
        LOG.warn("{}: {} could not be refreshed ({}); using the copy seen earlier", op.tag(), what, failure.getMessage());
        return (T) known;
    }

    private static String newest(java.util.Collection<String> versions) {
        List<SemVer> parsed = new ArrayList<>();
        versions.forEach(v -> SemVer.parse(v).ifPresent(parsed::add));
        parsed.sort(java.util.Comparator.reverseOrder());
        List<String> shown = parsed.stream().limit(10).map(SemVer::original).toList();
        return String.join(", ", shown) + (parsed.size() > shown.size() ? ", ... (" + parsed.size() + " in all)" : "");
    }

    private void logChoice(Operation op, String ref, String requested, String chosen, String method) {
        LOG.info("{}: chart {} resolved {} to version {} ({})", op.tag(), ref,
                requested == null ? "latest" : "'" + requested + "'", chosen, method);
    }

    /** The archive check for downloads: the default limits, within the download limit. */
    static final ChartArchives.Limits ARCHIVE_LIMITS = ChartArchives.DEFAULT.withMaxCompressedBytes(MAX_ARCHIVE_BYTES);

    /**
     * Downloads (or reuses, by digest) an archive; verifies the digest when one is known and checks
     * the archive ({@link ChartArchives}) before a byte of it is stored, so a refused archive
     * leaves nothing in the cache. A cached archive is checked again on every use (digest and
     * content; a few milliseconds): one that was corrupted on disk is deleted and fetched again.
     *
     * @param chart the chart as the user named it, for messages (never a cache file name)
     */
    private Path download(Operation op, String release, Access access, URI uri, String digest, SourceHttp.Authorizer auth,
                          String label, String chart) {
        Path tmp = null;
        try {
            Files.createDirectories(cacheDir);
            if (digest != null) {
                Path cached = cacheDir.resolve("sha256-" + digest + ".tgz");
                if (Files.isRegularFile(cached)) {
                    Optional<String> damage = damage(cached, digest);
                    if (damage.isEmpty()) {
                        // Marks it recently used, so pruning keeps it.
                        Files.setLastModifiedTime(cached, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
                        return cached;
                    }
                    LOG.warn("{}: the cached archive of chart {} is damaged ({}); fetching it again", op.tag(), chart, damage.get());
                    Files.deleteIfExists(cached);
                }
            }
            SourceHttp.Response r = http.get(uri, Map.of(), access.tls, auth);
            if (r.status() != 200) {
                throw access.status(op, release, r, "chart archive");
            }
            if (r.body().length > MAX_ARCHIVE_BYTES) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "chart archive " + uri + " is " + r.body().length + " bytes, more than Helm's limit of " + MAX_ARCHIVE_BYTES, null);
            }
            String actual = sha256(r.body());
            if (digest != null && !digest.equals(actual)) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "chart archive " + uri + " has digest sha256:" + actual + " but the repository lists sha256:" + digest
                                + "; the archive was changed or corrupted, nothing was installed", null);
            }
            try {
                ChartArchives.check(r.body(), ARCHIVE_LIMITS);
            } catch (ChartArchives.Refused refused) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "chart " + chart + " was refused (archive " + uri + "): " + refused.getMessage()
                                + "; it was neither stored nor given to Helm, and nothing was sent to the cluster", refused);
            }
            Path target = cacheDir.resolve("sha256-" + actual + ".tgz");
            tmp = Files.createTempFile(cacheDir, label.replaceAll("[^A-Za-z0-9._-]", "_") + "-", ".part");
            Files.write(tmp, r.body());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            prune();
            return target;
        } catch (SourceFailure f) {
            throw access.fail(op, release, f);
        } catch (IOException e) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                    "cannot store chart archive from " + uri + " in " + cacheDir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.debug("could not delete {}: {}", tmp, e.toString());
                }
            }
        }
    }

    /** Why a cached archive can no longer be used (its digest or its content), or empty when it can. */
    private static Optional<String> damage(Path cached, String digest) {
        try {
            if (Files.size(cached) > MAX_ARCHIVE_BYTES) {
                return Optional.of("larger than " + MAX_ARCHIVE_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(cached);
            if (!digest.equals(sha256(bytes))) {
                return Optional.of("its digest is no longer sha256:" + digest);
            }
            ChartArchives.check(bytes, ARCHIVE_LIMITS);
            return Optional.empty();
        } catch (ChartArchives.Refused e) {
            return Optional.of(e.getMessage());
        } catch (IOException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    /**
     * Keeps the archive cache bounded (it lives as long as the work directory, which a caller may
     * keep across restarts): beyond {@link #MAX_ARCHIVES}, the least recently used are deleted,
     * but never one used in the last {@link #ARCHIVE_GRACE} (Helm may be reading it).
     */
    private void prune() {
        try (var files = Files.list(cacheDir)) {
            List<Path> archives = files.filter(f -> f.getFileName().toString().startsWith("sha256-")).toList();
            if (archives.size() <= MAX_ARCHIVES) {
                return;
            }
            long cutoff = System.currentTimeMillis() - ARCHIVE_GRACE.toMillis();
            Map<Path, Long> used = new LinkedHashMap<>();
            for (Path a : archives) {
                used.put(a, Files.getLastModifiedTime(a).toMillis());
            }
            List<Path> oldestFirst = used.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
            for (int i = 0; i < oldestFirst.size() - MAX_ARCHIVES; i++) {
                if (used.get(oldestFirst.get(i)) < cutoff) {
                    Files.deleteIfExists(oldestFirst.get(i));
                }
            }
        } catch (IOException e) {
            LOG.debug("could not prune the chart archive cache in {}: {}", cacheDir, e.toString());
        }
    }

    // ---- OCI registries -------------------------------------------------------------------------

    /** Resolves the tag (listing tags for a constraint) and downloads the chart layer. */
    public Fetched fetch(Operation op, String release, ChartRef.Oci ref, Supplier<CredentialContext> ctx) {
        return timed("oci", () -> fetchFromRegistry(op, release, ref, ctx));
    }

    private static final Pattern PINNED = Pattern.compile("(.+)@(sha256:[0-9a-fA-F]{64})");
    /** Tags Helm accepts as chart versions (its StrictNewVersion, with '+' stored as '_'). */
    private static final Pattern STRICT_TAG = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(_[0-9A-Za-z.-]+)?");

    private Fetched fetchFromRegistry(Operation op, String release, ChartRef.Oci ref, Supplier<CredentialContext> ctx) {
        String reference = ref.reference();
        String pinned = null;
        Matcher pin = PINNED.matcher(reference);
        if (pin.matches()) {
            // oci://host/path/chart@sha256:...: the manifest is fetched by digest and checked against it.
            reference = pin.group(1);
            pinned = pin.group(2).toLowerCase(Locale.ROOT);
        }
        VersionConstraint wanted = pinned != null && ref.version() == null ? VersionConstraint.latest() : constraint(op, release, ref.version());
        String rest = reference.substring("oci://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.contains("@")) {
            throw new InvalidRequestException(op, release, "OCI reference " + ref.reference()
                    + " must be oci://host[:port]/path/chart, optionally followed by @sha256:<64 hex digits>");
        }
        String authority = rest.substring(0, slash);
        String repository = rest.substring(slash + 1).replaceAll("/+$", "");
        URI probe = URI.create("https://" + authority + "/");
        String scheme = http.plainHttpAllowed(probe) ? "http" : "https";
        URI registry = URI.create(scheme + "://" + authority + "/");
        Access access = new Access(op, URI.create(reference), ctx);
        OciSession session = new OciSession(op, release, access, registry, repository);
        String chartName = repository.substring(repository.lastIndexOf('/') + 1);
        try {
            String manifestRef;
            if (pinned != null) {
                manifestRef = pinned;
            } else if (ref.version() != null && wanted.isExact()) {
                manifestRef = wanted.exactVersion().orElseThrow().replace('+', '_');
            } else {
                Map<String, String> versionToTag = new LinkedHashMap<>();
                String tagsKey = registry.getAuthority() + "/" + repository + " " + access.identity();
                for (String t : orLastKnown(op, release, access, tagsKey, "tag list of " + reference, session::tags)) {
                    if (STRICT_TAG.matcher(t).matches()) {
                        // Helm stores '+' (not allowed in OCI tags) as '_'.
                        versionToTag.putIfAbsent(t.replace('_', '+'), t);
                    }
                }
                String chosen = wanted.highest(versionToTag.keySet()).orElseThrow(() -> new ChartNotFoundException(op, release,
                        "chart " + ref.reference() + " has no tag matching '" + (ref.version() == null ? "latest stable" : ref.version())
                                + "'; available: " + (versionToTag.isEmpty() ? "none" : newest(versionToTag.keySet())), null));
                manifestRef = versionToTag.get(chosen);
            }
            String tagOrDigest = manifestRef;
            String effectivePin = pinned;
            JsonNode manifest = orLastKnown(op, release, access, registry.getAuthority() + "/" + repository + ":" + tagOrDigest + " " + access.identity(),
                    "manifest of " + reference + ":" + tagOrDigest, () -> session.manifest(tagOrDigest, effectivePin));
            String digest = null;
            long size = -1;
            for (JsonNode layer : manifest.path("layers")) {
                if (HELM_LAYER.equals(layer.path("mediaType").asText())) {
                    digest = layer.path("digest").asText();
                    size = layer.path("size").asLong(-1);
                }
            }
            String shown = reference + (pinned != null ? "@" + pinned : ":" + manifestRef);
            if (digest == null || !digest.startsWith("sha256:")) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        shown + " is not a Helm chart (no " + HELM_LAYER + " layer with a sha256 digest)", null);
            }
            if (size > MAX_ARCHIVE_BYTES) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "chart layer of " + shown + " is " + size + " bytes, more than Helm's limit", null);
            }
            String hex = digest.substring("sha256:".length()).toLowerCase(Locale.ROOT);
            URI blob = registry.resolve("/v2/" + repository + "/blobs/" + digest);
            Path archive = download(op, release, access, blob, hex, session.authorizer(), chartName + "-" + manifestRef.replace(':', '-'),
                    ref.version() == null || pinned != null || ref.version().trim().equals(manifestRef) ? shown
                            : ref.describe() + " (tag " + manifestRef + ")");
            String version = pinned == null ? manifestRef.replace('_', '+') : ChartMetadata.read(archive).getOrDefault("version", "");
            if (pinned != null && ref.version() != null && !SemVer.parse(version).map(wanted::matches).orElse(false)) {
                throw new ChartNotFoundException(op, release, shown + " holds version " + version + ", which does not match '"
                        + ref.version() + "'", null);
            }
            logChoice(op, ref.reference(), ref.version(), version, access.method);
            return new Fetched(archive, chartName, version, hex, shown);
        } catch (SourceFailure f) {
            throw access.fail(op, release, f);
        }
    }

    /**
     * One call's conversation with a registry: the Distribution spec's auth challenge. Basic
     * challenges are answered with the Basic credentials; Bearer challenges by asking the token
     * service named in the challenge (with the Basic credentials, or anonymously) for a pull token.
     * A bearer token from the credentials is sent as the registry token; when the registry refuses
     * it with a Bearer challenge, it is exchanged at the token service as an OAuth2 refresh token
     * (docker's {@code identitytoken}).
     */
    private final class OciSession {
        private final Operation op;
        private final String release;
        private final Access access;
        private final URI registry;
        private final String repository;
        private String authorization;
        private boolean refreshed;

        OciSession(Operation op, String release, Access access, URI registry, String repository) {
            this.op = op;
            this.release = release;
            this.access = access;
            this.registry = registry;
            this.repository = repository;
            this.authorization = access.find(Credentials.BearerToken.class).map(t -> "Bearer " + t.token()).orElse(null);
        }

        SourceHttp.Authorizer authorizer() {
            // Blob downloads are often redirected to storage on another host, which must not get our token.
            return target -> sameOrigin(target, registry) ? authorization : null;
        }

        List<String> tags() {
            List<String> all = new ArrayList<>();
            URI next = registry.resolve("/v2/" + repository + "/tags/list?n=1000");
            for (int page = 0; next != null && page < 100; page++) {
                SourceHttp.Response r = get(next, Map.of("Accept", "application/json"), "tag list");
                if (r.status() == 404) {
                    throw new ChartNotFoundException(op, release, "chart oci://" + registry.getAuthority() + "/" + repository
                            + " not found in the registry (tag list answered 404)", null);
                }
                try {
                    for (JsonNode t : json.readTree(r.body()).path("tags")) {
                        all.add(t.asText());
                    }
                } catch (IOException e) {
                    throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                            "tag list of " + repository + " is not JSON: " + e.getMessage(), e);
                }
                next = nextPage(r);
            }
            return all;
        }

        private URI nextPage(SourceHttp.Response r) {
            String link = r.header("link");
            if (link == null) {
                return null;
            }
            Matcher m = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?").matcher(link);
            return m.find() ? r.uri().resolve(m.group(1)) : null;
        }

        /** The manifest by tag or digest; with {@code pinned}, its bytes must hash to that digest. */
        JsonNode manifest(String tagOrDigest, String pinned) {
            SourceHttp.Response r = get(registry.resolve("/v2/" + repository + "/manifests/" + tagOrDigest), Map.of("Accept", MANIFEST_ACCEPT), "manifest");
            if (r.status() == 404) {
                throw new ChartNotFoundException(op, release, "chart oci://" + registry.getAuthority() + "/" + repository
                        + " has no " + (pinned != null ? "manifest " + pinned : "version " + tagOrDigest.replace('_', '+'))
                        + " (manifest answered 404)", null);
            }
            if (pinned != null && !pinned.equals("sha256:" + sha256(r.body()))) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "manifest of " + repository + "@" + pinned + " has digest sha256:" + sha256(r.body())
                                + "; the registry returned something else than the pinned digest, nothing was installed", null);
            }
            try {
                return json.readTree(r.body());
            } catch (IOException e) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "manifest " + repository + ":" + tagOrDigest + " is not JSON: " + e.getMessage(), e);
            }
        }

        /** GET with the current authorization, answering one auth challenge; 2xx and 404 are returned. */
        private SourceHttp.Response get(URI uri, Map<String, String> headers, String what) {
            SourceHttp.Response r = http.get(uri, headers, access.tls, authorizer());
            if (r.status() == 401 && answer(r.header("www-authenticate"))) {
                r = http.get(uri, headers, access.tls, authorizer());
            }
            if (r.status() / 100 == 2 || r.status() == 404) {
                return r;
            }
            throw access.status(op, release, r, what);
        }

        /** Sets {@link #authorization} from a challenge; false when there is nothing (new) to answer with. */
        private boolean answer(String challenge) {
            if (challenge == null) {
                return false;
            }
            String scheme = challenge.trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            Optional<Credentials.BasicAuth> basic = access.find(Credentials.BasicAuth.class);
            if (scheme.equals("basic")) {
                if (basic.isEmpty() || basic().equals(authorization)) {
                    return false;
                }
                authorization = basic();
                return true;
            }
            if (!scheme.equals("bearer")) {
                return false;
            }
            Map<String, String> params = new LinkedHashMap<>();
            Matcher m = CHALLENGE_PARAM.matcher(challenge);
            while (m.find()) {
                params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
            String realm = params.get("realm");
            if (realm == null) {
                return false;
            }
            String scope = params.getOrDefault("scope", "repository:" + repository + ":pull");
            StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
            if (params.containsKey("service")) {
                q.append("service=").append(java.net.URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
            }
            q.append("scope=").append(java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8));
            URI tokenUri = URI.create(q.toString());
            Optional<Credentials.BearerToken> identity = access.find(Credentials.BearerToken.class);
            SourceHttp.Response t;
            if (identity.isPresent() && basic.isEmpty()) {
                if (refreshed) {
                    return false;
                }
                // The token was refused as a registry token: it is an identity (OAuth2 refresh) token,
                // as docker's identitytoken is; exchange it as docker does.
                refreshed = true;
                Map<String, String> form = new LinkedHashMap<>();
                form.put("grant_type", "refresh_token");
                form.put("refresh_token", identity.get().token());
                form.put("client_id", "helm-sdk");
                if (params.containsKey("service")) {
                    form.put("service", params.get("service"));
                }
                form.put("scope", scope);
                t = http.postForm(URI.create(realm), form, access.tls);
            } else {
                String login = basic.map(RemoteCharts::basic).orElse(null);
                t = http.get(tokenUri, Map.of("Accept", "application/json"), access.tls, target -> login);
            }
            if (t.status() != 200) {
                throw access.status(op, release, t, "registry token service");
            }
            try {
                JsonNode body = json.readTree(t.body());
                String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
                if (token == null || token.isBlank()) {
                    throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                            "registry token service " + realm + " returned no token", null);
                }
                String next = "Bearer " + token;
                if (next.equals(authorization)) {
                    return false;
                }
                authorization = next;
                return true;
            } catch (IOException e) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "registry token service " + realm + " answered with something that is not JSON", e);
            }
        }

        private String basic() {
            return access.find(Credentials.BasicAuth.class).map(RemoteCharts::basic).orElse(null);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
