package dev.helmsdk.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.RenderedResource;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.report.Severity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DryRunReportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectRef DEPLOYMENT = new ObjectRef("apps/v1", "Deployment", "apps", "web");

    /** A report with every optional part present and absent somewhere. */
    static DryRunResult sample() {
        String secretYaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-in-plain-text\n";
        RenderedManifest rendered = new RenderedManifest(secretYaml, List.of(
                new RenderedResource("v1", "Secret", "db", null, "web/templates/secret.yaml", secretYaml),
                new RenderedResource("apps/v1", "Deployment", "web", "apps", "web/templates/deployment.yaml", "kind: Deployment")));
        List<ObjectChange> changes = List.of(
                new ObjectChange(DEPLOYMENT, ObjectChange.Type.CHANGED, List.of(
                        new FieldChange("/spec/replicas", Optional.of("1"), Optional.of("3")),
                        new FieldChange("/metadata/labels/new", Optional.empty(), Optional.of("\"x\"")))),
                new ObjectChange(new ObjectRef("v1", "Secret", "apps", "db"), ObjectChange.Type.ADDED, List.of()));
        List<Finding> findings = List.of(
                Finding.about("rbac", "rbac.denied", Severity.ERROR, DEPLOYMENT, "/spec", "cannot patch deployments", "ask for patch"),
                Finding.general("lint", "lint.icon", Severity.INFO, "icon is recommended", null));
        return new DryRunResult("web", "apps", DryRunMode.SERVER, true, "web", "1.2.3", rendered,
                "password is hunter2-in-notes", changes, findings);
    }

    @Test
    void theReportMatchesItsPublishedSchemaAndSaysWhatTheResultSays() throws IOException {
        String json = DryRunReports.toJson(sample());
        JsonNode node = JSON.readTree(json);
        assertEquals(List.of(), schema().validate(node), json);
        assertEquals("fail", node.get("verdict").asText());
        assertEquals("server", node.get("mode").asText());
        assertEquals("1.2.3", node.at("/chart/version").asText());
        assertEquals("/spec/replicas", node.at("/changes/0/fields/0/path").asText());
        assertEquals("3", node.at("/changes/0/fields/0/after").asText());
        assertFalse(node.at("/changes/0/fields/1").has("before"), "an empty Optional is an absent field");
        assertEquals("added", node.at("/changes/1/type").asText());
        assertEquals("Deployment", node.at("/findings/0/object/kind").asText());
        assertEquals("ask for patch", node.at("/findings/0/hint").asText());
        assertFalse(node.at("/findings/1").has("object") || node.at("/findings/1").has("hint"));
        assertFalse(node.at("/rendered/0").has("namespace"), "no namespace rendered: absent");
        assertEquals("apps", node.at("/rendered/1/namespace").asText());
    }

    @Test
    void neitherTheManifestsNorTheNotesAreInTheReport() {
        String json = DryRunReports.toJson(sample());
        assertFalse(json.contains("hunter2"), json);
    }

    @Test
    void aResultWithoutChangesOrFindingsPassesAndStillMatches() throws IOException {
        DryRunResult empty = new DryRunResult("web", "default", DryRunMode.CLIENT, false, "", "",
                new RenderedManifest("", List.of()), "");
        JsonNode node = JSON.readTree(DryRunReports.toJson(empty));
        assertEquals(List.of(), schema().validate(node));
        assertEquals("pass", node.get("verdict").asText());
        assertEquals(0, node.get("findings").size());
    }

    @Test
    void theSchemaDoesCheck() throws IOException {
        ObjectNode forged = (ObjectNode) JSON.readTree(DryRunReports.toJson(sample()));
        forged.put("verdict", "maybe");
        assertFalse(schema().validate(forged).isEmpty(), "a verdict the schema does not know is refused");
        ObjectNode noPointer = (ObjectNode) JSON.readTree(DryRunReports.toJson(sample()));
        ((ObjectNode) noPointer.at("/findings/0")).put("field", "spec.replicas");
        assertFalse(schema().validate(noPointer).isEmpty(), "a field that is not a JSON pointer is refused");
    }

    static Schema schema() throws IOException {
        return schema(DryRunReports.SCHEMA_RESOURCE);
    }

    /** A published schema; the drift report's refers to the dry run's by its id, resolved here from the class path. */
    static Schema schema(String resource) throws IOException {
        try (InputStream in = DryRunReports.class.getResourceAsStream(resource)) {
            assertNotNull(in, "the schema ships at " + resource);
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemaIdResolvers(r ->
                    r.mapPrefix("https://helmsdk.dev/schemas/dry-run-report/1.json", "classpath:" + DryRunReports.SCHEMA_RESOURCE.substring(1))))
                    .getSchema(JSON.readTree(in));
            assertTrue(schema != null);
            return schema;
        }
    }
}
