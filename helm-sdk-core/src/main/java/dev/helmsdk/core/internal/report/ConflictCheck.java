package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Objects that exist and that this release does not own, checked as Helm checks them before an install or upgrade
 * creates them (its {@code existingResourceConflict}: only objects the deployed revision does not have; ownership is
 * the label {@code app.kubernetes.io/managed-by=Helm} and the annotations {@code meta.helm.sh/release-name} and
 * {@code meta.helm.sh/release-namespace}), reported in Helm's own words ({@code conflict.not_owned}).
 */
public final class ConflictCheck extends ServerCheck {

    public ConflictCheck(ServerReads reads) {
        super("conflict", reads);
    }

    @Override
    void check(CheckContext context, ServerView view, ReportBuilder report) {
        for (ServerView.Entry e : view.objects()) {
            if (e.live().isEmpty() || e.deployed()) {
                continue;
            }
            String problem = ownershipProblem(e.live().get(), context.releaseName(), context.namespace());
            if (problem != null) {
                report.add(Finding.about(name(), "conflict.not_owned", Severity.ERROR, e.ref(), "/metadata",
                        e.ref().kind() + " \"" + e.ref().name() + "\" in namespace \"" + e.ref().namespace()
                                + "\" exists and cannot be imported into the current release: " + problem,
                        "delete it, rename it in the chart, or adopt it: label it app.kubernetes.io/managed-by=Helm and annotate it "
                                + "meta.helm.sh/release-name=" + context.releaseName() + " and meta.helm.sh/release-namespace="
                                + context.namespace()));
            }
        }
    }

    /** Helm's {@code checkOwnership}: {@code null} when the release owns it, else Helm's message. */
    static String ownershipProblem(Map<String, Object> live, String release, String namespace) {
        Map<?, ?> meta = live.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        List<String> errors = new ArrayList<>();
        String label = requireValue(meta.get("labels"), "app.kubernetes.io/managed-by", "Helm");
        if (label != null) {
            errors.add("label validation error: " + label);
        }
        for (String[] kv : new String[][] {{"meta.helm.sh/release-name", release}, {"meta.helm.sh/release-namespace", namespace}}) {
            String annotation = requireValue(meta.get("annotations"), kv[0], kv[1]);
            if (annotation != null) {
                errors.add("annotation validation error: " + annotation);
            }
        }
        return errors.isEmpty() ? null : "invalid ownership metadata; " + String.join("; ", errors);
    }

    private static String requireValue(Object map, String key, String value) {
        Map<?, ?> m = map instanceof Map<?, ?> mm ? mm : Map.of();
        if (!m.containsKey(key)) {
            return "missing key \"" + key + "\": must be set to \"" + value + "\"";
        }
        if (!value.equals(m.get(key))) {
            return "key \"" + key + "\" must equal \"" + value + "\": current value is \"" + m.get(key) + "\"";
        }
        return null;
    }
}
