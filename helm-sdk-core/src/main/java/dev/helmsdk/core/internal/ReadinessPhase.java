package dev.helmsdk.core.internal;

import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.internal.readiness.ReadinessException;
import dev.helmsdk.core.internal.readiness.ReadinessFailure;
import dev.helmsdk.core.internal.readiness.ReadinessListener;
import dev.helmsdk.core.internal.readiness.ReadinessSnapshot;
import dev.helmsdk.core.internal.readiness.ReadinessTimeoutException;
import dev.helmsdk.core.internal.readiness.ReadinessWaiter;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The wait after a change or rollback: readiness in Java, then the health checks in the time that
 * is left; a revision that does not become ready, or fails a check, is recorded failed. Each is a
 * phase of the operation, and none outlasts the operation's deadline: the readiness limit is cut
 * to it, and a health check's {@link HealthCheck.Context#timeLeft()} is what is left of both.
 */
final class ReadinessPhase {

    /** Runs a release's {@code helm test} hooks, for the health check that asks for them. */
    interface HelmTests {
        void run(Operation op, String ns, String name, Duration limit);

        /** Runs them and reports each test, a failed one included. */
        dev.helmsdk.api.TestReport report(Operation op, String ns, String name, Duration limit);
    }

    private final ReleaseStore store;
    private final ReadinessWaiter readiness;
    private final String waiter;
    private final HelmTests tests;
    private final Supplier<Optional<Deadline>> deadlines;
    private final java.util.function.Consumer<OperationSignal> signals;

    /**
     * @param waiter    who waits, as recorded on a revision awaiting readiness (the manager's lock identity)
     * @param deadlines the deadline of the operation on the calling thread
     * @param signals   where a wait's end is told ({@link OperationSignal.ReadinessEnded}), for the operation on the calling thread
     */
    ReadinessPhase(ReleaseStore store, ReadinessWaiter readiness, String waiter, HelmTests tests, Supplier<Optional<Deadline>> deadlines,
                   java.util.function.Consumer<OperationSignal> signals) {
        this.signals = signals;
        this.store = store;
        this.readiness = readiness;
        this.waiter = waiter;
        this.tests = tests;
        this.deadlines = deadlines;
    }

    /**
     * Waits for the revision to be ready within {@code limit}, then runs {@code checks} in what is
     * left of it; returns the revision's record as the SDK last wrote it (confirmed deployed), so
     * that nobody needs to read it again.
     */
    StoredRelease awaitReadyAndHealthy(Operation op, String ns, String name, int revision, Duration limit,
                                       java.util.function.Consumer<dev.helmsdk.api.ReadinessProgress> progress,
                                       List<HealthCheck> checks, String onFailure) {
        Deadline until = deadlines.get().map(d -> d.atMost(limit)).orElseGet(() -> Deadline.after(limit));
        long start = System.nanoTime();
        StoredRelease ready = until.during(dev.helmsdk.api.spi.OperationPhase.WAIT, "waiting for revision " + revision + " to be ready",
                () -> awaitReady(op, ns, name, revision, until.remaining(), progress, onFailure, start));
        try {
            runHealthChecks(op, ns, name, ready, checks, until);
        } catch (RuntimeException e) {
            ended(e instanceof OperationTimeoutException || e instanceof DeadlinePassedException ? "timeout" : "failed", start);
            throw e;
        }
        ended("ready", start);   // one end per wait: its health checks are part of it
        return ready;
    }

    /**
     * Waits for the revision's resources in Java; on failure or timeout records the revision as
     * failed, as {@code helm --wait} would, and throws the typed error.
     */
    private StoredRelease awaitReady(Operation op, String ns, String name, int revision, Duration deadline,
                                     java.util.function.Consumer<dev.helmsdk.api.ReadinessProgress> progress, String onFailure,
                                     long start) {
        // Marked until confirmed, so that a process killed while waiting leaves a revision that does not look deployed.
        String manifest = store.markAwaitingReadiness(op, ns, name, revision,
                new AwaitingReadiness(revision, Instant.now().plus(deadline), waiter, onFailure)).manifest();
        try {
            readiness.await(ns, manifest, deadline, progress == null ? ReadinessListener.NONE : s -> progress.accept(progressOf(s)));
            return store.clearAwaitingReadiness(op, ns, name, revision);
        } catch (ReadinessException e) {
            ended(endReason(e.failures()), start);
            store.markFailed(op, ns, name, revision, "Readiness failed: " + e.getMessage());
            throw new ReadinessFailedException(op, name, e.failures().stream().map(ReadinessFailure::describe).toList(),
                    op.tag() + " of release '" + name + "' in namespace '" + ns + "': " + e.getMessage());
        } catch (ReadinessTimeoutException e) {
            ended("timeout", start);
            store.markFailed(op, ns, name, revision, "Readiness timed out: " + e.getMessage());
            throw new OperationTimeoutException(op, name, deadline, dev.helmsdk.api.spi.OperationPhase.WAIT, op.tag() + " of release '" + name + "' in namespace '"
                    + ns + "': " + e.getMessage(), e);
        }
    }

    private void ended(String reason, long startNanos) {
        signals.accept(new OperationSignal.ReadinessEnded(reason, Duration.ofNanos(System.nanoTime() - startNanos)));
    }

    /**
     * What ended a failed wait, as a tag: {@code crash_loop} or {@code image_pull} when a workload shows that
     * (the first such failure counts), else {@code failed}. Kubernetes's reasons, never its messages.
     */
    static String endReason(List<ReadinessFailure> failures) {
        for (ReadinessFailure f : failures) {
            switch (f.reason()) {
                case "CrashLoopBackOff":
                    return "crash_loop";
                case "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull":
                    return "image_pull";
                default:
                    break;
            }
        }
        return "failed";
    }

    /** Runs the health checks in order, each by {@code until}; the first failure records the revision failed and is thrown. */
    private void runHealthChecks(Operation op, String ns, String name, StoredRelease ready, List<HealthCheck> checks, Deadline until) {
        if (checks.isEmpty()) {
            return;
        }
        int revision = ready.revision();
        Release release = ready.toRelease(ns);
        for (HealthCheck check : checks) {
            HealthCheck.Context context = new HealthCheck.Context() {
                @Override
                public Release release() {
                    return release;
                }

                @Override
                public Duration timeLeft() {
                    return until.remaining();
                }

                @Override
                public void runHelmTests() {
                    tests.run(Operation.HEALTH_CHECK, ns, name, until.remainingFor("running the release's helm test hooks"));
                }

                @Override
                public dev.helmsdk.api.TestReport helmTestReport() {
                    return tests.report(Operation.HEALTH_CHECK, ns, name, until.remainingFor("running the release's helm test hooks"));
                }
            };
            HealthCheck.Result result;
            Exception cause = null;
            try {
                result = until.call(null, "running health check '" + check.name() + "'", () -> check.check(context));
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
