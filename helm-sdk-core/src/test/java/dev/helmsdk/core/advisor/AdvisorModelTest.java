package dev.helmsdk.core.advisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.core.advisor.ReleaseAdvice.ChartChange;
import dev.helmsdk.core.internal.advisor.ChangesAnnotation;
import dev.helmsdk.core.internal.source.RepositoryIndex;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The advisor's pure parts: policy names, the changes annotation from an index, the JSON form. */
class AdvisorModelTest {

    @Test
    void policiesByNameAndAnUnknownOneNamesTheValidOnes() {
        assertEquals(UpgradePolicy.PATCH, UpgradePolicy.of(" Patch "));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> UpgradePolicy.of("minr"));
        assertTrue(e.getMessage().contains("'minr'") && e.getMessage().contains("patch, minor, major"), e.getMessage());
    }

    @Test
    void theIndexKeepsTheChangesAnnotationAndBothFormsParse() throws Exception {
        String index = """
                apiVersion: v1
                entries:
                  web:
                  - name: web
                    version: 2.0.0
                    appVersion: "5.1"
                    urls: [web-2.0.0.tgz]
                    annotations:
                      category: Web
                      artifacthub.io/changes: |
                        - kind: added
                          description: HPA support
                          links:
                          - name: PR
                            url: https://example.com/1
                        - kind: security
                          description: bump base image
                  - name: web
                    version: 1.9.0
                    urls: [web-1.9.0.tgz]
                    annotations:
                      artifacthub.io/changes: |
                        - Fixed the probe
                        - Docs
                """;
        RepositoryIndex parsed = RepositoryIndex.parse(new ByteArrayInputStream(index.getBytes(StandardCharsets.UTF_8)));
        List<RepositoryIndex.Entry> web = parsed.versions("web");
        assertEquals(List.of(new ChartChange("added", "HPA support"), new ChartChange("security", "bump base image")),
                ChangesAnnotation.parse(web.get(0).changes()));
        assertEquals("5.1", web.get(0).appVersion());
        assertEquals(List.of(new ChartChange("", "Fixed the probe"), new ChartChange("", "Docs")), ChangesAnnotation.parse(web.get(1).changes()));
        assertEquals(List.of(), ChangesAnnotation.parse(""));
        assertEquals(List.of(new ChartChange("", "just: a: mapping?")), ChangesAnnotation.parse("just: a: mapping?"));
    }

    @Test
    void anAdvisorMadePerRunExportsItsOwnRunNotAClosedOnes() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        java.util.function.Function<Integer, AdvisorReport> behind = n -> new AdvisorReport(Instant.now(), UpgradePolicy.MINOR, false,
                java.util.stream.IntStream.range(0, n).mapToObj(i -> new ReleaseAdvice("apps", "web-" + i, "web", "1.0.0",
                        ReleaseAdvice.Status.UPGRADE_AVAILABLE, "1.1.0", "1.1.0", ReleaseAdvice.Distance.MINOR, 1,
                        ReleaseAdvice.ChartNotes.none(), "http://repo web", "")).toList());
        var first = new dev.helmsdk.core.internal.advisor.AdvisorMeters(registry, false);
        first.record(behind.apply(3));
        assertEquals(3.0, registry.get("helm.sdk.advisor.behind").tag("distance", "minor").gauge().value());
        first.close();
        var second = new dev.helmsdk.core.internal.advisor.AdvisorMeters(registry, false);
        second.record(behind.apply(1));
        assertEquals(1.0, registry.get("helm.sdk.advisor.behind").tag("distance", "minor").gauge().value(),
                "the second advisor's run, not the first's");
        second.close();
        assertTrue(registry.find("helm.sdk.advisor.behind").gauges().isEmpty(), "close removes the advisor's gauges");
    }

    @Test
    void jsonFollowsTheDocumentedForm() throws Exception {
        ReleaseAdvice up = new ReleaseAdvice("apps", "web", "web", "1.2.0", ReleaseAdvice.Status.UPGRADE_AVAILABLE, "1.9.0", "2.0.0",
                ReleaseAdvice.Distance.MAJOR, 3, new ReleaseAdvice.ChartNotes("1.9.0", "5.0", List.of(new ChartChange("fixed", "probe")), true),
                "http://repo web", "");
        ReleaseAdvice down = new ReleaseAdvice("apps", "db", "pg", "3.0.0", ReleaseAdvice.Status.SOURCE_FAILED, "", "",
                ReleaseAdvice.Distance.UNKNOWN, 0, ReleaseAdvice.ChartNotes.none(), "oci://r/pg", "registry answered 503");
        AdvisorReport report = new AdvisorReport(Instant.parse("2026-12-03T19:00:00Z"), UpgradePolicy.MINOR, false, List.of(down, up));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(1, json.path("schemaVersion").asInt());
        assertEquals("minor", json.path("policy").asText());
        assertEquals(1, json.path("summary").path("upgradeAvailable").asInt());
        assertEquals(1, json.path("summary").path("sourceFailed").asInt());
        JsonNode db = json.path("releases").get(0);
        assertEquals("source_failed", db.path("status").asText());
        assertFalse(db.has("newestAllowed"));
        assertEquals("registry answered 503", db.path("problem").asText());
        JsonNode web = json.path("releases").get(1);
        assertEquals("1.9.0", web.path("newestAllowed").asText());
        assertEquals("major", web.path("distance").asText());
        assertEquals("fixed", web.path("notes").path("changes").get(0).path("kind").asText());
        assertEquals(List.of(up), report.upgradable());
    }
}
