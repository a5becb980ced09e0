package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseBusyException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseStuckException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Deals with a latest revision still marked {@link AwaitingReadiness} when a change starts: Helm
 * recorded it deployed, but the process that was waiting for it to become ready stopped before
 * saying whether it did. Helm's own {@code --wait} would have left such a revision pending; it is
 * handled as a stuck pending revision is: refused with {@link ReleaseStuckException} naming the
 * remediation the waiting request had asked for, or, with stuck-release recovery, marked failed
 * (its readiness was never confirmed) before the change goes ahead.
 */
final class UnconfirmedRevisions {

    private static final Logger LOG = LoggerFactory.getLogger(UnconfirmedRevisions.class);

    private final ReleaseStore store;
    private final ReleaseLocks locks;
    private final Duration recoverAfter;

    UnconfirmedRevisions(ReleaseStore store, ReleaseLocks locks, Duration recoverAfter) {
        this.store = store;
        this.locks = locks;
        this.recoverAfter = recoverAfter;
    }

    /** Called holding the release: with cluster locks, a waiter still alive would hold it instead. */
    void check(Operation op, String namespace, String release) {
        Optional<AwaitingReadiness> found = store.awaitingReadiness(op, namespace, release);
        if (found.isEmpty()) {
            return;
        }
        AwaitingReadiness a = found.get();
        Instant now = Instant.now();
        String where = "release '" + release + "' in namespace '" + namespace + "' has revision " + a.revision()
                + " deployed by Helm but never confirmed ready: " + a.describe();
        if (!locks.clusterWide() && now.isBefore(a.until())) {
            throw new ReleaseBusyException(op, release, a.by(), where + "; without cluster locks its waiter may still be waiting");
        }
        String remedy = AwaitingReadiness.NO_REMEDIATION.equals(a.onFailure()) ? ""
                : " The request that made it asked for '" + a.onFailure() + "' on failure"
                + (a.onFailure().startsWith("rollback to ") ? ": helm.rollback(\"" + release + "\").toRevision("
                + a.onFailure().substring("rollback to ".length()) + ") does it." : ".");
        // Holding the release, the waiter is known to be gone: recovery needs no further waiting.
        if (recoverAfter == null) {
            throw new ReleaseStuckException(op, release, a.revision(), ReleaseStatus.fromHelm(a.pendingStatus()), where
                    + "; the process waiting for it stopped." + remedy
                    + " Enable HelmSdk.builder().recoverStuckReleases(...) to mark that revision failed and go on, or repair it by hand");
        }
        store.markFailed(op, namespace, release, a.revision(), "Readiness not confirmed: the helm-sdk operation waiting for it"
                + " (" + a.by() + ") stopped; on failure it had asked for: " + a.onFailure());
        LOG.warn("{}; marked revision {} failed (stuck release recovery) and going on with {}.{}", where, a.revision(), op.tag(), remedy);
    }
}
