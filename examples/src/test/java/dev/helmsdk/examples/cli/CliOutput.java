package dev.helmsdk.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.helmsdk.core.report.DryRunReports;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One run of the command line in this JVM: its exit code and what it wrote; and readers of what it wrote. */
record CliOutput(int exitCode, String out, String err) {

    static CliOutput run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HelmSdkCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of("NO_COLOR", "1"));
        return new CliOutput(code, out.toString(), err.toString());
    }

    /** stdout as JSON, after checking it against the report's published schema. */
    JsonNode reportJson() throws Exception {
        return validated(DryRunReports.SCHEMA_RESOURCE);
    }

    /** stdout as JSON, after checking it against the drift report's published schema (with the dry-run schema it refers to). */
    JsonNode driftJson() throws Exception {
        return validated(DryRunReports.DRIFT_SCHEMA_RESOURCE);
    }

    private JsonNode validated(String schemaResource) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode node = json.readTree(out);
        try (InputStream in = DryRunReports.class.getResourceAsStream(schemaResource)) {
            List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemaIdResolvers(r ->
                            r.mapPrefix("https://helmsdk.dev/schemas/dry-run-report/1.json", "classpath:" + DryRunReports.SCHEMA_RESOURCE.substring(1))))
                    .getSchema(json.readTree(in)).validate(node);
            if (!errors.isEmpty()) {
                throw new AssertionError("not as the schema says: " + errors + "\n" + out);
            }
        }
        return node;
    }

    /** stdout as an XML document. */
    Document xml() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
