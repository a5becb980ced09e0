package dev.helmsdk.core.internal;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.core.internal.provenance.ChartProvenance;
import dev.helmsdk.core.internal.provenance.ProvenanceVerifier;
import dev.helmsdk.core.internal.source.ChartArchives;
import dev.helmsdk.core.internal.source.ChartMetadata;
import dev.helmsdk.core.internal.source.RemoteCharts;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link ChartRef} into the reference string helm-java takes, checking local charts
 * before anything is sent to the cluster. Remote charts (classic repositories and OCI registries)
 * are downloaded by {@link RemoteCharts} into the manager's work directory.
 */
final class ChartSource implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChartSource.class);

    private final RemoteCharts remote;
    private final BoundedClient client;

    /**
     * @param client for credential providers that read the cluster (a Kubernetes Secret), bounded
     *               by the deadline of the operation asking them, which their context also gives
     */
    ChartSource(RemoteCharts remote, BoundedClient client) {
        this.remote = remote;
        this.client = client;
    }

    /**
     * Checks a local chart exists and is one, and that a local archive passes the archive check;
     * no-op for remote charts (checked when downloaded).
     */
    private void checkLocal(Operation op, String release, ChartRef chart) {
        if (chart instanceof ChartRef.Directory d) {
            if (!Files.isDirectory(d.path())) {
                throw new InvalidRequestException(op, release, "chart directory " + d.path() + " does not exist");
            }
            if (!Files.isRegularFile(d.path().resolve("Chart.yaml"))) {
                throw new InvalidRequestException(op, release, "chart directory " + d.path()
                        + " has no Chart.yaml; point at the directory that holds the chart's Chart.yaml");
            }
        } else if (chart instanceof ChartRef.Archive a) {
            if (!Files.isRegularFile(a.path())) {
                throw new InvalidRequestException(op, release, "chart archive " + a.path() + " does not exist");
            }
            checkArchive(op, release, a.path());
        }
    }

    /** The one archive check ({@link ChartArchives}), before Helm or the cluster sees anything. */
    private static void checkArchive(Operation op, String release, Path archive) {
        try {
            ChartArchives.check(archive);
        } catch (ChartArchives.Refused e) {
            throw new InvalidRequestException(op, release, "chart archive " + archive + " was refused: " + e.getMessage()
                    + "; nothing was sent to the cluster (package the chart with helm package)", e);
        } catch (IOException e) {
            throw new InvalidRequestException(op, release, "chart archive " + archive + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The chart reference for helm-java, the version to pass it (or {@code null}), and for remote
     * charts the name and version that were fetched ({@code null} for local charts: only dry runs
     * report them, so reading Chart.yaml is left to {@link #metadata()}).
     */
    record Resolved(String reference, String version, String fetchedName, String fetchedVersion) {
        /** {@code name} and {@code version} of the chart (empty when unreadable; Helm will say why). */
        Map<String, String> metadata() {
            return fetchedName != null ? Map.of("name", fetchedName, "version", fetchedVersion)
                    : ChartMetadata.read(Path.of(reference));
        }
    }

    Resolved resolve(Operation op, String release, ChartRef chart) {
        return resolve(op, release, chart, null);
    }

    /**
     * As {@link #resolve(Operation, String, ChartRef)}, verifying the chart's provenance against {@code keyring} when it
     * is not {@code null} ({@code --verify}): a local archive against the {@code .prov} beside it, a remote chart, once
     * downloaded, against its repository's {@code .prov} or its registry's provenance layer; a directory is refused.
     */
    Resolved resolve(Operation op, String release, ChartRef chart, Path keyring) {
        if (keyring != null && chart instanceof ChartRef.Directory d) {
            throw ChartProvenance.directoryRefused(op, release, d.path());
        }
        checkLocal(op, release, chart);
        if (chart instanceof ChartRef.Directory d) {
            return new Resolved(d.path().toAbsolutePath().normalize().toString(), null, null, null);
        }
        if (chart instanceof ChartRef.Archive a) {
            if (keyring != null) {
                logVerified(chart, ChartProvenance.verifyLocal(op, a.path(), keyring));
            }
            return new Resolved(a.path().toAbsolutePath().normalize().toString(), null, null, null);
        }
        // Remote charts are downloaded here, so Helm only ever reads a local, digest-checked archive.
        RemoteCharts.Fetched fetched = Deadline.during(client.current(), dev.helmsdk.api.spi.OperationPhase.SOURCE, "fetching chart " + chart.describe(),
                () -> chart instanceof ChartRef.Oci o
                        ? remote.fetch(op, release, o, () -> context(op))
                        : remote.fetch(op, release, (ChartRef.Repository) chart, () -> context(op)));
        if (keyring != null) {
            // The archive Helm gets is the one verified: no second download.
            logVerified(chart, Deadline.during(client.current(), dev.helmsdk.api.spi.OperationPhase.SOURCE, "verifying chart " + chart.describe(),
                    () -> ChartProvenance.verifyFetched(op, chart, fetched, remote, () -> context(op), keyring)));
        }
        return new Resolved(fetched.archive().toString(), null, fetched.name(), fetched.version());
    }

    private static void logVerified(ChartRef chart, ProvenanceVerifier.Result r) {
        LOG.info("chart {} verified: signed by {} (key {}, fingerprint {}), {}", chart.describe(),
                r.userIds().isEmpty() ? "a key without a user id" : r.userIds().get(0), r.keyId(), r.fingerprint(), r.digest());
    }

    private CredentialContext context(Operation op) {
        CredentialContext ctx = CredentialContext.of(op, Map.of(KubernetesClient.class, client.get()));
        Optional<Deadline> deadline = client.current();
        return deadline.isPresent() ? ctx.withTimeLeft(deadline.get()::remaining) : ctx;
    }

    @Override
    public void close() {
        remote.close();
    }
}
