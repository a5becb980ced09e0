package dev.helmsdk.core.internal;

/**
 * One step of every change, with one job (resolve the chart, take the lock, apply through Helm,
 * ...). A stage runs around the stages after it: it may add to the context before handing it on,
 * clean up after ({@code finally}), or handle what the rest throws (remediation).
 */
interface ChangeStage {

    /** The stages after this one. */
    interface Next {
        ChangeContext run(ChangeContext context);
    }

    /** Whether this stage takes part in the change; when not, the pipeline goes straight on. */
    boolean appliesTo(ChangeContext context);

    /** Does this stage's job and runs {@code next}, returning the context the change ends with. */
    ChangeContext run(ChangeContext context, Next next);
}
