package dev.helmsdk.core.internal.source;

import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.internal.Deadline;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Downloads remote charts into a local, digest-checked archive for Helm: classic repositories
 * ({@code index.yaml} through the {@link IndexCache}, then the archive) and OCI registries (tag list,
 * manifest, chart layer, with the registry's Basic or token flow). Credentials are asked of the
 * provider once per call, so a rotated secret is used by the next operation. Thread-safe.
 *
 * <p>The façade {@code ChartSource} calls: the work is done by {@link ClassicRepositories},
 * {@link OciRegistries} and the {@link ArchiveCache} they share; this class times each fetch.
 */
public final class RemoteCharts implements AutoCloseable {

    /** Indexes and manifests: generous, but bounded so a misbehaving server cannot exhaust the heap. */
    static final long MAX_DOCUMENT_BYTES = 64L << 20;

    /**
     * A chart ready for Helm.
     *
     * @param result {@code downloaded}, {@code cached} (the archive was already here) or {@code fallback}
     *               (the source was down; an answer seen earlier stood in)
     */
    public record Fetched(Path archive, String name, String version, String digest, String source, String result,
                          ProvenanceAt provenance) {
    }

    /**
     * Where a fetched chart's {@code .prov} is: beside the archive in a classic repository ({@code <archive URL>.prov},
     * as Helm looks for it; {@code digest} null), or the manifest's provenance layer (its blob and digest).
     */
    public record ProvenanceAt(java.net.URI uri, String digest) {
    }

    /**
     * A chart pushed to a registry.
     *
     * @param reference {@code oci://host/path/name:tag}
     * @param digest    the manifest's digest, {@code sha256:...}
     */
    public record Pushed(String reference, String digest) {
    }

    private final SourceHttp http;
    private final OciPush pusher;
    private final IndexCache indexes;
    private final ClassicRepositories repositories;
    private final OciRegistries registries;
    private final MeterRegistry registry;
    private final java.util.function.Consumer<OperationSignal> signals;

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
        this(sources, cacheDir, registry, Optional::empty);
    }

    /**
     * As {@link #RemoteCharts(ChartSources, Path, MeterRegistry)}, with every request and every
     * question to the credential provider a phase of the calling operation, bounded by its deadline.
     *
     * @param deadlines the deadline of the operation on the calling thread
     */
    public RemoteCharts(ChartSources sources, Path cacheDir, MeterRegistry registry, Supplier<Optional<Deadline>> deadlines) {
        this(sources, cacheDir, registry, deadlines, signal -> { });
    }

    /**
     * As {@link #RemoteCharts(ChartSources, Path, MeterRegistry, Supplier)}, telling {@code signals} each fetch
     * ({@link OperationSignal.ChartFetched}) and each refusal of credentials ({@link OperationSignal.AuthenticationFailed}).
     *
     * @param signals where they are told, for the operation on the calling thread
     */
    public RemoteCharts(ChartSources sources, Path cacheDir, MeterRegistry registry, Supplier<Optional<Deadline>> deadlines,
                        java.util.function.Consumer<OperationSignal> signals) {
        this.signals = signals;
        this.http = new SourceHttp(sources, MAX_DOCUMENT_BYTES, deadlines);
        this.indexes = new IndexCache(sources.indexCacheTtl(), sources.indexCacheSize(), Clock.systemUTC());
        ArchiveCache archives = new ArchiveCache(http, cacheDir);
        this.repositories = new ClassicRepositories(sources, http, indexes, archives, signals);
        this.registries = new OciRegistries(sources, http, archives, signals);
        this.pusher = new OciPush(sources, http, signals);
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

    /** Resolves the version in the repository's index and downloads the archive. */
    public Fetched fetch(Operation op, String release, ChartRef.Repository ref, Supplier<CredentialContext> ctx) {
        return timed("repository", SourceAccess.host(ref.repositoryUrl()), () -> repositories.fetch(op, release, ref, ctx));
    }

    /** Resolves the tag (listing tags for a constraint) and downloads the chart layer. */
    public Fetched fetch(Operation op, String release, ChartRef.Oci ref, Supplier<CredentialContext> ctx) {
        return timed("oci", ociHost(ref.reference()), () -> registries.fetch(op, release, ref, ctx));
    }

    private static String ociHost(String reference) {
        try {
            return SourceAccess.host(java.net.URI.create(reference));
        } catch (IllegalArgumentException e) {
            return "unknown";   // a malformed reference fails the fetch with its own message
        }
    }

    /** Times a fetch, tags its outcome, and tells the operation what came of it. */
    private Fetched timed(String source, String host, Supplier<Fetched> fetch) {
        long start = System.nanoTime();
        String outcome = "success";
        String result = "failed";
        try {
            Fetched fetched = fetch.get();
            result = fetched.result();
            return fetched;
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
            signals.accept(new OperationSignal.ChartFetched(source, host, result));
            if (registry != null) {
                Timer.builder("helm.sdk.chart.fetch").tag("source", source).tag("outcome", outcome)
                        .description("resolving and downloading a remote chart").register(registry)
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Pushes a packaged chart under {@code target} ({@code oci://host[:port][/path]}) as {@code helm push} does,
     * with the providers' credentials for {@code target}.
     *
     * @param archive    the chart archive's bytes
     * @param provenance its {@code .prov} file's bytes, or {@code null}
     * @param metadata   the chart's {@code Chart.yaml}, parsed
     */
    public Pushed push(Operation op, String target, byte[] archive, byte[] provenance, Map<String, Object> metadata,
                       Supplier<CredentialContext> ctx) {
        byte[] config;
        try {
            config = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(metadata);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequestException(op, null, "the chart's metadata cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        OciPush.Chart chart = new OciPush.Chart(archive, provenance, config, String.valueOf(metadata.get("name")),
                String.valueOf(metadata.get("version")), OciPush.annotations(metadata));
        return pusher.push(op, target, chart, ctx);
    }

    /**
     * The {@code .prov} of a chart fetched from {@code ref} (with the same credentials), or empty when the repository
     * has none (404, or no provenance layer in the manifest).
     */
    public Optional<byte[]> provenance(Operation op, ChartRef ref, Fetched fetched, Supplier<CredentialContext> ctx) {
        if (fetched.provenance() == null) {
            return Optional.empty();
        }
        return ref instanceof ChartRef.Oci o ? registries.provenance(op, o, fetched.provenance(), ctx)
                : repositories.provenance(op, (ChartRef.Repository) ref, fetched.provenance().uri(), ctx);
    }

    /** The index cache (tests and metrics). */
    public IndexCache indexCache() {
        return indexes;
    }

    @Override
    public void close() {
        http.close();
    }
}
