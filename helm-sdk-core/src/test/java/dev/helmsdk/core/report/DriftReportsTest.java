package dev.helmsdk.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.report.Severity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drift report's JSON: its schema (which uses the dry-run report's definitions) and what it says. */
class DriftReportsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectRef DEPLOYMENT = new ObjectRef("apps/v1", "Deployment", "apps", "web");
    private static final ObjectRef CONFIG = new ObjectRef("v1", "ConfigMap", "apps", "web-config");

    static DriftReport sample() {
        return new DriftReport("web", "apps", 3, List.of(
                new ObjectChange(DEPLOYMENT, ObjectChange.Type.CHANGED, List.of(
                        new FieldChange("/spec/template/spec/containers/0/image", Optional.of("\"nginx:1.28\""), Optional.of("\"nginx:1.27\"")))),
                new ObjectChange(CONFIG, ObjectChange.Type.ADDED, List.of())),
                List.of(Finding.about(DriftReport.CHECK, "drift.disabled", Severity.INFO, CONFIG, null, "not checked", null)),
                List.of(DEPLOYMENT));
    }

    @Test
    void theReportMatchesItsSchemaAndSaysWhatTheRecordSays() throws IOException {
        JsonNode node = JSON.readTree(DryRunReports.toJson(sample()));
        assertEquals(List.of(), schema().validate(node), node.toPrettyString());
        assertEquals(3, node.get("revision").asInt());
        assertTrue(node.get("drift").asBoolean());
        assertEquals("pass", node.get("verdict").asText(), "drift itself is not a finding");
        assertEquals("/spec/template/spec/containers/0/image", node.at("/drifted/0/fields/0/path").asText());
        assertEquals("\"nginx:1.28\"", node.at("/drifted/0/fields/0/before").asText(), "before: live");
        assertEquals("added", node.at("/drifted/1/type").asText(), "a deleted object is one the correction adds");
        assertEquals("Deployment", node.at("/corrected/0/kind").asText());
        assertEquals("drift.disabled", node.at("/findings/0/code").asText());
        assertFalse(node.at("/findings/0").has("hint"));
    }

    @Test
    void aReportWithoutDriftMatchesAndTheSchemaDoesCheck() throws IOException {
        JsonNode none = JSON.readTree(DryRunReports.toJson(new DriftReport("web", "apps", 1, List.of(), List.of(), List.of())));
        assertEquals(List.of(), schema().validate(none));
        assertFalse(none.get("drift").asBoolean());
        ObjectNode forged = (ObjectNode) JSON.readTree(DryRunReports.toJson(sample()));
        ((ObjectNode) forged.at("/drifted/0")).put("type", "vanished");
        assertFalse(schema().validate(forged).isEmpty(), "the change type is the dry-run report's, checked through its $ref");
    }

    private static Schema schema() throws IOException {
        return DryRunReportsTest.schema(DryRunReports.DRIFT_SCHEMA_RESOURCE);
    }
}
