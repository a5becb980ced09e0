package dev.helmsdk.core.internal.source;

import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.core.ChartSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fetches charts from classic Helm repositories: the {@code index.yaml} (through the
 * {@link IndexCache}, revalidated with ETag and Last-Modified), the version chosen in it, and the
 * archive it lists (through the {@link ArchiveCache}, checked against the index's digest).
 */
final class ClassicRepositories {

    // Logged under RemoteCharts, as before it was split, so existing log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCharts.class);

    private final ChartSources sources;
    private final SourceHttp http;
    private final IndexCache indexes;
    private final ArchiveCache archives;

    private final java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals;

    ClassicRepositories(ChartSources sources, SourceHttp http, IndexCache indexes, ArchiveCache archives, java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals) {
        this.signals = signals;
        this.sources = sources;
        this.http = http;
        this.indexes = indexes;
        this.archives = archives;
    }

    /** Resolves the version in the repository's index and downloads the archive. */
    RemoteCharts.Fetched fetch(Operation op, String release, ChartRef.Repository ref, Supplier<CredentialContext> ctx) {
        VersionConstraint wanted = VersionChoice.constraint(op, release, ref.version());
        String raw = ref.repositoryUrl().toString();
        URI base = URI.create(raw.endsWith("/") ? raw : raw + "/");
        SourceAccess access = new SourceAccess(sources, op, ref.repositoryUrl(), ctx, http.deadline(), signals);
        boolean everywhere = sources.passCredentialsToAllHosts();
        SourceHttp.Authorizer auth = target -> everywhere || SourceAccess.sameOrigin(target, base) ? access.preemptive() : null;
        URI indexUri = base.resolve("index.yaml");
        RepositoryIndex index;
        try {
            index = live(op, release, ref, access, auth, indexUri);
        } catch (ChartSourceException e) {
            index = staleOrThrow(op, indexUri, access, e);
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
                        + "' in repository " + base + "; available: " + VersionChoice.newest(byVersion.keySet()), null));
        RepositoryIndex.Entry entry = byVersion.get(chosen);
        if (entry.urls().isEmpty()) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, ref.repositoryUrl(), access.method,
                    "index entry " + ref.name() + " " + chosen + " in " + indexUri + " has no urls", null);
        }
        URI archiveUri = base.resolve(entry.urls().get(0));
        String digest = entry.digest() == null || entry.digest().isBlank() ? null : entry.digest().toLowerCase(Locale.ROOT);
        String shown = ref.version() != null && ref.version().trim().equals(chosen) ? ref.describe()
                : ref.describe() + " (resolved to version " + chosen + ")";
        Path archive = archives.download(op, release, access, archiveUri, digest, auth, ref.name() + "-" + chosen, shown);
        VersionChoice.logChoice(op, ref.describe(), ref.version(), chosen, access.method);
        return new RemoteCharts.Fetched(archive, ref.name(), chosen, digest, archiveUri.toString(), access.fetchResult(),
                new RemoteCharts.ProvenanceAt(URI.create(archiveUri + ".prov"), null));
    }

    /** The {@code .prov} at {@code uri} (beside the archive), with the repository's credentials; empty on 404. */
    java.util.Optional<byte[]> provenance(Operation op, ChartRef.Repository ref, URI uri, Supplier<CredentialContext> ctx) {
        String raw = ref.repositoryUrl().toString();
        URI base = URI.create(raw.endsWith("/") ? raw : raw + "/");
        SourceAccess access = new SourceAccess(sources, op, ref.repositoryUrl(), ctx, http.deadline(), signals);
        boolean everywhere = sources.passCredentialsToAllHosts();
        SourceHttp.Authorizer auth = target -> everywhere || SourceAccess.sameOrigin(target, base) ? access.preemptive() : null;
        try {
            SourceHttp.Response r = http.get(uri, Map.of(), access.tls, auth);
            if (r.status() == 404) {
                return java.util.Optional.empty();
            }
            if (r.status() != 200) {
                throw access.status(op, null, r, "provenance file");
            }
            return java.util.Optional.of(r.body());
        } catch (SourceFailure f) {
            throw access.fail(op, null, f);
        }
    }

    /**
     * The repository's index as it is now (a conditional GET when one is cached: 304 keeps it), with no
     * fallback to an earlier copy: what an upgrade advisor asks, which must report a repository that is down.
     */
    RepositoryIndex index(Operation op, String release, ChartRef.Repository ref, Supplier<CredentialContext> ctx) {
        String raw = ref.repositoryUrl().toString();
        URI base = URI.create(raw.endsWith("/") ? raw : raw + "/");
        SourceAccess access = new SourceAccess(sources, op, ref.repositoryUrl(), ctx, http.deadline(), signals);
        boolean everywhere = sources.passCredentialsToAllHosts();
        SourceHttp.Authorizer auth = target -> everywhere || SourceAccess.sameOrigin(target, base) ? access.preemptive() : null;
        return live(op, release, ref, access, auth, base.resolve("index.yaml"));
    }

    /** The index through the cache; every failure a typed {@link ChartSourceException}. */
    private RepositoryIndex live(Operation op, String release, ChartRef.Repository ref, SourceAccess access, SourceHttp.Authorizer auth,
                                 URI indexUri) {
        try {
            return indexes.get(indexUri, access.identity(), (uri, etag, since) -> {
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
            throw access.fail(op, release, f);
        } catch (IOException e) {
            throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, ref.repositoryUrl(), access.method,
                    "repository index " + indexUri + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * While a repository is down (unreachable, 5xx), the index last fetched with the same
     * credentials is used, with a warning: charts already in the archive cache still deploy. Never
     * after 401/403, so revoked credentials take effect at once.
     */
    private RepositoryIndex staleOrThrow(Operation op, URI indexUri, SourceAccess access, ChartSourceException failure) {
        if (!SourceAccess.outage(failure)) {
            throw failure;
        }
        RepositoryIndex stale = indexes.stale(indexUri, access.identity()).orElseThrow(() -> failure);
        access.fellBack();
        LOG.warn("{}: repository index {} could not be refreshed ({}); using the copy cached earlier", op.tag(), indexUri,
                failure.getMessage());
        return stale;
    }
}
