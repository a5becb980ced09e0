package dev.helmsdk.core.internal.report;

/** A check of what the cluster answered ({@link ServerView}): server mode only, the view read once and shared. */
abstract class ServerCheck implements DryRunCheck {

    private final String name;
    private final ServerReads reads;

    ServerCheck(String name, ServerReads reads) {
        this.name = name;
        this.reads = reads;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean appliesTo(CheckContext context) {
        return context.server();
    }

    @Override
    public final void check(CheckContext context, ReportBuilder report) {
        check(context, reads.of(context), report);
    }

    /** Checks what the cluster answered for {@code context}. */
    abstract void check(CheckContext context, ServerView view, ReportBuilder report);
}
