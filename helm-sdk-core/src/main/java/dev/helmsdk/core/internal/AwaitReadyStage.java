package dev.helmsdk.core.internal;

import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReadinessFailedException;

/**
 * Waits, in Java, for the new revision's resources to be ready and runs the health checks within
 * the readiness limit. When either fails, the revision is recorded failed and the earlier revisions
 * get back the statuses they had, as Helm's {@code --wait} leaves them.
 */
final class AwaitReadyStage implements ChangeStage {

    private final ReadinessPhase readiness;
    private final ReleaseStore store;

    AwaitReadyStage(ReadinessPhase readiness, ReleaseStore store) {
        this.readiness = readiness;
        this.store = store;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.waitReady() && c.kind() != Operation.UNINSTALL;
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Operation op = c.op();
        // What a process that finds the revision still awaiting readiness after this one died should do.
        String onFailure = c.kind() == Operation.ROLLBACK ? AwaitingReadiness.NO_REMEDIATION
                : AwaitingReadiness.remediation(c.rollbackOnFailure(), c.deployedBefore());
        StoredRelease ready;
        try {
            ready = readiness.awaitReadyAndHealthy(op, c.namespace(), c.release(), c.revision(), c.timeouts().readiness(), c.progress(),
                    c.healthChecks(), onFailure);
        } catch (ReadinessFailedException | OperationTimeoutException | HealthCheckFailedException e) {
            throw HistoryRepair.repairing(e, c.namespace(), c.release(),
                    () -> store.restoreStatuses(op, c.namespace(), c.release(), HistoryRules.afterFailedWait(c.earlier())));
        }
        // The record as confirmed is the one to return, unless health checks ran: one may have run Helm's tests,
        // which rewrite the record.
        return next.run(c.healthChecks().isEmpty() ? c.withRecorded(ready) : c);
    }
}
