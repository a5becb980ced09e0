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
public final class RollbackRequest {

    private final HelmEngine engine;
    private final RollbackSpec spec;

    RollbackRequest(HelmEngine engine, RollbackSpec spec) {
        this.engine = engine;
        this.spec = spec;
    }

    private RollbackRequest with(String namespace, int revision, boolean waitReady, boolean force, boolean cleanupOnFail, Timeouts timeouts) {
        return new RollbackRequest(engine, new RollbackSpec(spec.releaseName(), namespace, revision, waitReady, force, cleanupOnFail,
                timeouts, spec.progress(), spec.healthChecks(), spec.description()));
    }

    private RollbackRequest with(java.util.function.Consumer<ReadinessProgress> progress, java.util.List<HealthCheck> checks,
                                 boolean waitReady, String description) {
        return new RollbackRequest(engine, new RollbackSpec(spec.releaseName(), spec.namespace(), spec.revision(), waitReady,
                spec.force(), spec.cleanupOnFail(), spec.timeouts(), progress, checks, description));
    }

    /** The release's namespace (the manager's default unless changed). */
    public RollbackRequest inNamespace(String namespace) {
        return with(Names.namespace(Operation.ROLLBACK, spec.releaseName(), namespace), spec.revision(), spec.waitReady(),
                spec.force(), spec.cleanupOnFail(), spec.timeouts());
    }

    /** Returns to this revision. */
    public RollbackRequest toRevision(int revision) {
        if (revision < 1) {
            throw new InvalidRequestException(Operation.ROLLBACK, spec.releaseName(), "revision must be 1 or more, was " + revision);
        }
        return with(spec.namespace(), revision, spec.waitReady(), spec.force(), spec.cleanupOnFail(), spec.timeouts());
    }

    /** Returns to the revision before the latest (the default). */
    public RollbackRequest toPrevious() {
        return with(spec.namespace(), 0, spec.waitReady(), spec.force(), spec.cleanupOnFail(), spec.timeouts());
    }

    /** Waits until the resources are ready, within the readiness time limit. */
    public RollbackRequest waitReady() {
        return with(spec.namespace(), spec.revision(), true, spec.force(), spec.cleanupOnFail(), spec.timeouts());
    }

    /** Waits until the resources are ready, at most {@code readinessTimeout}. */
    public RollbackRequest waitReady(Duration readinessTimeout) {
        Objects.requireNonNull(readinessTimeout, "readinessTimeout");
        return with(spec.namespace(), spec.revision(), true, spec.force(), spec.cleanupOnFail(),
                spec.timeouts().withReadiness(readinessTimeout));
    }

    /**
     * Receives readiness progress while {@link #waitReady()} waits, as on an install or upgrade.
     * Called on the operation's thread; keep it quick.
     */
    public RollbackRequest onProgress(java.util.function.Consumer<ReadinessProgress> listener) {
        return with(Objects.requireNonNull(listener, "listener"), spec.healthChecks(), spec.waitReady(), spec.description());
    }

    /**
     * Adds a check run once the resources are ready (implies {@link #waitReady()}); a failing check
     * fails the rollback with {@link HealthCheckFailedException} and records its revision as failed.
     */
    public RollbackRequest healthCheck(HealthCheck check) {
        java.util.List<HealthCheck> checks = new java.util.ArrayList<>(spec.healthChecks());
        checks.add(Objects.requireNonNull(check, "check"));
        return with(spec.progress(), checks, true, spec.description());
    }

    /** A custom description recorded with the new revision, instead of Helm's {@code Rollback to N}. */
    public RollbackRequest description(String description) {
        return with(spec.progress(), spec.healthChecks(), spec.waitReady(), Objects.requireNonNull(description, "description"));
    }

    /** Replaces resources that cannot be patched. */
    public RollbackRequest force() {
        return with(spec.namespace(), spec.revision(), spec.waitReady(), true, spec.cleanupOnFail(), spec.timeouts());
    }

    /** Deletes resources created by the rollback if it fails. */
    public RollbackRequest cleanupOnFail() {
        return with(spec.namespace(), spec.revision(), spec.waitReady(), spec.force(), true, spec.timeouts());
    }

    /** Overrides the manager's time limits for this call. */
    public RollbackRequest timeouts(Timeouts timeouts) {
        return with(spec.namespace(), spec.revision(), spec.waitReady(), spec.force(), spec.cleanupOnFail(),
                Objects.requireNonNull(timeouts, "timeouts"));
    }

    /** The request as an engine receives it. */
    public RollbackSpec spec() {
        return spec;
    }

    /** Rolls back and returns the new revision. */
    public Release run() {
        return engine.rollback(spec);
    }
}
