package dev.helmsdk.api.spi;

import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.RenderedManifest;

import java.util.List;
import java.util.Map;

/**
 * The seam behind {@link dev.helmsdk.api.HelmManager}: what carries out the operations its fluent
 * requests describe. helm-sdk-core provides the real engine (Helm through helm-java, reads through
 * the Kubernetes API); the testkit's in-memory fakes implement it too; a test may write its own.
 * Put a manager over an engine with {@link dev.helmsdk.api.HelmManager#of(HelmEngine, String,
 * dev.helmsdk.api.Timeouts)}; user code then talks to the manager, never to the engine, so every
 * engine gets the same request validation, the same defaults and the same exceptions for free.
 *
 * <h2>What the manager guarantees before it calls an engine</h2>
 * <ul>
 *   <li>Release names follow Helm's rule (a lowercase DNS-1123 subdomain of at most 53 characters)
 *       and namespaces Kubernetes' (a DNS-1123 label of at most 63); a bad one is an
 *       {@link dev.helmsdk.api.InvalidRequestException} and the engine is not called.</li>
 *   <li>Defaults are applied: a request that names no namespace carries the manager's default
 *       namespace, one that sets no limits the manager's {@link dev.helmsdk.api.Timeouts} (with
 *       {@code waitReady(duration)} folded into {@link dev.helmsdk.api.Timeouts#readiness()}).</li>
 *   <li>Install, upgrade, dry run, template and needs-upgrade specs have a chart
 *       ({@link DeploySpec#chart()} is never {@code null} here); {@link DeploySpec.Rendering#kubeVersion()}
 *       is empty or looks like {@code 1.31.0}/{@code v1.31.0}; revisions are 0 (latest, or for a
 *       rollback the one before the latest) or positive; health checks come with waiting
 *       ({@link Readiness}); {@link DeploySpec.Upgrade} never both reuses and resets values.</li>
 *   <li>Specs are immutable values; each call gets the spec the request held when it ran.</li>
 * </ul>
 *
 * <h2>What an engine must still check</h2>
 * What only it can see, before it changes anything: that a chart path or archive exists and is a
 * chart, that values files exist and parse ({@link dev.helmsdk.api.Values} is a recipe the engine
 * carries out, in order), and the state of the releases: an install of a name in use is a
 * {@link dev.helmsdk.api.ReleaseAlreadyExistsException}, a missing release or revision a
 * {@link dev.helmsdk.api.ReleaseNotFoundException}, a rollback of a single revision an
 * {@link dev.helmsdk.api.InvalidRequestException}. Empty descriptions mean Helm's own
 * ({@code Install complete}, {@code Upgrade complete}, {@code Rollback to N}).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Thread-safe: one engine serves every thread that uses its manager, concurrently, on the
 *       same release too; {@link #close()} is idempotent.</li>
 *   <li>Throws only {@link dev.helmsdk.api.HelmSdkException}s, of the class the real engine throws
 *       for the same mistake, so code under test sees what it would see in production; the manager
 *       passes them through unchanged. Nothing returns {@code null} ({@link #exists} answers with
 *       an empty {@code Optional}).</li>
 *   <li>Readiness listeners ({@link Readiness#progress()}) and health checks are called on the
 *       thread running the operation.</li>
 * </ul>
 */
public interface HelmEngine extends AutoCloseable {

    /** Installs a new release. */
    Release install(DeploySpec spec);

    /** Upgrades an existing release (or installs it when {@link DeploySpec.Upgrade#installIfAbsent()}). */
    Release upgrade(DeploySpec spec);

    /** Computes what an install ({@code upgrade == false}) or upgrade would do, changing nothing. */
    DryRunResult dryRun(DeploySpec spec, boolean upgrade, DryRunMode mode);

    /** Rolls a release back to an earlier revision and returns the new revision. */
    Release rollback(RollbackSpec spec);

    /** Uninstalls a release and returns its last revision as it stood before removal. */
    Release uninstall(UninstallSpec spec);

    /** Runs the release's test hooks; returns the release when they all passed. */
    Release test(ReleaseQuery query);

    /** The given (or latest) revision of a release. */
    Release status(ReleaseQuery query);

    /**
     * The latest revision of a release, or empty when it has none (never a not-found error); an
     * uninstalled release whose history was kept is present, with status {@code UNINSTALLED}.
     */
    java.util.Optional<Release> exists(ReleaseQuery query);

