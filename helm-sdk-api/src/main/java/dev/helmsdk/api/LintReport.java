package dev.helmsdk.api;

import java.util.List;

/**
 * Helm's lint findings for a chart.
 *
 * @param failed   {@code true} when Helm considers the chart broken (errors, or warnings in strict mode)
 * @param messages Helm's messages, e.g. {@code [ERROR] Chart.yaml: version is required}
 */
public record LintReport(boolean failed, List<String> messages) {

    /** Copies the messages. */
    public LintReport {
        messages = List.copyOf(java.util.Objects.requireNonNull(messages, "messages"));
    }

    /** The messages Helm marked {@code [ERROR]}. */
    public List<String> errors() {
        return messages.stream().filter(m -> m.contains("[ERROR]")).toList();
    }

    /** The messages Helm marked {@code [WARNING]}. */
    public List<String> warnings() {
        return messages.stream().filter(m -> m.contains("[WARNING]")).toList();
    }
}
