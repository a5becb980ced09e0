package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;

/**
 * Changes to fields no update may change ({@link ImmutableFieldRules}), found before Helm's upgrade fails on them:
 * an error ({@code immutable_field.changed}) per field, from the live objects {@link ServerReads} read.
 */
public final class ImmutableFieldsCheck implements DryRunCheck {

    private final ServerReads reads;

    public ImmutableFieldsCheck(ServerReads reads) {
        this.reads = reads;
    }

    @Override
    public String name() {
        return "immutable_field";
    }

    @Override
    public boolean appliesTo(CheckContext context) {
        return context.server();
    }

    @Override
    public void check(CheckContext context, ReportBuilder report) {
        for (ServerView.Entry e : reads.of(context).objects()) {
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
