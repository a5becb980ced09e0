package dev.helmsdk.core.internal;

import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReadinessProgress;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;

import dev.helmsdk.core.internal.secrets.Redactor;
import dev.helmsdk.core.internal.secrets.SecretResolution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * One operation as it moves through the {@link ChangePipeline}: the request, and what the stages
 * before have found (the chart, the merged values and their file, the history before the change,
 * the revision Helm wrote, the result). Immutable: a stage hands the next one a changed copy.
 *
 * <p>Exactly one of {@code deploy}, {@code rollback} and {@code uninstall} is set, by {@code kind}.
 * The merged values may hold resolved secrets: the context never leaves the engine (interceptors
 * see an {@link dev.helmsdk.api.spi.OperationEvent}) and its {@code toString()} leaves them out.
 *
 * @param kind      the change: INSTALL, UPGRADE, ROLLBACK, UNINSTALL or TEMPLATE
 * @param dryRun    how a dry run of an install, upgrade or rollback looks; {@code null} for a real change
 * @param lockHeld  the release is already held (a remediation inside the change that holds it)
 * @param chart     the chart Helm gets, once resolved (or rebuilt, for a rollback)
 * @param values    the merged values, once merged (a rollback's: the target revision's), references resolved once resolved
 * @param secrets   what resolving the references found, when the values held any: the values as given
 *                  (what the release records) and the redactor masking what they resolved to
 * @param valuesFile the private file Helm reads them from, while it exists
 * @param earlier   the statuses of the revisions before the change, when taken
 * @param target    the revision a rollback returns to, once chosen
 * @param revision  the revision Helm recorded, once applied
 * @param recorded  that revision's record as the SDK last wrote it (after a readiness wait), so it need not be read back
 * @param result    what the operation returns, once known
 */
