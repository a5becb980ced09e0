package dev.helmsdk.api.spi;

import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.RenderedManifest;

import java.util.List;
import java.util.Map;

/**
 * What carries out the operations behind a {@link dev.helmsdk.api.HelmManager}. helm-sdk-core
 * provides the real one (Helm through helm-java, reads through the Kubernetes API); the testkit
 * provides fakes. Requests arrive complete (defaults applied) and in the shape checked by the
 * fluent API; engines still validate what only they can (chart paths, values files).
 *
 * <p>Implementations must be thread-safe and throw only {@link dev.helmsdk.api.HelmSdkException}s.
 */
public interface HelmEngine extends AutoCloseable {

    /** Installs a new release. */
    Release install(DeploySpec spec);

    /** Upgrades an existing release (or installs it when {@link DeploySpec#installIfAbsent()}). */
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

    /** Releases the engine's resources. Idempotent. */
    @Override
    void close();
}
