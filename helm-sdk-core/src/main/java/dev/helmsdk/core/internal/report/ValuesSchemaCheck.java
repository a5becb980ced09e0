package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.core.internal.TracedCoalesce;

import java.util.Map;
import java.util.Optional;

/**
 * The chart's {@code values.schema.json} against the values it renders with, as Helm validates them
 * ({@code chartutil.ValidateAgainstSchema}): the subcharts Helm loads ({@link HelmDependencies}: aliases, conditions,
 * tags), the values given coalesced over all their defaults ({@link TracedCoalesce}, globals pushed down), each
 * subchart's schema against its part of them ({@code values.<alias or name>}, recursively); the draft chosen by the schema's {@code $schema}, 2020-12 when it names none (as Helm 3.18+).
 * Every violation is an error {@code values_schema.invalid} at the value's JSON pointer naming the rule it breaks;
 * never the value, which may be a resolved secret.
 */
public final class ValuesSchemaCheck implements DryRunCheck {

    /**
     * Draft 2020-12 for a schema without {@code $schema}, as Helm 3.18+ compiles them (santhosh-tekuri/jsonschema v6's
     * default; proven by the differential test); the drafts' meta-schemas are built in, and
     * a {@code $ref} to a URL is not fetched (no downloads at run time): such a schema makes the check fail, saying so.
     */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.resourceLoaders(loaders -> loaders.values(list -> list.removeIf(
                    l -> l instanceof com.networknt.schema.resource.IriResourceLoader))));

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "values_schema";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return context.chart().isPresent();
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        ChartSchemas read = ChartSchemas.read(context.operation(), context.chart().get());
        if (!read.anySchema()) {
            return;   // no schema anywhere: nothing to coalesce
        }
        ChartSchemas chart = HelmDependencies.enabled(read, context.values());
        validate(chart, TracedCoalesce.values(chart.defaultsTree(null), context.values()), "", context, report);
    }

    private void validate(ChartSchemas chart, Map<String, Object> values, String at, CheckContext context, ReportBuilder report) {
        if (chart.schema() != null) {
            Schema schema;
            try {
                schema = SCHEMAS.getSchema(json.readTree(chart.schema()));
            } catch (java.io.IOException | RuntimeException e) {
                report.add(Finding.general(name(), "values_schema.unreadable", Severity.ERROR,
                        "the values.schema.json of chart " + named(chart) + " cannot be read: " + context.mask().apply(String.valueOf(e.getMessage())),
                        "fix the chart's values.schema.json"));
                return;
            }
            for (Error e : schema.validate(json.valueToTree(values))) {
                report.add(finding(chart, at, e, context));
            }
        }
        for (ChartSchemas sub : chart.subcharts()) {
            if (values.get(sub.name()) instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> subValues = (Map<String, Object>) m;
                validate(sub, subValues, at + "/" + escape(sub.name()), context, report);
            }
        }
    }

    /** The chart as Helm names it ({@code cache}), and its own name when that is an alias ({@code cache (chart redis)}). */
    private static String named(ChartSchemas chart) {
        return "'" + chart.name() + "'" + (chart.name().equals(chart.chart()) ? "" : " (chart '" + chart.chart() + "')");
    }

    /** Where and which rule, from the schema (the chart's, not secret); never the instance value. */
    private Finding finding(ChartSchemas chart, String at, Error e, CheckContext context) {
        String pointer = at + pointerOf(e);
        String keyword = e.getKeyword();
        if (("required".equals(keyword) || "additionalProperties".equals(keyword) || "unevaluatedProperties".equals(keyword)
                || "dependentRequired".equals(keyword)) && e.getProperty() != null) {
            pointer = pointer + "/" + escape(e.getProperty());
        }
        String rule = keyword + expected(keyword, e.getSchemaNode(), e.getProperty());
        String where = pointer.isEmpty() ? "the values" : "the value at " + pointer;
        String message = context.mask().apply(where + " breaks the rule " + rule + " of the values.schema.json of chart " + named(chart));
        return new Finding(name(), "values_schema.invalid", Severity.ERROR, Optional.empty(), Optional.of(pointer.isEmpty() ? "/" : pointer),
                message, Optional.of("change the value at " + (pointer.isEmpty() ? "/" : pointer) + " so it meets the schema, or the schema"
                        + globalHint(at, pointer.substring(at.length()))));
    }

    /** A subchart's global comes from its parent's, which wins: say where to change it. */
    private static String globalHint(String subchart, String inChart) {
        return !subchart.isEmpty() && (inChart + "/").startsWith("/global/")
                ? " (a global: the parent's " + inChart + " is pushed down into the subchart and wins over it)" : "";
    }

    /** The instance location as a JSON pointer. */
    private static String pointerOf(Error e) {
        StringBuilder out = new StringBuilder();
        com.networknt.schema.path.NodePath path = e.getInstanceLocation();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            out.append('/').append(escape(String.valueOf(element)));
        }
        return out.toString();
    }

    /** What the rule expects, as the schema says it (keywords whose expectation is a subschema say only their name). */
    private static String expected(String keyword, JsonNode schema, String property) {
        if (schema == null) {
            return "";
        }
        JsonNode rule = schema.has(keyword) ? schema.get(keyword) : schema;
        return switch (keyword) {
            case "required", "dependentRequired" -> property == null ? "" : " (missing '" + property + "')";
            case "additionalProperties", "unevaluatedProperties" -> property == null ? "" : " (property '" + property + "' is not allowed)";
            default -> rule.isValueNode() || rule.isArray() && rule.size() <= 20 && allValues(rule) ? " (expected " + rule + ")" : "";
        };
    }

    private static boolean allValues(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isValueNode()) {
                return false;
            }
        }
        return true;
    }

    /** Helm's words when values break a chart's schema (chartutil.ValidateAgainstSchema), which it checks before rendering. */
    private static final String HELMS_REFUSAL = "values don't meet the specifications of the schema(s)";

    /** Whether a failed dry run's message is Helm refusing the values against the chart's schema. */
    public static boolean isHelmsRefusal(String message) {
        return message != null && message.contains(HELMS_REFUSAL);
    }

    /**
     * A finding for Helm's refusal where this validation found nothing (a schema feature read differently): the paths
     * Helm names ({@code - at '/image/tag': ...}), never the rest of its words, which quote the values.
     */
    public static Finding helmsRefusal(String message) {
        java.util.regex.Matcher at = java.util.regex.Pattern.compile("at '([^']*)'").matcher(message);
        java.util.Set<String> paths = new java.util.LinkedHashSet<>();
        while (at.find()) {
            paths.add(at.group(1).isEmpty() ? "/" : at.group(1));
        }
        return new Finding("values_schema", "values_schema.invalid", Severity.ERROR, Optional.empty(),
                paths.size() == 1 ? Optional.of(paths.iterator().next()) : Optional.empty(),
                "Helm refused the values against the chart's values.schema.json at " + (paths.isEmpty() ? "(no path given)" : String.join(", ", paths)),
                Optional.of("run `helm lint` or `helm template` with these values to see Helm's own words"));
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
