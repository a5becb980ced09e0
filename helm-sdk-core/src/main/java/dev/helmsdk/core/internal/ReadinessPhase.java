package dev.helmsdk.core.internal;

import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.Release;
import dev.helmsdk.core.internal.readiness.ReadinessException;
import dev.helmsdk.core.internal.readiness.ReadinessFailure;
import dev.helmsdk.core.internal.readiness.ReadinessListener;
import dev.helmsdk.core.internal.readiness.ReadinessSnapshot;
import dev.helmsdk.core.internal.readiness.ReadinessTimeoutException;
import dev.helmsdk.core.internal.readiness.ReadinessWaiter;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The wait after a change or rollback: readiness in Java, then the health checks in the time that
 * is left; a revision that does not become ready, or fails a check, is recorded failed.
 */
final class ReadinessPhase {

    /** Runs a release's {@code helm test} hooks, for the health check that asks for them. */
    interface HelmTests {
        void run(Operation op, String ns, String name, Duration limit);
    }

    private final ReleaseStore store;
    private final ReadinessWaiter readiness;
    private final String waiter;
    private final HelmTests tests;

    /** {@code waiter}: who waits, as recorded on a revision awaiting readiness (the manager's lock identity). */
    ReadinessPhase(ReleaseStore store, ReadinessWaiter readiness, String waiter, HelmTests tests) {
        this.store = store;
        this.readiness = readiness;
        this.waiter = waiter;
        this.tests = tests;
    }

    /** Waits for the revision to be ready within {@code limit}, then runs {@code checks} in what is left of it. */
    void awaitReadyAndHealthy(Operation op, String ns, String name, int revision, Duration limit,
                              java.util.function.Consumer<dev.helmsdk.api.ReadinessProgress> progress,
                              List<HealthCheck> checks, String onFailure) {
        long waitStart = System.nanoTime();
        awaitReady(op, ns, name, revision, limit, progress, onFailure);
        Duration left = limit.minusNanos(System.nanoTime() - waitStart);
        runHealthChecks(op, ns, name, revision, checks, left.isNegative() ? Duration.ZERO : left);
    }

    /**
     * Waits for the revision's resources in Java; on failure or timeout records the revision as
     * failed, as {@code helm --wait} would, and throws the typed error.
     */
    private void awaitReady(Operation op, String ns, String name, int revision, Duration deadline,
                            java.util.function.Consumer<dev.helmsdk.api.ReadinessProgress> progress, String onFailure) {
        String manifest = store.revision(op, ns, name, revision).manifest();
        // Marked until confirmed, so that a process killed while waiting leaves a revision that does not look deployed.
        store.markAwaitingReadiness(op, ns, name, revision,
                new AwaitingReadiness(revision, Instant.now().plus(deadline), waiter, onFailure));
        try {
            readiness.await(ns, manifest, deadline, progress == null ? ReadinessListener.NONE : s -> progress.accept(progressOf(s)));
            store.clearAwaitingReadiness(op, ns, name, revision);
        } catch (ReadinessException e) {
            store.markFailed(op, ns, name, revision, "Readiness failed: " + e.getMessage());
            throw new ReadinessFailedException(op, name, e.failures().stream().map(ReadinessFailure::describe).toList(),
                    op.tag() + " of release '" + name + "' in namespace '" + ns + "': " + e.getMessage());
        } catch (ReadinessTimeoutException e) {
            store.markFailed(op, ns, name, revision, "Readiness timed out: " + e.getMessage());
            throw new OperationTimeoutException(op, name, deadline, op.tag() + " of release '" + name + "' in namespace '"
                    + ns + "': " + e.getMessage(), e);
        }
    }

    /** Runs the health checks in order; the first failure records the revision failed and is thrown. */
    private void runHealthChecks(Operation op, String ns, String name, int revision, List<HealthCheck> checks, Duration timeLeft) {
        if (checks.isEmpty()) {
            return;
        }
        Release release = store.revision(op, ns, name, revision).toRelease(ns);
        long deadline = System.nanoTime() + timeLeft.toNanos();
        for (HealthCheck check : checks) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            HealthCheck.Context context = new HealthCheck.Context() {
                @Override
                public Release release() {
                    return release;
                }

                @Override
                public Duration timeLeft() {
                    return left;
                }

                @Override
                public void runHelmTests() {
                    tests.run(Operation.HEALTH_CHECK, ns, name, left);
                }
            };
            HealthCheck.Result result;
            Exception cause = null;
            try {
                result = check.check(context);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HelmSdkException(op, name, "health check '" + check.name() + "' was interrupted", e);
            } catch (Exception e) {
                cause = e;
                result = HealthCheck.Result.fail(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            if (result == null || !result.healthy()) {
                String detail = result == null ? "the check returned no result" : result.detail();
                store.markFailed(op, ns, name, revision, "Health check " + check.name() + " failed: " + detail);
                throw new HealthCheckFailedException(op, name, check.name(), op.tag() + " of release '" + name + "' in namespace '"
                        + ns + "': health check '" + check.name() + "' failed: " + detail, cause);
            }
        }
    }

    private static dev.helmsdk.api.ReadinessProgress progressOf(ReadinessSnapshot s) {
        return new dev.helmsdk.api.ReadinessProgress(s.resources().stream().map(r -> new dev.helmsdk.api.ReadinessProgress.Resource(
                r.id(), dev.helmsdk.api.ReadinessProgress.State.valueOf(r.state().name()),
                r.ready() ? "" : r.detail().isEmpty() ? r.reason() : r.reason() + ": " + r.detail())).toList(), s.elapsed());
    }
}
