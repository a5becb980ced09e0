package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;

/**
 * Takes the statuses of the release's revisions before an install or upgrade that waits for
 * readiness or undoes a failure: Helm's upgrade supersedes the revision it starts from, and a wait
 * that fails in Java, or the undo, must know what to put back and what to return to.
 */
final class SnapshotHistoryStage implements ChangeStage {

    private final ReleaseStore store;

    SnapshotHistoryStage(ReleaseStore store) {
        this.store = store;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return (c.kind() == Operation.INSTALL || c.kind() == Operation.UPGRADE) && c.changes()
                && (c.waitReady() || c.rollbackOnFailure());
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        return next.run(c.withEarlier(store.statuses(c.op(), c.namespace(), c.release())));
    }
}
