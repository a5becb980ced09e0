package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;

import java.util.Locale;

/**
 * The API server's answer to a server-side apply dry run of every object: validation, admission webhooks,
 * ValidatingAdmissionPolicies and defaulting. Each refusal is an error ({@code admission.refused}) located at the
 * object and, where the server names one, the field; an immutable field that {@link ImmutableFieldsCheck} reports
 * is left to it, so it is reported once. Objects that could not be sent (a namespace the install creates, a CRD
 * of the same chart) are an info finding each ({@code admission.skipped}), not a refusal.
 */
public final class AdmissionCheck extends ServerCheck {

    public AdmissionCheck(ServerReads reads) {
        super("admission", reads);
    }

    @Override
    void check(CheckContext context, ServerView view, ReportBuilder report) {
        for (ServerView.Entry e : view.objects()) {
            e.skipped().ifPresent(why -> report.add(Finding.about(name(), "admission.skipped", Severity.INFO, e.ref(), null,
                    "not sent to the API server's admission: " + why,
                    "the real change creates it first; its admission is checked when the change runs")));
            if (e.refusal().isEmpty()) {
                continue;
            }
            ServerView.Refusal r = e.refusal().get();
            boolean immutableReported = e.live().isPresent()
                    && !ImmutableFieldRules.changed(e.ref().kind(), e.live().get(), e.rendered()).isEmpty();
            int reported = 0;
            for (ServerView.Cause c : r.causes()) {
                if (immutableReported && immutable(c.message())) {
                    reported++;
                    continue;
                }
                report.add(Finding.about(name(), "admission.refused", Severity.ERROR, e.ref(), c.field().orElse(null),
                        "the API server refused " + e.ref().id() + ": " + c.field().map(f -> f + ": ").orElse("") + c.message(),
                        "the change would fail here; fix the chart or its values, or what in the cluster refuses it"));
                reported++;
            }
            if (reported == 0 && !(immutableReported && immutable(r.message()))) {
                report.add(Finding.about(name(), "admission.refused", Severity.ERROR, e.ref(), null,
                        "the API server refused " + e.ref().id() + " (" + r.code() + "): " + r.message(),
                        "the change would fail here; fix the chart or its values, or what in the cluster refuses it"));
            }
        }
    }

    private static boolean immutable(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("immutable") || m.contains("updates to statefulset spec for fields other than");
    }
}
