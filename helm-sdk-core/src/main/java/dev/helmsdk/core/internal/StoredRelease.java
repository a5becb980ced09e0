package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A release record as Helm's Secret storage driver keeps it: {@code data.release} of a Secret
 * {@code sh.helm.release.v1.<name>.v<revision>} holds base64(gzip(JSON)), and the Secret's data is
 * base64 once more on the wire. Decoding it here lets reads skip the native library entirely.
 */
public final class StoredRelease {

    /** Secret type Helm uses for release records. */
    public static final String SECRET_TYPE = "helm.sh/release.v1";
    private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};

    private final JsonNode json;

    private StoredRelease(JsonNode json) {
        this.json = json;
    }

    /** Name of the Secret holding a revision. */
    public static String secretName(String release, int revision) {
        return "sh.helm.release.v1." + release + ".v" + revision;
    }

    /**
     * Decodes the value of the Secret's {@code data.release} field as fabric8 returns it (still
     * base64 once for the Secret, once for Helm).
     */
    public static StoredRelease decodeSecretData(String secretDataValue, ObjectMapper mapper) throws IOException {
        byte[] helmEncoded = Base64.getDecoder().decode(secretDataValue.trim());
        return decodeHelmBytes(Base64.getDecoder().decode(helmEncoded), mapper);
    }

    /** Decodes Helm's record with both base64 layers undone: gzip of JSON (or JSON, as Helm reads it too). */
    public static StoredRelease decodeHelmBytes(byte[] raw, ObjectMapper mapper) throws IOException {
        InputStream in = new ByteArrayInputStream(raw);
        if (raw.length > 2 && raw[0] == GZIP_MAGIC[0] && raw[1] == GZIP_MAGIC[1]) {
            in = new GZIPInputStream(in);
        }
        try (InputStream body = in) {
            return new StoredRelease(mapper.readTree(body));
        }
    }

    /** The description Helm recorded ("Upgrade complete", "Rollback to 2", ...). */
    public String description() {
        return json.path("info").path("description").asText("");
    }

    /** A copy with another status and description ({@code null}: the same), as Helm would record them. */
    public StoredRelease withStatus(String status, String description) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = (com.fasterxml.jackson.databind.node.ObjectNode) json.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode info = copy.with("info");
        info.put("status", status);
        if (description != null) {
            info.put("description", description);
        }
        return new StoredRelease(copy);
    }

    /** A copy whose user-supplied values ({@code config}) are {@code config}. */
    public StoredRelease withConfig(Map<String, Object> config, ObjectMapper mapper) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = (com.fasterxml.jackson.databind.node.ObjectNode) json.deepCopy();
        copy.set("config", mapper.valueToTree(config));
        return new StoredRelease(copy);
    }

    /** The user-supplied values ({@code config}) as recorded, as a JSON tree. */
    JsonNode configTree() {
        return json.path("config");
    }

    /** Encodes as Helm's Secret driver does (gzip, base64), then base64 once more for the Secret's data. */
    public String encodeSecretData(ObjectMapper mapper) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            mapper.writeValue(gz, json);
        }
        byte[] helm = Base64.getEncoder().encode(out.toByteArray());
        return Base64.getEncoder().encodeToString(helm);
    }

    /** When the revision was last deployed (for a pending one: when its change started). */
    public Instant lastDeployed() {
        Instant last = instant(json.path("info").path("last_deployed").asText(null));
        return last != null ? last : instant(json.path("info").path("first_deployed").asText(null));
    }

    /** The release name. */
    public String name() {
        return json.path("name").asText();
    }

    /** The revision. */
    public int revision() {
        return json.path("version").asInt();
    }

    /** The status. */
    public ReleaseStatus status() {
        return ReleaseStatus.fromHelm(json.path("info").path("status").asText(null));
    }

    /** The stored chart: metadata, templates, values, schema, files (never its subcharts). */
    public JsonNode chart() {
        return json.path("chart");
    }

    /** The stored hooks, each with its rendered manifest. */
    public JsonNode hooks() {
        return json.path("hooks");
    }

    /** The rendered NOTES.txt. */
    public String notes() {
        return json.path("info").path("notes").asText("");
    }

    /** The manifest Helm applied. */
    public String manifest() {
        return json.path("manifest").asText("");
    }

    /** The user-supplied values ({@code config}). */
    public Map<String, Object> config(ObjectMapper mapper) {
        return toMap(json.path("config"), mapper);
    }

    /** The chart's default values. */
    public Map<String, Object> chartValues(ObjectMapper mapper) {
        return toMap(json.path("chart").path("values"), mapper);
    }

    /** The record as the API's value type. */
    public Release toRelease(String namespaceFallback) {
        JsonNode info = json.path("info");
        JsonNode meta = json.path("chart").path("metadata");
        String ns = json.path("namespace").asText("");
        return new Release(
                name(),
                ns.isEmpty() ? namespaceFallback : ns,
                revision(),
                status(),
                meta.path("name").asText(""),
                meta.path("version").asText(""),
                meta.path("appVersion").asText(""),
                instant(info.path("last_deployed").asText(null)),
                description(),
                info.path("notes").asText("").strip());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node, ObjectMapper mapper) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        return mapper.convertValue(node, Map.class);
    }

    /** Helm writes Go's RFC 3339 with nanoseconds; the zero time means "never". */
    static Instant instant(String text) {
        if (text == null || text.isEmpty() || text.startsWith("0001-01-01")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
