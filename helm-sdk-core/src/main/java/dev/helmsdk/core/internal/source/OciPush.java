package dev.helmsdk.core.internal.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.core.ChartSources;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Pushes a packaged chart to an OCI registry over the Distribution API, as {@code helm push} lays it out: a
 * config blob (the chart's metadata as JSON), the chart layer, the provenance layer when there is one, and a
 * manifest tagged with the version ({@code +} written {@code _}). The credentials come from the same providers
 * as pulls; nothing is written to a Docker or Helm config file. The manifest goes last, so a push that fails
 * leaves no tag: at most unreferenced blobs, which the registry's garbage collection removes.
 */
final class OciPush {

    static final String CONFIG = "application/vnd.cncf.helm.config.v1+json";
    static final String PROVENANCE = "application/vnd.cncf.helm.chart.provenance.v1.prov";
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    /**
     * What to push.
     *
     * @param archive    the chart archive's bytes
     * @param provenance the {@code .prov} file's bytes, or {@code null}
     * @param config     the chart's metadata as JSON
     * @param name       the chart's name
     * @param version    the chart's version
     */
    record Chart(byte[] archive, byte[] provenance, byte[] config, String name, String version, Map<String, String> annotations) {
    }

    private final ChartSources sources;
    private final SourceHttp http;
    private final ObjectMapper json = new ObjectMapper();
    private final java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals;

    OciPush(ChartSources sources, SourceHttp http, java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals) {
        this.sources = sources;
        this.http = http;
        this.signals = signals;
    }

    /** Pushes {@code chart} under {@code target} ({@code oci://host[:port]/path}); returns the reference and manifest digest. */
    RemoteCharts.Pushed push(Operation op, String target, Chart chart, Supplier<CredentialContext> ctx) {
        // A ':' is the port's in the authority, and a tag (which helm push does not take) only in the path.
        String trimmed = target.replaceAll("/+$", "");
        String rest = trimmed.startsWith("oci://") ? trimmed.substring("oci://".length()) : null;
        int slash = rest == null ? -1 : rest.indexOf('/');
        if (rest == null || slash == 0 || rest.contains("@") || (slash > 0 && rest.substring(slash).contains(":"))) {
            throw new InvalidRequestException(op, null, "push target " + target
                    + " must be oci://host[:port][/path] (the chart's name and version are added, as helm push does)");
        }
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        String reference = "oci://" + authority + "/" + (path.isEmpty() ? "" : path + "/") + chart.name();
        OciRegistries.Target resolved = OciRegistries.target(http, op, null, target, reference);
        URI registry = resolved.registry();
        String repository = resolved.repository();
        SourceAccess access = new SourceAccess(sources, op, URI.create(trimmed), ctx, http.deadline(), signals);
        OciSession session = new OciSession(http, json, op, null, access, registry, repository);
        try {
            ObjectNode manifest = json.createObjectNode();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MANIFEST);
            manifest.set("config", blob(op, session, access, CONFIG, chart.config()));
            ArrayNode layers = manifest.putArray("layers");
            layers.add(blob(op, session, access, OciRegistries.HELM_LAYER, chart.archive()));
            if (chart.provenance() != null) {
                layers.add(blob(op, session, access, PROVENANCE, chart.provenance()));
            }
            ObjectNode annotations = manifest.putObject("annotations");
            chart.annotations().forEach(annotations::put);
            byte[] bytes = json.writeValueAsBytes(manifest);
            String digest = "sha256:" + Digests.sha256(bytes);
            String tag = chart.version().replace('+', '_');
            SourceHttp.Response r = session.send(HttpMethod.PUT, registry.resolve("/v2/" + repository + "/manifests/" + tag),
                    Map.of("Content-Type", MANIFEST), bytes);
            require(op, access, r, 201, "manifest upload for " + reference + ":" + tag);
            String answered = r.header("docker-content-digest");
            if (answered != null && !answered.equalsIgnoreCase(digest)) {
                throw new ChartSourceException(op, null, Reason.INVALID_CONTENT, access.repository, access.method,
                        "registry stored the manifest of " + reference + ":" + tag + " as " + answered + ", not " + digest, null);
            }
            return new RemoteCharts.Pushed(reference + ":" + tag, digest);
        } catch (SourceFailure f) {
            throw access.fail(op, null, f);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a manifest", e);
        }
    }

    /** Uploads one blob unless the registry has it (monolithic upload: POST, then PUT with the digest). */
    private ObjectNode blob(Operation op, OciSession session, SourceAccess access, String mediaType, byte[] content) {
        String digest = "sha256:" + Digests.sha256(content);
        URI base = session.registry().resolve("/v2/" + session.repository() + "/blobs/");
        // "sha256:..." alone would resolve as a URI scheme: appended as text.
        SourceHttp.Response head = session.send(HttpMethod.HEAD, URI.create(base + digest), Map.of(), null);
        if (head.status() != 200) {
            SourceHttp.Response start = session.send(HttpMethod.POST, base.resolve("uploads/"), Map.of("Content-Length", "0"), new byte[0]);
            require(op, access, start, 202, "blob upload to " + session.registry().getAuthority() + "/" + session.repository());
            String location = start.header("location");
            if (location == null) {
                throw new ChartSourceException(op, null, Reason.INVALID_CONTENT, access.repository, access.method,
                        "registry started a blob upload without a Location header", null);
            }
            URI upload = start.uri().resolve(location);
            URI put = URI.create(upload + (upload.getRawQuery() == null ? "?" : "&") + "digest="
                    + java.net.URLEncoder.encode(digest, StandardCharsets.UTF_8));
            SourceHttp.Response done = session.send(HttpMethod.PUT, put, Map.of("Content-Type", "application/octet-stream"), content);
            require(op, access, done, 201, "blob " + digest + " upload");
        }
        ObjectNode d = json.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", content.length);
        return d;
    }

    private static void require(Operation op, SourceAccess access, SourceHttp.Response r, int expected, String what) {
        if (r.status() == expected || (expected != 202 && r.status() / 100 == 2)) {
            return;
        }
        if (r.status() == 404 || r.status() == 405) {
            throw new ChartSourceException(op, null, Reason.INVALID_CONTENT, access.repository, access.method, what + " "
                    + r.uri() + " answered " + r.status() + ": the server does not take pushes there (is it an OCI registry?)"
                    + access.snippet(r), null);
        }
        throw access.status(op, null, r, what);
    }

    /** Annotations {@code helm push} sets from the chart's metadata. */
    static Map<String, String> annotations(Map<String, Object> meta) {
        Map<String, String> a = new LinkedHashMap<>();
        put(a, "org.opencontainers.image.description", meta.get("description"));
        put(a, "org.opencontainers.image.title", meta.get("name"));
        put(a, "org.opencontainers.image.url", meta.get("home"));
        put(a, "org.opencontainers.image.version", meta.get("version"));
        a.put("org.opencontainers.image.created", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return a;
    }

    private static void put(Map<String, String> a, String key, Object value) {
        if (value != null && !String.valueOf(value).isBlank()) {
            a.put(key, String.valueOf(value));
        }
    }
}
