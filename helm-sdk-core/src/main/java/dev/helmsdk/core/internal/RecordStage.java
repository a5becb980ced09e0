package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;

/**
 * Records the outcome of an install, upgrade or rollback as Helm would have: a rollback
 * supersedes the revisions that were deployed; the history is pruned to the manager's
 * {@code maxHistory}; and the new revision is read back as stored, to return it (unless the
 * readiness wait's last write already gave it).
 */
final class RecordStage implements ChangeStage {

    private final ReleaseStore store;
    private final int maxHistory;

    RecordStage(ReleaseStore store, int maxHistory) {
        this.store = store;
        this.maxHistory = maxHistory;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.changes() && c.kind() != Operation.UNINSTALL;
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Operation op = c.op();
        if (c.kind() == Operation.ROLLBACK) {
            store.restoreStatuses(op, c.namespace(), c.release(), HistoryRules.afterRollback(c.earlier()));
        }
        // Revisions are numbered from 1, so up to maxHistory of them cannot need pruning: skip the LIST.
        // When it is needed, it holds the new revision too: no GET of it.
        StoredRelease recorded = maxHistory > 0 && c.revision() > maxHistory
                ? store.pruneHistoryAndGet(op, c.namespace(), c.release(), maxHistory, c.revision())
                : c.recorded() != null ? c.recorded()   // as the readiness wait wrote it last; the statuses restored above are others'
                : store.revision(op, c.namespace(), c.release(), c.revision());
        return next.run(c.withResult(recorded.toRelease(c.namespace())));
    }
}
