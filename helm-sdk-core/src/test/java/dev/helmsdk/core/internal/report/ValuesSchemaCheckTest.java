package dev.helmsdk.core.internal.report;

import dev.helmsdk.core.TestArchives;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** values.schema.json as Helm validates it: over the defaults, by draft, subcharts under their key; paths, never values. */
class ValuesSchemaCheckTest {

    private static final String DRAFT7 = """
            {"type": "object", "required": ["image", "replicas"],
             "properties": {
               "replicas": {"type": "integer", "minimum": 1},
               "password": {"type": "string", "minLength": 12},
               "image": {"type": "object", "properties": {"tag": {"type": "string", "pattern": "^[0-9.]+$"}}},
               "ports": {"type": "array", "prefixItems": [{"type": "integer"}]}}}
            """;

    private static Path chart(Path dir, String values, String schema) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: " + dir.getFileName() + "\nversion: 1.0.0\n");
        Files.writeString(dir.resolve("values.yaml"), values);
        if (schema != null) {
            Files.writeString(dir.resolve("values.schema.json"), schema);
        }
        return dir;
    }

    private static List<Finding> check(Path chart, String values) {
        return Contexts.run(new ValuesSchemaCheck(), Contexts.of(chart, Contexts.values(values), List.of(), null, null));
    }

    private static List<String> fields(List<Finding> found) {
        return found.stream().map(f -> f.field().orElseThrow()).sorted().toList();
    }

    @Test
    void eachBadValueIsAnErrorAtItsPathNamingTheRuleNeverTheValue(@TempDir Path tmp) throws IOException {
        Path chart = chart(tmp.resolve("web"), "replicas: 2\nimage:\n  tag: '1.0'\n", DRAFT7);
        List<Finding> found = check(chart, "replicas: 0\npassword: s3cret-pw\nimage:\n  tag: v1-s3cret-pw\nports: [\"http\"]\n");
        // prefixItems is a 2020-12 keyword, the draft Helm reads a schema without $schema by (ValuesSchemaHelmTest)
        assertEquals(List.of("/image/tag", "/password", "/ports/0", "/replicas"), fields(found), found.toString());
        for (Finding f : found) {
            assertEquals("values_schema.invalid", f.code());
            assertEquals(Severity.ERROR, f.severity());
            assertFalse(f.message().contains("s3cret") || f.message().contains("***") || f.message().contains("v1-"), f.message());
        }
        Map<String, String> rules = Map.of("/replicas", "minimum (expected 1)", "/password", "minLength (expected 12)", "/ports/0", "type",
                "/image/tag", "pattern (expected \"^[0-9.]+$\")");
        for (Finding f : found) {
            assertTrue(f.message().contains(rules.get(f.field().get())), f.message());
        }
    }

    @Test
    void aSchemaNamingDraft07IsValidatedByThatDraft(@TempDir Path tmp) throws IOException {
        String schema = DRAFT7.replaceFirst("\\{", "{\"\\$schema\": \"http://json-schema.org/draft-07/schema#\", ");
        Path chart = chart(tmp.resolve("web"), "replicas: 2\nimage: {}\n", schema);
        assertEquals(List.of(), check(chart, "ports: [\"http\", 2]\n"), "prefixItems is no draft-07 keyword");
        List<Finding> found = check(chart, "replicas: 0\n");
        assertEquals(List.of("/replicas"), fields(found), found.toString());
    }

    @Test
    void defaultsCountAsHelmCoalescesThemAndANullRemovesOne(@TempDir Path tmp) throws IOException {
        Path chart = chart(tmp.resolve("web"), "replicas: 2\nimage:\n  tag: '1.0'\n", DRAFT7);
        assertEquals(List.of(), check(chart, "{}"), "the defaults meet the schema");
        List<Finding> found = check(chart, "replicas: null\n");
        assertEquals(List.of("/replicas"), fields(found));
        assertTrue(found.get(0).message().contains("required (missing 'replicas')"), found.get(0).message());
    }

    @Test
    void aSubchartsSchemaChecksItsValuesUnderItsNameInADirectoryOrAnArchive(@TempDir Path tmp) throws IOException {
        String dbSchema = "{\"properties\": {\"port\": {\"type\": \"integer\"}, \"global\": {\"required\": [\"env\"]}}}";
        Path parent = chart(tmp.resolve("web"), "global:\n  env: prod\ndb:\n  port: 5432\n", null);
        chart(parent.resolve("charts/db"), "port: 1\n", dbSchema);
        assertEquals(List.of(), check(parent, "{}"), "the parent's globals reach the subchart");
        assertEquals(List.of("/db/port"), fields(check(parent, "db:\n  port: five\n")));

        Path archive = tmp.resolve("web-1.0.0.tgz");
        TestArchives.tgz(archive,
                "web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n",
                "web/values.yaml", "db:\n  port: 5432\n",
                "web/templates/x.yaml", "kind: ConfigMap\n",
                "web/charts/db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.0.0\n",
                "web/charts/db/values.schema.json", "{\"properties\": {\"port\": {\"type\": \"integer\"}}}");
        assertEquals(List.of("/db/port"), fields(check(archive, "db:\n  port: five\n")));
        assertEquals(List.of(), check(archive, "{}"));
    }

    @Test
    void helmsOwnRefusalIsReadForItsPathsOnly() {
        String helm = "dry_run of release 'web' failed: values don't meet the specifications of the schema(s) in the following chart(s):\n"
                + "podinfo:\n- at '/image/tag': 'v1-s3cret-pw' does not match pattern '^[0-9]+$'\n";
        assertTrue(ValuesSchemaCheck.isHelmsRefusal(helm));
        assertFalse(ValuesSchemaCheck.isHelmsRefusal("connection refused"));
        Finding f = ValuesSchemaCheck.helmsRefusal(helm);
        assertEquals("/image/tag", f.field().orElseThrow());
        assertFalse(f.message().contains("s3cret"), f.message());
    }

}
