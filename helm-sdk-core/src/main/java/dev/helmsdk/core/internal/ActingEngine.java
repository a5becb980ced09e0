package dev.helmsdk.core.internal;

import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.LintSpec;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.api.spi.ReleaseQuery;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An engine acting for one actor ({@link HelmEngine#withActor}): every call runs the shared engine with
 * the actor named to the runner for the operations the call starts. Owns nothing; closing it closes nothing.
 */
final class ActingEngine implements HelmEngine {

    private final HelmEngine engine;
    private final OperationRunner runner;
    private final String actor;

    ActingEngine(HelmEngine engine, OperationRunner runner, String actor) {
        this.engine = engine;
        this.runner = runner;
        this.actor = actor;
    }

    private <T> T as(Supplier<T> call) {
        return runner.actingFor(actor, call);
    }

    /**
     * The engine {@code HelmSdk} built behind {@code helm}, whether {@code helm} is the manager itself or a
     * {@code withActor} view of it: what extensions of the SDK (the upgrade advisor, the secret watcher) take their
     * sources, meters and connection from. Empty for any other manager.
     */
    static Optional<HelmJavaEngine> helmJavaEngine(dev.helmsdk.api.HelmManager helm) {
        return helm.unwrap(HelmJavaEngine.class).or(() -> helm.unwrap(ActingEngine.class)
                .flatMap(a -> a.engine instanceof HelmJavaEngine e ? Optional.of(e) : Optional.empty()));
    }

    /** {@code call} attributed to the actor of {@code helm} when it is a {@code withActor} view, else as it is. */
    static <T> T actingAs(dev.helmsdk.api.HelmManager helm, Supplier<T> call) {
        return helm.unwrap(ActingEngine.class).map(a -> a.as(call)).orElseGet(call);
    }

    @Override
    public HelmEngine withActor(String other) {
        return engine.withActor(other);
    }

    @Override
    public Release install(DeploySpec spec) {
        return as(() -> engine.install(spec));
    }

    @Override
    public Release upgrade(DeploySpec spec) {
        return as(() -> engine.upgrade(spec));
    }

    @Override
    public DryRunResult dryRun(DeploySpec spec, boolean upgrade, DryRunMode mode) {
        return as(() -> engine.dryRun(spec, upgrade, mode));
    }

    @Override
    public Release rollback(RollbackSpec spec) {
        return as(() -> engine.rollback(spec));
    }

    @Override
    public Release uninstall(UninstallSpec spec) {
        return as(() -> engine.uninstall(spec));
    }

    @Override
    public Release test(ReleaseQuery query) {
        return as(() -> engine.test(query));
    }

    @Override
    public Release status(ReleaseQuery query) {
        return as(() -> engine.status(query));
    }

    @Override
    public Optional<Release> exists(ReleaseQuery query) {
        return as(() -> engine.exists(query));
    }

    @Override
    public UpgradeCheck needsUpgrade(DeploySpec spec) {
        return as(() -> engine.needsUpgrade(spec));
    }

    @Override
    public List<Release> history(ReleaseQuery query) {
        return as(() -> engine.history(query));
    }

    @Override
    public List<Release> list(ListSpec spec) {
        return as(() -> engine.list(spec));
    }

    @Override
    public Map<String, Object> values(ReleaseQuery query, boolean all) {
        return as(() -> engine.values(query, all));
    }

    @Override
    public String manifest(ReleaseQuery query) {
        return as(() -> engine.manifest(query));
    }

    @Override
    public RenderedManifest template(DeploySpec spec) {
        return as(() -> engine.template(spec));
    }

    @Override
    public LintReport lint(LintSpec spec) {
        return as(() -> engine.lint(spec));
    }

    @Override
    public dev.helmsdk.api.report.DriftReport drift(dev.helmsdk.api.spi.DriftSpec spec, boolean correct) {
        return as(() -> engine.drift(spec, correct));
    }

    @Override
    public DryRunResult dryRunRollback(RollbackSpec spec, DryRunMode mode) {
        return as(() -> engine.dryRunRollback(spec, mode));
    }

    @Override
    public void close() {
        // the engine belongs to the manager this one was made from
    }

    @Override
    public dev.helmsdk.api.TestReport testReport(dev.helmsdk.api.spi.ReleaseQuery query, boolean run, int logBytes) {
        return as(() -> engine.testReport(query, run, logBytes));
    }
}
