package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chart's {@code values.schema.json} against the values it renders with, as Helm validates them: the values
 * given coalesced over the chart's defaults, each subchart's schema against its part of them ({@code values.<name>})
 * with the globals; the draft chosen by the schema's {@code $schema}, draft-07 when it names none (as Helm).
 * Every violation is an error {@code values_schema.invalid} at the value's JSON pointer naming the rule it breaks;
 * never the value, which may be a resolved secret.
 */
public final class ValuesSchemaCheck implements DryRunCheck {

    /**
     * Draft-07 for a schema without {@code $schema}, as Helm compiles them; the drafts' meta-schemas are built in, and
     * a {@code $ref} to a URL is not fetched (no downloads at run time): such a schema makes the check fail, saying so.
     */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            b -> b.resourceLoaders(loaders -> loaders.values(list -> list.removeIf(
                    l -> l instanceof com.networknt.schema.resource.IriResourceLoader))));

    private final ObjectMapper yaml;
    private final ObjectMapper json = new ObjectMapper();

    public ValuesSchemaCheck(ObjectMapper yaml) {
        this.yaml = yaml;
    }

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
        ChartSchemas chart = ChartSchemas.read(context.chart().get(), yaml);
        if (!chart.anySchema()) {
            return;
        }
        validate(chart, HelmCoalesce.coalesce(chart, context.values()), "", context, report);
    }

    private void validate(ChartSchemas chart, Map<String, Object> values, String at, CheckContext context, ReportBuilder report) {
        if (chart.schema() != null) {
            Schema schema;
            try {
                schema = SCHEMAS.getSchema(json.readTree(chart.schema()));
            } catch (java.io.IOException | RuntimeException e) {
                report.add(Finding.general(name(), "values_schema.unreadable", Severity.ERROR,
                        "the values.schema.json of chart '" + chart.name() + "' cannot be read: " + context.mask().apply(String.valueOf(e.getMessage())),
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
        String message = context.mask().apply(where + " breaks the rule " + rule + " of the values.schema.json of chart '" + chart.name() + "'");
        return new Finding(name(), "values_schema.invalid", Severity.ERROR, Optional.empty(), Optional.of(pointer.isEmpty() ? "/" : pointer),
                message, Optional.of("change the value at " + (pointer.isEmpty() ? "/" : pointer) + " so it meets the schema, or the schema"));
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

    /** Helm's coalescing of given values over chart defaults (chartutil.CoalesceValues), for what Helm validates. */
    static final class HelmCoalesce {

        private HelmCoalesce() {
        }

        static Map<String, Object> coalesce(ChartSchemas chart, Map<String, Object> given) {
            Map<String, Object> out = copy(given);
            coalesceInto(chart, out);
            return out;
        }

        private static void coalesceInto(ChartSchemas chart, Map<String, Object> values) {
            mergeDefaults(values, chart.defaults());
            Object globals = values.get("global");
            for (ChartSchemas sub : chart.subcharts()) {
                Object existing = values.get(sub.name());
                Map<String, Object> subValues = existing instanceof Map<?, ?> ? castCopy(existing) : new LinkedHashMap<>();
                if (existing != null && !(existing instanceof Map<?, ?>)) {
                    continue;   // Helm warns and leaves a non-map value alone
                }
                coalesceInto(sub, subValues);
                if (globals instanceof Map<?, ?> g) {
                    Map<String, Object> subGlobals = subValues.get("global") instanceof Map<?, ?> sg ? castCopy(sg) : new LinkedHashMap<>();
                    subGlobals.putAll(castCopy(g));   // the parent's globals win
                    subValues.put("global", subGlobals);
                }
                values.put(sub.name(), subValues);
            }
        }

        /** Defaults under given values; a given {@code null} removes the default (Helm's way to unset a key). */
        private static void mergeDefaults(Map<String, Object> values, Map<String, Object> defaults) {
            for (Map.Entry<String, Object> d : defaults.entrySet()) {
                String key = d.getKey();
                if (!values.containsKey(key)) {
                    if (d.getValue() != null) {
                        values.put(key, copyValue(d.getValue()));
                    }
                } else if (values.get(key) == null) {
                    values.remove(key);
                } else if (values.get(key) instanceof Map<?, ?> v && d.getValue() instanceof Map<?, ?> dm) {
                    Map<String, Object> merged = castCopy(v);
                    mergeDefaults(merged, castCopy(dm));
                    values.put(key, merged);
                }
            }
            values.values().removeIf(java.util.Objects::isNull);
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> castCopy(Object map) {
            return copy((Map<String, Object>) map);
        }

        private static Map<String, Object> copy(Map<String, Object> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, copyValue(v)));
            return out;
        }

        private static Object copyValue(Object v) {
            if (v instanceof Map<?, ?> m) {
                return castCopy(m);
            }
            if (v instanceof List<?> l) {
                List<Object> out = new ArrayList<>();
                l.forEach(x -> out.add(copyValue(x)));
                return out;
            }
            return v;
        }
    }
}
