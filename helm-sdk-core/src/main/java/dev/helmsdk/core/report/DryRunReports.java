package dev.helmsdk.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.RenderedResource;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link DryRunResult}'s JSON form, as the JSON Schema (draft 2020-12) at {@value #SCHEMA_RESOURCE} on the
 * class path describes it: for a pipeline to keep, compare or gate on.
 *
 * <pre>{@code
 * try (HelmManager helm = HelmSdk.builder().defaultNamespace("apps").build()) {
 *     DryRunResult result = helm.upgrade("web").chart(ChartRef.local(Path.of("charts/web"))).dryRun();
 *     Files.writeString(Path.of("dry-run.json"), dev.helmsdk.core.report.DryRunReports.toJson(result));
 * }
 * }</pre>
 *
 * The rendered manifests and notes are not in it: they hold whatever the chart renders from the values, and the
 * SDK's masking covers only the secret references it resolved, not values given in plain text nor what a
 * template transforms. The objects rendered are listed by what identifies them.
 */
public final class DryRunReports {

    /** Where the JSON Schema of the report is, on the class path (it ships in helm-sdk-api's jar). */
    public static final String SCHEMA_RESOURCE = "/dev/helmsdk/api/report/dry-run-report.schema.json";

    /** Where the JSON Schema of the drift report is, on the class path, beside the dry run's (whose definitions it uses). */
    public static final String DRIFT_SCHEMA_RESOURCE = "/dev/helmsdk/api/report/drift-report.schema.json";

    /** The version of these schemas the reports of this SDK follow. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DryRunReports() {
    }

    /**
     * The report as JSON, indented, fields in the schema's order; an empty {@code Optional} is an absent field.
     *
     * @param result a dry run's result
     * @return one JSON object
     */
    public static String toJson(DryRunResult result) {
        Objects.requireNonNull(result, "result");
        ObjectNode o = header(result.releaseName(), result.namespace());
        o.put("mode", tag(result.mode()));
        o.put("upgrade", result.upgrade());
        o.put("operation", result.operation().tag());
        o.putObject("chart").put("name", result.chartName()).put("version", result.chartVersion());
        o.put("verdict", result.verdict().tag());
        ArrayNode rendered = o.putArray("rendered");
        for (RenderedResource r : result.rendered().resources()) {
            ObjectNode n = rendered.addObject().put("apiVersion", r.apiVersion()).put("kind", r.kind()).put("name", r.name());
            r.renderedNamespace().ifPresent(ns -> n.put("namespace", ns));
            n.put("source", r.source());
        }
        changes(o.putArray("changes"), result.changes());
        findings(o.putArray("findings"), result.findings());
        return write(o);
    }

    /**
     * A drift report as JSON, as the JSON Schema at {@value #DRIFT_SCHEMA_RESOURCE} describes it (its objects, changes
     * and findings are the dry-run report's), indented; an empty {@code Optional} is an absent field.
     *
     * @param report what {@code helm.drift(release).run()} or {@code correct()} returned
     * @return one JSON object
     */
    public static String toJson(DriftReport report) {
        Objects.requireNonNull(report, "report");
        ObjectNode o = header(report.releaseName(), report.namespace());
        o.put("revision", report.revision());
        o.put("drift", report.hasDrift());
        o.put("verdict", report.verdict().tag());
        changes(o.putArray("drifted"), report.drifted());
        ArrayNode corrected = o.putArray("corrected");
        report.corrected().forEach(ref -> object(corrected.addObject(), ref));
        findings(o.putArray("findings"), report.findings());
        return write(o);
    }

    /** What both reports begin with: the schema's version and the release. */
    private static ObjectNode header(String release, String namespace) {
        return JSON.createObjectNode().put("schemaVersion", SCHEMA_VERSION).put("release", release).put("namespace", namespace);
    }

    private static void changes(ArrayNode changes, List<ObjectChange> all) {
        for (ObjectChange c : all) {
            ObjectNode n = changes.addObject();
            object(n.putObject("object"), c.object());
            n.put("type", tag(c.type()));
            ArrayNode fields = n.putArray("fields");
            for (FieldChange f : c.fields()) {
                ObjectNode fn = fields.addObject().put("path", f.path());
                f.before().ifPresent(v -> fn.put("before", v));
                f.after().ifPresent(v -> fn.put("after", v));
            }
        }
    }

    private static void findings(ArrayNode findings, List<Finding> all) {
        for (Finding f : all) {
            ObjectNode n = findings.addObject().put("check", f.check()).put("code", f.code()).put("severity", f.severity().tag());
            f.object().ifPresent(ref -> object(n.putObject("object"), ref));
            f.field().ifPresent(v -> n.put("field", v));
            n.put("message", f.message());
            f.hint().ifPresent(v -> n.put("hint", v));
        }
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void object(ObjectNode n, ObjectRef ref) {
        n.put("apiVersion", ref.apiVersion()).put("kind", ref.kind()).put("namespace", ref.namespace()).put("name", ref.name());
    }

    private static String tag(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
