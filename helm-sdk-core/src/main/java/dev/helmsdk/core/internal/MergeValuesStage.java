package dev.helmsdk.core.internal;

/**
 * Merges the request's values files, maps and {@code set}s in Helm's order, refusing bad values
 * files (too large, too deep, not YAML) before the cluster is read or changed.
 */
final class MergeValuesStage implements ChangeStage {

    private final ValuesMerger merger;

    MergeValuesStage(ValuesMerger merger) {
        this.merger = merger;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.fromChart();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        return next.run(c.withValues(merger.merge(c.op(), c.release(), c.deploy().values())));
    }
}
