package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.Operation;
import dev.helmsdk.testkit.fake.internal.Fault;
import dev.helmsdk.testkit.fake.internal.FaultBook;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What happens to the next (or every) matching call of a {@link FakeHelmManager}: start one with
 * {@link FakeHelmManager#onNext(Operation, String)} or {@link FakeHelmManager#onEvery(Operation, String)},
 * end it with one of the methods below, which return the fake for chaining. Faults match by the
 * operation the request runs ({@code DRY_RUN} for a dry run, whatever the request; the automatic
 * rollback of a failed change is a {@code ROLLBACK}) and, when given, the release name. A fault an
 * operation can never meet (a failing {@code STATUS}, say) is refused with an
 * {@link IllegalArgumentException}; every operation can be slowed.
 */
public final class FaultTrigger {

    private final FakeHelmManager fake;
    private final FaultBook book;
    private final Operation operation;
    private final String release;
    private final boolean once;

    FaultTrigger(FakeHelmManager fake, FaultBook book, Operation operation, String release, boolean once) {
        this.fake = fake;
        this.book = book;
        this.operation = Objects.requireNonNull(operation, "operation");
        this.release = release;
        this.once = once;
    }

    /**
     * Helm fails while applying the change ({@link dev.helmsdk.api.HelmOperationException} with
     * {@code helmMessage} as Helm's text): an install, upgrade or rollback records its new revision
     * {@code failed} ({@code Release "web" failed: ...}, {@code Upgrade "web" failed: ...}), the
     * revisions before it keep their status; an uninstall or a test changes nothing. On {@code TEST},
     * {@code test(..).results()} (and {@code HealthCheck.Context.helmTestReport()}) does not throw: it reports one
     * failed test {@code <release>-test} whose logs are {@code helmMessage} (the fake keeps no hooks; without a fault
     * it reports no tests and passes, as Helm does for a chart without test hooks).
     */
    public FakeHelmManager fails(String helmMessage) {
        return add(Fault.Kind.FAIL, Objects.requireNonNull(helmMessage, "helmMessage"), null);
    }

    /**
     * The call runs out of time ({@link dev.helmsdk.api.OperationTimeoutException}): a change that
     * waits for readiness records its revision failed ({@code Readiness timed out: ...}); one that
     * does not, failed with Helm's {@code context deadline exceeded}.
     */
    public FakeHelmManager timesOut() {
        return add(Fault.Kind.TIME_OUT, null, null);
    }

    /**
     * The process dies in the middle of an install, upgrade or rollback: its revision is left
     * {@code pending-install}, {@code pending-upgrade} or {@code pending-rollback}, the call ends
     * with an {@link dev.helmsdk.api.OperationTimeoutException}, and nothing undoes it (not even
     * {@code rollbackOnFailure()}). The next upgrade or rollback meets a
     * {@link dev.helmsdk.api.ReleaseStuckException}, unless the fake was built with
     * {@link FakeHelmManager.Builder#recoverStuckReleases()}.
     */
    public FakeHelmManager leavesPending() {
        return add(Fault.Kind.LEAVE_PENDING, null, null);
    }

    /**
     * The released resources never become ready ({@link dev.helmsdk.api.ReadinessFailedException}
     * with {@code failure} as its one failure, e.g. {@code deployment/web: CrashLoopBackOff}); the
     * revision is recorded failed ({@code Readiness failed: ...}). Only a call that waits
     * ({@code waitReady()} or health checks) meets it: one that does not wait leaves it for the next.
     */
    public FakeHelmManager failsReadiness(String failure) {
        return add(Fault.Kind.FAIL_READINESS, Objects.requireNonNull(failure, "failure"), null);
    }

    /** The chart cannot be found ({@link dev.helmsdk.api.ChartNotFoundException}), before anything changes. */
    public FakeHelmManager chartNotFound() {
        return add(Fault.Kind.CHART_NOT_FOUND, null, null);
    }

    /**
     * The call takes {@code delay} longer; past the call's limit (its {@code start} timeout, plus
     * {@code readiness} when it waits) it ends at the limit with an
     * {@link dev.helmsdk.api.OperationTimeoutException} and changes nothing.
     */
    public FakeHelmManager slowedBy(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return add(Fault.Kind.SLOW, null, delay);
    }

    private static final Map<Fault.Kind, Set<Operation>> APPLIES_TO = Map.of(
            Fault.Kind.FAIL, EnumSet.of(Operation.INSTALL, Operation.UPGRADE, Operation.ROLLBACK, Operation.UNINSTALL, Operation.TEST),
            Fault.Kind.TIME_OUT, EnumSet.of(Operation.INSTALL, Operation.UPGRADE, Operation.ROLLBACK, Operation.UNINSTALL, Operation.TEST),
            Fault.Kind.LEAVE_PENDING, EnumSet.of(Operation.INSTALL, Operation.UPGRADE, Operation.ROLLBACK),
            Fault.Kind.FAIL_READINESS, EnumSet.of(Operation.INSTALL, Operation.UPGRADE, Operation.ROLLBACK),
            Fault.Kind.CHART_NOT_FOUND, EnumSet.of(Operation.INSTALL, Operation.UPGRADE, Operation.DRY_RUN, Operation.TEMPLATE,
                    Operation.NEEDS_UPGRADE, Operation.LINT),
            Fault.Kind.SLOW, EnumSet.allOf(Operation.class));

    /** Refuses a fault the operation can never meet, which would otherwise wait silently forever. */
    private FakeHelmManager add(Fault.Kind kind, String message, Duration delay) {
        Set<Operation> ops = APPLIES_TO.get(kind);
        if (!ops.contains(operation)) {
            throw new IllegalArgumentException("a " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " fault applies to " + ops.stream().map(Operation::tag).collect(java.util.stream.Collectors.joining(", "))
                    + ", not to " + operation.tag());
        }
        book.add(new Fault(kind, operation, release, once, message, delay));
        return fake;
    }
}
