package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StoredReleaseTest {

    private static final String JSON = """
            {"name":"web","namespace":"apps","version":3,
             "info":{"first_deployed":"2026-01-01T10:00:00.123456789Z","last_deployed":"2026-01-02T11:30:00.5+01:00",
                     "deleted":"","description":"Upgrade complete","status":"pending-upgrade","notes":"hi"},
             "chart":{"metadata":{"name":"podinfo","version":"6.14.1","appVersion":"6.14.1"},"values":{"replicas":1,"a":{"b":1}}},
             "config":{"replicas":3},
             "manifest":"---\\nkind: ConfigMap\\n"}""";

    /** Encodes as Helm's Secret driver does, then as the API server does for Secret data. */
    static String secretData(String json, boolean gzip) throws Exception {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(raw);
            }
            raw = out.toByteArray();
        }
        byte[] helm = Base64.getEncoder().encode(raw);
        return Base64.getEncoder().encodeToString(helm);
    }

    @Test
    void decodesHelmsDoubleBase64GzipRecord() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        StoredRelease r = StoredRelease.decodeSecretData(secretData(JSON, true), mapper);
        Release rel = r.toRelease("ignored");
        assertEquals(new Release("web", "apps", 3, ReleaseStatus.PENDING_UPGRADE, "podinfo", "6.14.1", "6.14.1",
                Instant.parse("2026-01-02T10:30:00.5Z"), "Upgrade complete", "hi"), rel);
        assertEquals(Map.of("replicas", 3), r.config(mapper));
        assertEquals(Map.of("replicas", 1, "a", Map.of("b", 1)), r.chartValues(mapper));
        assertEquals("---\nkind: ConfigMap\n", r.manifest());
    }

    @Test
    void acceptsUncompressedRecords() throws Exception {
        StoredRelease r = StoredRelease.decodeSecretData(secretData(JSON, false), new ObjectMapper());
        assertEquals(3, r.revision());
    }

    @Test
    void zeroTimeMeansNever() {
        assertEquals(null, StoredRelease.instant("0001-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2026-01-01T10:00:00.123456789Z"), StoredRelease.instant("2026-01-01T10:00:00.123456789Z"));
    }
}