record ChangeContext(Operation kind, DryRunMode dryRun, DeploySpec deploy, RollbackSpec rollback, UninstallSpec uninstall,
                     boolean lockHeld, ChartSource.Resolved chart, Map<String, Object> values, SecretResolution.Resolved secrets,
                     Path valuesFile,
                     SortedMap<Integer, ReleaseStatus> earlier, StoredRelease target, int revision, StoredRelease recorded,
                     Object result) {

    ChangeContext {
        Objects.requireNonNull(kind, "kind");
        if ((deploy == null ? 0 : 1) + (rollback == null ? 0 : 1) + (uninstall == null ? 0 : 1) != 1) {
            throw new IllegalArgumentException("one request per change");
        }
        earlier = earlier == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(earlier);
    }

    static ChangeContext install(DeploySpec spec) {
        return new ChangeContext(Operation.INSTALL, null, spec, null, null, false, null, null, null, null, null, null, 0, null, null);
    }

    static ChangeContext upgrade(DeploySpec spec) {
        return new ChangeContext(Operation.UPGRADE, null, spec, null, null, false, null, null, null, null, null, null, 0, null, null);
    }

    /** A dry run of an install ({@code upgrade == false}) or upgrade. */
    static ChangeContext dryRun(DeploySpec spec, boolean upgrade, DryRunMode mode) {
        return new ChangeContext(upgrade ? Operation.UPGRADE : Operation.INSTALL, Objects.requireNonNull(mode, "mode"), spec,
                null, null, false, null, null, null, null, null, null, 0, null, null);
    }

    static ChangeContext template(DeploySpec spec) {
        return new ChangeContext(Operation.TEMPLATE, null, spec, null, null, false, null, null, null, null, null, null, 0, null, null);
    }

    static ChangeContext rollback(RollbackSpec spec) {
        return new ChangeContext(Operation.ROLLBACK, null, null, spec, null, false, null, null, null, null, null, null, 0, null, null);
    }

    /** A dry run of a rollback: the target chosen and checked, nothing locked, applied or recorded. */
    static ChangeContext dryRunRollback(RollbackSpec spec, DryRunMode mode) {
        return new ChangeContext(Operation.ROLLBACK, Objects.requireNonNull(mode, "mode"), null, spec, null, false, null, null, null,
                null, null, null, 0, null, null);
    }

    static ChangeContext uninstall(UninstallSpec spec) {
        return new ChangeContext(Operation.UNINSTALL, null, null, null, spec, false, null, null, null, null, null, null, 0, null, null);
    }

    // ---- what the request says, whatever its kind ---------------------------------------------

    /** The operation as users, metrics and errors name it: a dry run is DRY_RUN whatever it previews. */
    Operation op() {
        return dryRun != null ? Operation.DRY_RUN : kind;
    }

    boolean isDryRun() {
        return dryRun != null;
    }

    /** Install, upgrade, dry run or template: the kinds that start from a chart and values. */
    boolean fromChart() {
        return deploy != null;
    }

    /** A change that writes to the cluster: not a dry run, not a template. */
    boolean changes() {
        return dryRun == null && kind != Operation.TEMPLATE;
    }

    String release() {
        return deploy != null ? deploy.releaseName() : rollback != null ? rollback.releaseName() : uninstall.releaseName();
    }

    String namespace() {
        return deploy != null ? deploy.namespace() : rollback != null ? rollback.namespace() : uninstall.namespace();
    }

    Timeouts timeouts() {
        return deploy != null ? deploy.timeouts() : rollback != null ? rollback.timeouts() : uninstall.timeouts();
    }

    /** Waits for readiness after the change (never in a dry run or template). */
    boolean waitReady() {
        return changes() && (deploy != null ? deploy.readiness().enabled() : rollback != null && rollback.readiness().enabled());
    }

    /** Undoes a failed install or upgrade. */
    boolean rollbackOnFailure() {
        return changes() && deploy != null && deploy.rollbackOnFailure();
    }

    Consumer<ReadinessProgress> progress() {
        return deploy != null ? deploy.readiness().progress() : rollback != null ? rollback.readiness().progress() : null;
    }

    List<HealthCheck> healthChecks() {
        return deploy != null ? deploy.readiness().healthChecks() : rollback != null ? rollback.readiness().healthChecks() : List.of();
    }

    /** The time Helm itself gets (its --timeout: hooks and its own waits): the readiness limit when waiting. */
    Duration helmTimeout() {
        return waitReady() ? timeouts().readiness() : timeouts().start();
    }

    /**
     * The limit for the whole operation: its own start (and readiness) limits, plus up to the start
     * limit to wait for the release's lock, plus the cleanup limit when a failure is undone.
     */
    Duration limit() {
        if (!changes()) {
            return timeouts().start();
        }
        Duration limit = timeouts().total(waitReady()).plus(timeouts().start());
        return rollbackOnFailure() ? limit.plus(timeouts().cleanup()) : limit;
    }

    /** The revision deployed before the change (0: none), from the statuses taken before it. */
    int deployedBefore() {
        return HistoryRules.deployed(earlier);
    }

    /** Masks the resolved secrets in text leaving the SDK. */
    Redactor redactor() {
        return secrets == null ? Redactor.NONE : secrets.redactor();
    }

    /** The values to record as the release's user-supplied values instead of the resolved ones, if references were resolved. */
    java.util.Optional<Map<String, Object>> valuesToRecord() {
        return secrets == null || !secrets.any() ? java.util.Optional.empty() : java.util.Optional.of(secrets.given());
    }

    // ---- what the stages found ------------------------------------------------------------------

    ChangeContext withLockHeld() {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, true, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    ChangeContext withChart(ChartSource.Resolved chart) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    ChangeContext withValues(Map<String, Object> values) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    /** The values with their references resolved, and what resolving them found. */
    ChangeContext withResolved(SecretResolution.Resolved secrets) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, secrets.values(), secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    ChangeContext withValuesFile(Path valuesFile) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    ChangeContext withEarlier(SortedMap<Integer, ReleaseStatus> earlier) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    ChangeContext withTarget(StoredRelease target) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    ChangeContext withRevision(int revision) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    ChangeContext withRecorded(StoredRelease recorded) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    ChangeContext withResult(Object result) {
        return new ChangeContext(kind, dryRun, deploy, rollback, uninstall, lockHeld, chart, values, secrets, valuesFile, earlier, target, revision, recorded, result);
    }

    // ---- the result, typed ----------------------------------------------------------------------

    Release releaseResult() {
        return result(Release.class);
    }

    DryRunResult dryRunResult() {
        return result(DryRunResult.class);
    }

    RenderedManifest renderedResult() {
        return result(RenderedManifest.class);
    }

    private <T> T result(Class<T> type) {
        if (!type.isInstance(result)) {
            throw new IllegalStateException(op().tag() + " of release '" + release() + "': the pipeline ended without a "
                    + type.getSimpleName() + " (stages are missing)");
        }
        return type.cast(result);
    }

    /** Never the values: they may hold resolved secrets. */
    @Override
    public String toString() {
        return "ChangeContext[" + op().tag() + " " + release() + " in " + namespace() + (lockHeld ? ", lock held" : "")
                + (chart == null ? "" : ", chart " + chart.reference()) + (values == null ? "" : ", values merged")
                + (revision == 0 ? "" : ", revision " + revision) + "]";
    }
}