    /**
     * Whether upgrading to the spec's chart and values would change anything, and what; reads and
     * renders only: no lock, no write.
     */
    dev.helmsdk.api.UpgradeCheck needsUpgrade(DeploySpec spec);

    /** Every stored revision of a release, oldest first. */
    List<Release> history(ReleaseQuery query);

    /** The latest revision of every release matching the spec, sorted by namespace then name. */
    List<Release> list(ListSpec spec);

    /** The user-supplied values ({@code all == false}) or the chart's defaults merged with them. */
    Map<String, Object> values(ReleaseQuery query, boolean all);

    /** The manifest Helm applied for the given (or latest) revision. */
    String manifest(ReleaseQuery query);

    /** Renders a chart locally, as {@code helm template}. */
    RenderedManifest template(DeploySpec spec);

    /** Lints a local chart. */
    LintReport lint(LintSpec spec);

    /**
     * This engine acting for {@code actor}: the same releases, connections and settings, with every
     * operation's {@link OperationEvent#actor()} set to it (what audit trails record as who asked).
     * Closing the returned engine must not close this one. The default returns this engine, for
     * engines that show no interceptor the operations they run.
     *
     * @param actor who asks, as the caller names itself; not blank
     * @return an engine acting for {@code actor}
     */
    default HelmEngine withActor(String actor) {
        java.util.Objects.requireNonNull(actor, "actor");
        return this;
    }

    /**
     * Compares the release's last deployed revision with the live cluster; with {@code correct}, re-applies what
     * drifted under the release's lock, recording no revision. A release with no revision is a
     * {@link dev.helmsdk.api.ReleaseNotFoundException}. The default throws: the engine does not support it.
     *
     * @param spec    the release and the ignore rules
     * @param correct whether to re-apply the drifted objects
     * @return what drifted (and what was re-applied)
     */
    default dev.helmsdk.api.report.DriftReport drift(DriftSpec spec, boolean correct) {
        java.util.Objects.requireNonNull(spec, "spec");
        throw new dev.helmsdk.api.HelmOperationException(correct ? dev.helmsdk.api.Operation.DRIFT_CORRECTION : dev.helmsdk.api.Operation.DRIFT,
                spec.releaseName(), getClass().getName() + " does not support drift detection", "", null);
    }

    /**
     * Computes what a rollback would do, changing nothing: the target revision's stored manifest as the rendered
     * objects, checked against what is deployed now; no lock, no new revision. The default throws a
     * {@link dev.helmsdk.api.HelmOperationException} saying this engine does not support it.
     *
     * @param spec the rollback, as {@link #rollback(RollbackSpec)} would get it
     * @param mode client (no cluster) or server
     * @return the report, {@link DryRunResult#operation()} {@link dev.helmsdk.api.Operation#ROLLBACK}
     */
    default DryRunResult dryRunRollback(RollbackSpec spec, DryRunMode mode) {
        java.util.Objects.requireNonNull(spec, "spec");
        java.util.Objects.requireNonNull(mode, "mode");
        throw new dev.helmsdk.api.HelmOperationException(dev.helmsdk.api.Operation.DRY_RUN, spec.releaseName(),
                getClass().getSimpleName() + " does not support a rollback's dry run; use an engine that does (helm-sdk-core's, the testkit's fakes)",
                null, null);
    }

    /** Releases the engine's resources. Idempotent. */
    @Override
    void close();

    /**
     * The release's test hooks with a result each: run now ({@code run}), or as the release record says they last
     * ran (no pod is started). A failing test is a result, not an error; an error is what stops the tests from
     * running at all (no such release, the cluster unreachable, the time limit). The default refuses: an engine
     * that cannot do it says so.
     *
     * @param query    the release (its latest revision) and the time limit ({@code timeouts().start()})
     * @param run      whether to run the tests, or only read their last run
     * @param logBytes the most bytes of each test pod's logs to return; 0 for none
     */
    default dev.helmsdk.api.TestReport testReport(ReleaseQuery query, boolean run, int logBytes) {
        throw new dev.helmsdk.api.HelmOperationException(dev.helmsdk.api.Operation.TEST, query.releaseName(),
                "this engine (" + getClass().getName() + ") does not report per-test results; use test(...).run()",
                "", null);
    }
}
