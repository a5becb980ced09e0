package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.core.ChartSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches charts from OCI registries: the tag (listing tags for a constraint) or a pinned digest,
 * the manifest, and its Helm chart layer (through the {@link ArchiveCache}, checked against the
 * layer's digest); the registry conversation itself is an {@link OciSession}.
 */
final class OciRegistries {

    // Logged under RemoteCharts, as before it was split, so existing log configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCharts.class);
    static final String HELM_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private static final Pattern PINNED = Pattern.compile("(.+)@(sha256:[0-9a-fA-F]{64})");
    /** Tags Helm accepts as chart versions (its StrictNewVersion, with '+' stored as '_'). */
    static final Pattern STRICT_TAG = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(_[0-9A-Za-z.-]+)?");

    private final ChartSources sources;
    private final SourceHttp http;
    private final ArchiveCache archives;
    private final ObjectMapper json = new ObjectMapper();

    /** Last tag lists and manifests seen per registry repository and credential identity, for outages. */
    private final Map<String, Object> lastKnown = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > 256;
        }
    };

    private final java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals;

    OciRegistries(ChartSources sources, SourceHttp http, ArchiveCache archives, java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals) {
        this.signals = signals;
        this.sources = sources;
        this.http = http;
        this.archives = archives;
    }

    /** Resolves the tag (listing tags for a constraint) and downloads the chart layer. */
    RemoteCharts.Fetched fetch(Operation op, String release, ChartRef.Oci ref, Supplier<CredentialContext> ctx) {
        String reference = ref.reference();
        String pinned = null;
        Matcher pin = PINNED.matcher(reference);
        if (pin.matches()) {
            // oci://host/path/chart@sha256:...: the manifest is fetched by digest and checked against it.
            reference = pin.group(1);
            pinned = pin.group(2).toLowerCase(Locale.ROOT);
        }
        VersionConstraint wanted = pinned != null && ref.version() == null ? VersionConstraint.latest()
                : VersionChoice.constraint(op, release, ref.version());
        Target target = target(op, release, ref.reference(), reference);
        URI registry = target.registry();
        String repository = target.repository();
        SourceAccess access = new SourceAccess(sources, op, URI.create(reference), ctx, http.deadline(), signals);
        OciSession session = new OciSession(http, json, op, release, access, registry, repository);
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
                                + "'; available: " + (versionToTag.isEmpty() ? "none" : VersionChoice.newest(versionToTag.keySet())), null));
                manifestRef = versionToTag.get(chosen);
            }
            String tagOrDigest = manifestRef;
            String effectivePin = pinned;
            JsonNode manifest = orLastKnown(op, release, access, registry.getAuthority() + "/" + repository + ":" + tagOrDigest + " " + access.identity(),
                    "manifest of " + reference + ":" + tagOrDigest, () -> session.manifest(tagOrDigest, effectivePin));
            String digest = null;
            long size = -1;
            String provDigest = null;
            for (JsonNode layer : manifest.path("layers")) {
                if (HELM_LAYER.equals(layer.path("mediaType").asText())) {
                    digest = layer.path("digest").asText();
                    size = layer.path("size").asLong(-1);
                } else if (OciPush.PROVENANCE.equals(layer.path("mediaType").asText()) && layer.path("digest").asText().startsWith("sha256:")) {
                    provDigest = layer.path("digest").asText();
                }
            }
            String shown = reference + (pinned != null ? "@" + pinned : ":" + manifestRef);
            if (digest == null || !digest.startsWith("sha256:")) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        shown + " is not a Helm chart (no " + HELM_LAYER + " layer with a sha256 digest)", null);
            }
            if (size > ArchiveCache.MAX_ARCHIVE_BYTES) {
                throw new ChartSourceException(op, release, Reason.INVALID_CONTENT, access.repository, access.method,
                        "chart layer of " + shown + " is " + size + " bytes, more than Helm's limit", null);
            }
            String hex = digest.substring("sha256:".length()).toLowerCase(Locale.ROOT);
            URI blob = registry.resolve("/v2/" + repository + "/blobs/" + digest);
            Path archive = archives.download(op, release, access, blob, hex, session.authorizer(), chartName + "-" + manifestRef.replace(':', '-'),
                    ref.version() == null || pinned != null || ref.version().trim().equals(manifestRef) ? shown
                            : ref.describe() + " (tag " + manifestRef + ")");
            String version = pinned == null ? manifestRef.replace('_', '+') : ChartMetadata.read(archive).getOrDefault("version", "");
            if (pinned != null && ref.version() != null && !SemVer.parse(version).map(wanted::matches).orElse(false)) {
                throw new ChartNotFoundException(op, release, shown + " holds version " + version + ", which does not match '"
                        + ref.version() + "'", null);
            }
            VersionChoice.logChoice(op, ref.reference(), ref.version(), version, access.method);
            return new RemoteCharts.Fetched(archive, chartName, version, hex, shown, access.fetchResult(), provDigest == null ? null
                    : new RemoteCharts.ProvenanceAt(registry.resolve("/v2/" + repository + "/blobs/" + provDigest), provDigest));
        } catch (SourceFailure f) {
            throw access.fail(op, release, f);
        }
    }

    /** The provenance layer's blob, checked against its digest; empty when the registry answers 404. */
    java.util.Optional<byte[]> provenance(Operation op, ChartRef.Oci ref, RemoteCharts.ProvenanceAt at, Supplier<CredentialContext> ctx) {
        String reference = PINNED.matcher(ref.reference()).matches() ? ref.reference().substring(0, ref.reference().indexOf('@')) : ref.reference();
        Target target = target(op, null, ref.reference(), reference);
        SourceAccess access = new SourceAccess(sources, op, URI.create(reference), ctx, http.deadline(), signals);
        try {
            SourceHttp.Response r = new OciSession(http, json, op, null, access, target.registry(), target.repository()).blob(at.uri());
            if (r.status() == 404) {
                return java.util.Optional.empty();
            }
            if (!at.digest().equals("sha256:" + Digests.sha256(r.body()))) {
                throw new ChartSourceException(op, null, Reason.INVALID_CONTENT, access.repository, access.method,
                        "provenance layer " + at.uri() + " does not have its digest " + at.digest(), null);
            }
            return java.util.Optional.of(r.body());
        } catch (SourceFailure f) {
            throw access.fail(op, null, f);
        }
    }

    /** A registry and the repository in it that an {@code oci://} reference (without a digest) names. */
    record Target(URI registry, String repository) {
    }

    /**
     * Checks the shape of {@code reference} (no tag or digest) and names its registry and repository.
     *
     * @param shown the reference as the user wrote it, for the message
     * @throws InvalidRequestException when it is not {@code oci://host[:port]/path/chart}
     */
    Target target(Operation op, String release, String shown, String reference) {
        return target(http, op, release, shown, reference);
    }

    /** As {@link #target(Operation, String, String, String)}, over {@code http} (which decides the scheme): pushes name theirs so too. */
    static Target target(SourceHttp http, Operation op, String release, String shown, String reference) {
        String rest = reference.substring("oci://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.contains("@")) {
            throw new InvalidRequestException(op, release, "OCI reference " + shown
                    + " must be oci://host[:port]/path/chart, optionally followed by @sha256:<64 hex digits>");
        }
        String authority = rest.substring(0, slash);
        String repository = rest.substring(slash + 1).replaceAll("/+$", "");
        URI probe = URI.create("https://" + authority + "/");
        String scheme = http.plainHttpAllowed(probe) ? "http" : "https";
        return new Target(URI.create(scheme + "://" + authority + "/"), repository);
    }

    /**
     * Every tag of the chart's repository, following the registry's pagination, as it is now: no fallback
     * to a list seen earlier, as an upgrade advisor must report a registry that is down.
     */
    java.util.List<String> tags(Operation op, String release, ChartRef.Oci ref, Supplier<CredentialContext> ctx) {
        Target target = target(op, release, ref.reference(), ref.reference());
        SourceAccess access = new SourceAccess(sources, op, URI.create(ref.reference()), ctx, http.deadline(), signals);
        try {
            return new OciSession(http, json, op, release, access, target.registry(), target.repository()).tags();
        } catch (SourceFailure f) {
            throw access.fail(op, release, f);
        }
    }

    /**
     * The registry's answer, remembered; while the registry is down (unreachable, 5xx) the answer
     * last seen with the same credentials is used, with a warning, as for classic indexes, so a
     * chart whose layer is in the archive cache still deploys. Never after 401/403.
     */
    @SuppressWarnings("unchecked")
    private <T> T orLastKnown(Operation op, String release, SourceAccess access, String key, String what, Supplier<T> live) {
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
        if (!SourceAccess.outage(failure)) {
            throw failure;
        }
        Object known;
        synchronized (lastKnown) {
            known = lastKnown.get(key);
        }
        if (known == null) {
            throw failure;
        }
        access.fellBack();
        LOG.warn("{}: {} could not be refreshed ({}); using the copy seen earlier", op.tag(), what, failure.getMessage());
        return (T) known;
    }
}
