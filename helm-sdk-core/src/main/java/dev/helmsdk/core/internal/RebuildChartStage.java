package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Rebuilds the rollback target's chart from its stored release (templates, defaults, metadata),
 * since helm-java has no rollback and the SDK rolls back through an upgrade; deleted afterwards.
 */
final class RebuildChartStage implements ChangeStage {

    private final ChartRebuilder rebuilder;
    private final Path workDir;

    RebuildChartStage(ChartRebuilder rebuilder, Path workDir) {
        this.rebuilder = rebuilder;
        this.workDir = workDir;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.kind() == Operation.ROLLBACK && c.changes();   // a dry run checks the stored manifest, not a chart
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Path dir = rebuilder.rebuild(c.target(), workDir.resolve("rollback-" + UUID.randomUUID()));
        try {
            return next.run(c.withChart(new ChartSource.Resolved(dir.toString(), null, null, null)));
        } finally {
            WorkDirectory.deleteTree(dir);
        }
    }
}
