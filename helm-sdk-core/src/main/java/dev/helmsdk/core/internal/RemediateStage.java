package dev.helmsdk.core.internal;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseBusyException;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.api.spi.Readiness;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Undoes a failed install or upgrade that asked for it, within the cleanup limit: back to the
 * revision deployed before it, or, for a first install, uninstalled. The undo is a rollback or
 * uninstall of its own, through the pipeline (holding the change's lock) and the runner (timed,
 * logged, seen by interceptors as the change's remediation).
 */
final class RemediateStage implements ChangeStage {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RemediateStage.class);

    private final ReleaseStore store;
    private final OperationRunner runner;
    private final UnaryOperator<ChangeContext> pipeline;

    /** {@code pipeline}: runs the undo's own change. */
    RemediateStage(ReleaseStore store, OperationRunner runner, UnaryOperator<ChangeContext> pipeline) {
        this.store = store;
        this.runner = runner;
        this.pipeline = pipeline;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.rollbackOnFailure();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        try {
            return next.run(c);
        } catch (HelmSdkException failure) {
            // Nothing was changed: bad input, or someone else's change the release is stuck in or busy with.
            if (failure instanceof InvalidRequestException || failure instanceof ReleaseStuckException
                    || failure instanceof ReleaseBusyException) {
                throw failure;
            }
            throw undo(c, failure);
        }
    }

    /** Returns the exception to throw. */
    private HelmSdkException undo(ChangeContext c, HelmSdkException failure) {
        Operation op = c.op();
        String ns = c.namespace();
        String name = c.release();
        int before = c.deployedBefore();
        Timeouts t = c.timeouts();
        List<StoredRelease> all = store.revisions(op, ns, name);
        int latest = all.isEmpty() ? 0 : all.get(all.size() - 1).revision();
        if (latest == before) {
            return failure; // the change failed before Helm recorded anything: nothing to undo
        }
        try {
            if (before > 0) {
                ChangeContext back = ChangeContext.rollback(RollbackSpec.of(name, ns, t.withReadiness(t.cleanup())).toBuilder()
                        .revision(before).readiness(Readiness.ofDefaults().withEnabled(true)).cleanupOnFail(true).build()).withLockHeld();
                runner.signal(new OperationSignal.RemediationDecided("rollback", before));
                Release now = runner.runNested(Operation.ROLLBACK, name, ns, () -> pipeline.apply(back).releaseResult());
                LOG.warn("{} of release '{}' in namespace '{}' failed; rolled back to revision {} (now revision {})",
                        op.tag(), name, ns, before, now.revision());
                return new AutoRollbackException(failure, before, null, failure.getMessage() + "; rolled back to revision "
                        + before + " (now revision " + now.revision() + ")");
            }
            ChangeContext away = ChangeContext.uninstall(new UninstallSpec(name, ns, false, t.withStart(t.cleanup()))).withLockHeld();
            runner.signal(new OperationSignal.RemediationDecided("uninstall", 0));
            runner.runNested(Operation.UNINSTALL, name, ns, () -> pipeline.apply(away).releaseResult());
            LOG.warn("{} of release '{}' in namespace '{}' failed; the failed first install was uninstalled", op.tag(), name, ns);
            return new AutoRollbackException(failure, 0, null, failure.getMessage() + "; the failed first install was uninstalled");
        } catch (HelmSdkException rollbackFailure) {
            return new AutoRollbackException(failure, -1, rollbackFailure, failure.getMessage()
                    + "; undoing it failed too: " + rollbackFailure.getMessage());
        }
    }
}
