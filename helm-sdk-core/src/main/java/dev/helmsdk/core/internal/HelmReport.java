package dev.helmsdk.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the status report helm-java prints after an install or upgrade: {@code NAME: ...} lines,
 * with {@code debug} the {@code USER-SUPPLIED VALUES:} and {@code COMPUTED VALUES:} sections, then
 * {@code NOTES:}, and with {@code debug} Helm's log after a {@code ---} line. The computed values
 * are the {@code .Values} Helm rendered the chart with, after its own reuse/reset rules, which is
 * why a dry run of an upgrade asks for them. The text holds values: it is never logged.
 */
final class HelmReport {

    private static final String COMPUTED = "COMPUTED VALUES:\n";
    private static final String NOTES = "NOTES:\n";
    private static final String DEBUG_LOG = "\n---\n";

    private HelmReport() {
    }

    /** The rendered NOTES.txt, or empty. */
    static String notes(String output, boolean debug) {
        if (output == null) {
            return "";
        }
        String report = debug ? withoutLog(output) : output;
        int computed = afterValuesSection(report, COMPUTED, 0);
        int i = computed < 0 ? lineStart(report, NOTES) : afterValuesSection(report, NOTES, computed);
        return i < 0 ? "" : report.substring(i).strip();
    }

    /**
     * The {@code COMPUTED VALUES} of a debug report, or empty when the report has none (an older
     * helm-java, or an unreadable section).
     */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> computedValues(String output, ObjectMapper yaml) {
        String report = withoutLog(output == null ? "" : output);
        int start = afterValuesSection(report, COMPUTED, 0);
        if (start < 0) {
            return Optional.empty();
        }
        int notes = afterValuesSection(report, NOTES, start);
        String text = report.substring(start, notes < 0 ? report.length() : notes - NOTES.length());
        if (text.isBlank() || text.strip().equals("{}")) {
            return Optional.of(new LinkedHashMap<>());
        }
        try {
            Object parsed = yaml.readValue(text, Object.class);
            return parsed instanceof Map ? Optional.of((Map<String, Object>) parsed) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The report without Helm's debug log, which helm-java appends after a {@code ---} line. */
    private static String withoutLog(String output) {
        int i = output.lastIndexOf(DEBUG_LOG);
        return i < 0 ? output : output.substring(0, i + 1);
    }

    /**
     * Where the text after {@code heading} starts, for a heading that follows a values section: a
     * values section ends with an empty line, which a heading-like key inside the YAML cannot have
     * before it. -1 if there is none at or after {@code from}.
     */
    private static int afterValuesSection(String text, String heading, int from) {
        int i = text.indexOf("\n\n" + heading, Math.max(0, from - 2));
        return i < 0 ? -1 : i + 2 + heading.length();
    }

    /** Where the text after a heading at the start of a line begins; -1 if there is none. */
    private static int lineStart(String text, String heading) {
        if (text.startsWith(heading)) {
            return heading.length();
        }
        int i = text.indexOf("\n" + heading);
        return i < 0 ? -1 : i + 1 + heading.length();
    }
}
