package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.LintSpec;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.api.spi.ReleaseQuery;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;

import java.util.Objects;
import java.util.Set;

/** Binds the fluent requests to an engine, applying the manager's defaults. */
final class EngineHelmManager implements HelmManager {

    private final HelmEngine engine;
    private final String defaultNamespace;
    private final Timeouts timeouts;

    /** Whether this manager is a {@link #withActor} view, which does not own (close) its engine. */
    private final boolean view;

    EngineHelmManager(HelmEngine engine, String defaultNamespace, Timeouts timeouts) {
        this(engine, defaultNamespace, timeouts, false);
    }

    private EngineHelmManager(HelmEngine engine, String defaultNamespace, Timeouts timeouts, boolean view) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.defaultNamespace = Names.namespace(Operation.CONFIGURE, null, defaultNamespace);
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.view = view;
    }

    @Override
    public HelmManager withActor(String actor) {
        return new EngineHelmManager(engine.withActor(Names.actor(actor)), defaultNamespace, timeouts, true);
    }

    private DeploySpec deploy(Operation op, String name) {
        return DeploySpec.of(Names.releaseName(op, name), defaultNamespace, timeouts);
    }

    private ReleaseQuery query(Operation op, String name) {
        return new ReleaseQuery(Names.releaseName(op, name), defaultNamespace, 0, timeouts);
    }

    @Override
    public <T> java.util.Optional<T> unwrap(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return type.isInstance(this) ? java.util.Optional.of(type.cast(this))
                : type.isInstance(engine) ? java.util.Optional.of(type.cast(engine)) : java.util.Optional.empty();
    }

    @Override
    public InstallRequest install(String releaseName) {
        return new InstallRequest(engine, deploy(Operation.INSTALL, releaseName));
    }

    @Override
    public UpgradeRequest upgrade(String releaseName) {
        return new UpgradeRequest(engine, deploy(Operation.UPGRADE, releaseName));
    }

    @Override
    public UninstallRequest uninstall(String releaseName) {
        return new UninstallRequest(engine, new UninstallSpec(Names.releaseName(Operation.UNINSTALL, releaseName),
                defaultNamespace, false, timeouts));
    }

    @Override
    public RollbackRequest rollback(String releaseName) {
        return new RollbackRequest(engine, RollbackSpec.of(Names.releaseName(Operation.ROLLBACK, releaseName),
                defaultNamespace, timeouts));
    }

    @Override
    public TestRequest test(String releaseName) {
        return new TestRequest(engine, query(Operation.TEST, releaseName));
    }

    @Override
    public StatusRequest status(String releaseName) {
        return new StatusRequest(engine, query(Operation.STATUS, releaseName));
    }

    @Override
    public ExistsRequest exists(String releaseName) {
        return new ExistsRequest(engine, query(Operation.EXISTS, releaseName));
    }

    @Override
    public NeedsUpgradeRequest needsUpgrade(String releaseName) {
        return new NeedsUpgradeRequest(engine, deploy(Operation.NEEDS_UPGRADE, releaseName));
    }

    @Override
    public HistoryRequest history(String releaseName) {
        return new HistoryRequest(engine, query(Operation.HISTORY, releaseName));
    }

    @Override
    public ValuesRequest values(String releaseName) {
        return new ValuesRequest(engine, query(Operation.VALUES, releaseName), false);
    }

    @Override
    public ManifestRequest manifest(String releaseName) {
        return new ManifestRequest(engine, query(Operation.MANIFEST, releaseName));
    }

    @Override
    public ListRequest list() {
        return new ListRequest(engine, new ListSpec(defaultNamespace, Set.of(), timeouts));
    }

    @Override
    public TemplateRequest template(String releaseName) {
        return new TemplateRequest(engine, deploy(Operation.TEMPLATE, releaseName));
    }

    @Override
    public LintRequest lint(ChartRef chart) {
        return new LintRequest(engine, new LintSpec(chart, false, timeouts));
    }

    @Override
    public DriftRequest drift(String releaseName) {
        return new DriftRequest(engine, dev.helmsdk.api.spi.DriftSpec.of(Names.releaseName(Operation.DRIFT, releaseName),
                defaultNamespace, timeouts));
    }

    @Override
    public String defaultNamespace() {
        return defaultNamespace;
    }

    @Override
    public Timeouts timeouts() {
        return timeouts;
    }

    @Override
    public void close() {
        if (view) {
            return; // the manager it was made from owns the engine
        }
        engine.close();
    }

    @Override
    public String toString() {
        return "HelmManager[namespace=" + defaultNamespace + ", " + timeouts + ", engine=" + engine + "]";
    }
}
