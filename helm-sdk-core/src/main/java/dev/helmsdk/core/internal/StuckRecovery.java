package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseBusyException;
import dev.helmsdk.api.ReleaseStuckException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * What to do when Helm refuses a change because the latest revision is pending while no helm-sdk
 * operation holds the release (the caller does): a process died mid-change and left it stuck.
 * Recovery, when enabled and the revision has been pending long enough, marks it failed and tries
 * once more; otherwise a typed error says what happened and how to proceed.
 */
final class StuckRecovery {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StuckRecovery.class);

    private final ReleaseStore store;
    private final Duration recoverAfter;
    private final java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals;

    /**
     * {@code recoverAfter}: how long a revision must have been pending to count as stuck; {@code null}: never recover.
     * {@code signals}: where a recovery is told, for the operation on the calling thread.
     */
    StuckRecovery(ReleaseStore store, Duration recoverAfter, java.util.function.Consumer<dev.helmsdk.api.spi.OperationSignal> signals) {
        this.store = store;
        this.signals = signals;
        this.recoverAfter = recoverAfter;
    }

    /** Runs {@code change} (which returns the revision Helm recorded), recovering a stuck release as configured. */
    int unlessStuck(Operation op, String namespace, String release, IntSupplier change) {
        try {
            return change.getAsInt();
        } catch (HelmOperationException e) {
            if (!e.helmMessage().contains("another operation (install/upgrade/rollback) is in progress")) {
                throw e;
            }
            List<StoredRelease> all = store.revisions(op, namespace, release);
            StoredRelease latest = all.isEmpty() ? null : all.get(all.size() - 1);
            if (latest == null || !latest.status().isPending()) {
                throw e;
            }
            Instant since = latest.lastDeployed();
            Duration pendingFor = since == null ? Duration.ZERO : Duration.between(since, Instant.now());
            String where = "release '" + release + "' in namespace '" + namespace + "' is " + latest.status().helmName()
                    + " at revision " + latest.revision() + (since == null ? "" : " since " + since + " (" + pendingFor.toSeconds() + " s)")
                    + (latest.description().isEmpty() ? "" : " ('" + latest.description() + "')");
            if (recoverAfter == null) {
                throw new ReleaseStuckException(op, release, latest.revision(), latest.status(), where
                        + " and no helm-sdk operation holds it: a process probably died in the middle of a change."
                        + " Enable HelmSdk.builder().recoverStuckReleases(...) to mark that revision failed and go on,"
                        + " or repair it by hand");
            }
            if (pendingFor.compareTo(recoverAfter) < 0) {
                throw new ReleaseBusyException(op, release, "another Helm client", where + ", less than the "
                        + recoverAfter + " after which it counts as stuck: another Helm client may still be changing it");
            }
            store.markFailed(op, namespace, release, latest.revision(),
                    "Marked failed by helm-sdk: left " + latest.status().helmName() + " by an operation that did not finish");
            LOG.warn("{}: marked revision {} failed (stuck release recovery) and retrying {}", where, latest.revision(), op.tag());
            signals.accept(new dev.helmsdk.api.spi.OperationSignal.ReleaseRecovered(latest.status()));
            return change.getAsInt();
        }
    }
}
