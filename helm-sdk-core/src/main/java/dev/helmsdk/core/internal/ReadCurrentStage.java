package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;

/**
 * Reads the release an uninstall removes, to return it: a release that does not exist is
 * reported as not found before its lock is taken.
 */
final class ReadCurrentStage implements ChangeStage {

    private final ReleaseStore store;

    ReadCurrentStage(ReleaseStore store) {
        this.store = store;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.kind() == Operation.UNINSTALL;
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        return next.run(c.withResult(store.revision(c.op(), c.namespace(), c.release(), 0).toRelease(c.namespace())));
    }
}
