package dev.helmsdk.core.internal.source;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.Deadline;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The versions chart sources list, for an upgrade advisor: a classic repository's index (one GET,
 * conditional once an index is cached: the ETag's 304 keeps the parsed copy) or an OCI registry's tag
 * list (one GET per page of tags, plus the auth challenge the first time). It keeps its own index cache
 * that revalidates on every call, so each run sees the repository as it is, and it never stands in an
 * earlier answer for a source that is down: that is what the advisor must report. Thread-safe.
 */
public final class VersionLookup implements AutoCloseable {

    /**
     * One version a source lists.
     *
     * @param version    as listed (an OCI tag's {@code _} read back as {@code +})
     * @param appVersion the index entry's appVersion, or {@code ""} (always for OCI: tag lists carry none)
     * @param changes    the index entry's {@code artifacthub.io/changes} annotation, or {@code ""}
     */
    public record Listed(String version, String appVersion, String changes) {
    }

    private final SourceHttp http;
    private final IndexCache indexes;
    private final ClassicRepositories repositories;
    private final OciRegistries registries;

    /**
     * @param sources   the repositories', registries' credentials, TLS and proxy settings
     * @param deadlines the deadline of the call on the calling thread, bounding each request
     */
    public VersionLookup(ChartSources sources, Supplier<Optional<Deadline>> deadlines) {
        this.http = new SourceHttp(sources, RemoteCharts.MAX_DOCUMENT_BYTES, deadlines);
        // TTL zero: every run asks the origin, conditionally, so a 304 costs one small round trip.
        this.indexes = new IndexCache(Duration.ZERO, Math.max(sources.indexCacheSize(), 1), Clock.systemUTC());
        this.repositories = new ClassicRepositories(sources, http, indexes, null, signal -> { });
        this.registries = new OciRegistries(sources, http, null, signal -> { });
    }

    /**
     * Checks a source's shape before any request: a repository or an OCI reference without tag or digest.
     *
     * @throws InvalidRequestException naming the reference and what would be valid
     */
    public void check(Operation op, ChartRef source) {
        if (source instanceof ChartRef.Oci oci) {
            registries.target(op, null, oci.reference(), oci.reference());
        } else if (!(source instanceof ChartRef.Repository)) {
            throw new InvalidRequestException(op, null, "chart source " + source.describe()
                    + " is local; an upgrade advisor needs ChartRef.repository(url, name, null) or ChartRef.oci(\"oci://host/path/chart\", null)");
        }
    }

    /**
     * What a source lists, as it is now: one request (per page of tags) whatever the number of charts asked of it.
     *
     * @param source a repository (all its charts share the one index) or an OCI reference
     * @param ctx    the context for the credential provider
     * @return the listing
     * @throws dev.helmsdk.api.ChartSourceException when the source is down or refuses the credentials
     * @throws dev.helmsdk.api.ChartNotFoundException when the source (an OCI repository) does not exist
     */
    public Listing list(Operation op, ChartRef source, Supplier<CredentialContext> ctx) {
        if (source instanceof ChartRef.Repository repo) {
            RepositoryIndex index = repositories.index(op, null, repo, ctx);
            return chart -> {
                Map<String, Listed> out = new LinkedHashMap<>();
                for (RepositoryIndex.Entry e : index.versions(chart)) {
                    out.putIfAbsent(e.version(), new Listed(e.version(), e.appVersion(), e.changes()));
                }
                return out;
            };
        }
        Map<String, Listed> tags = new LinkedHashMap<>();
        for (String tag : registries.tags(op, null, (ChartRef.Oci) source, ctx)) {
            if (OciRegistries.STRICT_TAG.matcher(tag).matches()) {
                String version = tag.replace('_', '+');
                tags.putIfAbsent(version, new Listed(version, "", ""));
            }
        }
        return chart -> tags;
    }

    /** What a source lists, by chart name (an OCI repository holds one chart, whatever the name asked). */
    @FunctionalInterface
    public interface Listing {
        /**
         * @param chart the chart's name in a repository's index
         * @return its versions by version text, in listed order; empty when the source does not list it
         */
        Map<String, Listed> versions(String chart);
    }

    /**
     * The key of the request a source costs: a repository's index URL (every chart of it shares the one
     * index), an OCI chart's reference (each has its own tag list).
     */
    public static String requestKey(ChartRef source) {
        if (source instanceof ChartRef.Repository repo) {
            String raw = repo.repositoryUrl().toString();
            return URI.create(raw.endsWith("/") ? raw : raw + "/").resolve("index.yaml").toString();
        }
        return source instanceof ChartRef.Oci oci ? oci.reference() : source.describe();
    }

    @Override
    public void close() {
        http.close();
    }
}
