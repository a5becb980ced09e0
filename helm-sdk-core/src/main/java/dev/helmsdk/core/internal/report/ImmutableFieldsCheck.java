package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;

/**
 * Changes to fields no update may change ({@link ImmutableFieldRules}), found before Helm's upgrade fails on them:
 * an error ({@code immutable_field.changed}) per field, from the live objects {@link ServerReads} read.
 */
public final class ImmutableFieldsCheck extends ServerCheck {

    public ImmutableFieldsCheck(ServerReads reads) {
        super("immutable_field", reads);
    }

    @Override
    void check(CheckContext context, ServerView view, ReportBuilder report) {
        for (ServerView.Entry e : view.objects()) {
            if (e.live().isEmpty()) {
                continue;
            }
            for (String pointer : ImmutableFieldRules.changed(e.ref().kind(), e.live().get(), e.rendered())) {
                report.add(Finding.about(name(), "immutable_field.changed", Severity.ERROR, e.ref(), pointer,
                        e.ref().id() + ": the change sets " + pointer + ", which the API server lets no update change",
                        "Helm's upgrade would fail on it; delete and recreate the object (an upgrade with force does), "
                                + "or keep the field as it is live"));
            }
        }
    }
}
