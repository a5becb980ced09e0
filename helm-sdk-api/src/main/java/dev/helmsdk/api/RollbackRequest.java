package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.RollbackSpec;

import java.time.Duration;
import java.util.Objects;

/**
 * Rolls a release back: a new revision whose chart, values and manifest are those of an earlier
 * revision, described {@code Rollback to N}; the earlier revisions stay in the history as Helm
 * keeps them. Immutable.
 *
 * <p>Not supported: {@code --no-hooks} (hooks of the target revision run, as on an upgrade) and
 * {@code --recreate-pods} (deprecated in Helm). A revision whose chart had subcharts (which Helm
 * does not store) is restored from its stored manifest and hooks exactly, through a chart made
 * for the purpose.
 *
 * <p>{@link #run()} throws {@link ReleaseNotFoundException} when the release or revision does not exist, and
 * {@link InvalidRequestException} when the release has a single revision.
 */
public final class RollbackRequest extends ReleaseRequest<RollbackRequest> {

    private final RollbackSpec spec;

    RollbackRequest(HelmEngine engine, RollbackSpec spec) {
        super(engine, Operation.ROLLBACK);
        this.spec = spec;
    }

    private RollbackRequest with(RollbackSpec.Builder changed) {
        return new RollbackRequest(engine, changed.build());
    }

    @Override
    String release() {
        return spec.releaseName();
    }

    @Override
    RollbackRequest withNamespace(String namespace) {
        return with(spec.toBuilder().namespace(namespace));
    }

    @Override
    RollbackRequest withTimeouts(Timeouts timeouts) {
        return with(spec.toBuilder().timeouts(timeouts));
    }

    /** Returns to this revision. */
    public RollbackRequest toRevision(int revision) {
        if (revision < 1) {
            throw new InvalidRequestException(Operation.ROLLBACK, spec.releaseName(), "revision must be 1 or more, was " + revision);
        }
        return with(spec.toBuilder().revision(revision));
    }

    /** Returns to the revision before the latest (the default). */
    public RollbackRequest toPrevious() {
        return with(spec.toBuilder().revision(0));
    }

    /** Waits until the resources are ready, within the readiness time limit, as on an install or upgrade. */
    public RollbackRequest waitReady() {
        return with(spec.toBuilder().readiness(spec.readiness().withEnabled(true)));
    }

    /** Waits until the resources are ready, at most {@code readinessTimeout}. */
    public RollbackRequest waitReady(Duration readinessTimeout) {
        Objects.requireNonNull(readinessTimeout, "readinessTimeout");
        return with(spec.toBuilder().readiness(spec.readiness().withEnabled(true))
                .timeouts(spec.timeouts().withReadiness(readinessTimeout)));
    }

    /**
     * Receives readiness progress while {@link #waitReady()} waits, as on an install or upgrade.
     * Called on the operation's thread; keep it quick.
     */
    public RollbackRequest onProgress(java.util.function.Consumer<ReadinessProgress> listener) {
        Objects.requireNonNull(listener, "listener");
        return with(spec.toBuilder().readiness(spec.readiness().withProgress(listener)));
    }

    /**
     * Adds a check run once the resources are ready (implies {@link #waitReady()}); a failing check
     * fails the rollback with {@link HealthCheckFailedException} and records its revision as failed.
     */
    public RollbackRequest healthCheck(HealthCheck check) {
        Objects.requireNonNull(check, "check");
        return with(spec.toBuilder().readiness(spec.readiness().plusHealthCheck(check)));
    }

    /** A custom description recorded with the new revision, instead of Helm's {@code Rollback to N}. */
    public RollbackRequest description(String description) {
        return with(spec.toBuilder().description(Objects.requireNonNull(description, "description")));
    }

    /** Replaces resources that cannot be patched. */
    public RollbackRequest force() {
        return with(spec.toBuilder().force(true));
    }

    /**
     * Deletes the resources this rollback created when it fails (Helm's {@code --cleanup-on-fail}).
     * It does not undo the rollback: the release keeps the failed revision, as in Helm. (Installs
     * and upgrades have {@link DeployRequest#rollbackOnFailure()}, Helm's {@code --atomic}, which
     * undoes the whole change; a rollback has no earlier change to return to.)
     */
    public RollbackRequest cleanupOnFail() {
        return with(spec.toBuilder().cleanupOnFail(true));
    }

    /** The request as an engine receives it. */
    public RollbackSpec spec() {
        return spec;
    }

    /** Rolls back and returns the new revision. */
    public Release run() {
        return engine.rollback(spec);
    }

    /**
     * Computes what this rollback would do against the cluster ({@link DryRunMode#SERVER}), changing nothing: the
     * same report as an install's or upgrade's dry run, for the target revision's stored manifest and values over what
     * is deployed now. No lock is taken and no revision written. Throws {@link ReleaseNotFoundException} when the
     * release or revision does not exist, as {@link #run()} does.
     */
    public DryRunResult dryRun() {
        return dryRun(DryRunMode.SERVER);
    }

    /** Computes what this rollback would do, changing nothing ({@link DryRunMode#CLIENT}: without asking the cluster). */
    public DryRunResult dryRun(DryRunMode mode) {
        Objects.requireNonNull(mode, "mode");
        return engine.dryRunRollback(spec, mode);
    }
}
