package dev.helmsdk.core.internal;

/**
 * Holds the release for the rest of the change (in this JVM, and across managers through its
 * Lease when cluster locks are on), waiting at most the start limit; gives it back at the end,
 * however the change ends. A remediation inside a change that holds the release does not take it again.
 */
final class LockStage implements ChangeStage {

    private final ReleaseLocks locks;

    LockStage(ReleaseLocks locks) {
        this.locks = locks;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.changes() && !c.lockHeld();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        try (HeldRelease held = locks.acquire(c.op(), c.namespace(), c.release(), c.timeouts().start())) {
            return next.run(c.withLockHeld());
        }
    }
}
