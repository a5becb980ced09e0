package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.api.Values;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.LintSpec;
import dev.helmsdk.api.spi.ListSpec;
import dev.helmsdk.api.spi.ReleaseQuery;
import dev.helmsdk.api.spi.RollbackSpec;
import dev.helmsdk.api.spi.UninstallSpec;
import dev.helmsdk.testkit.fake.ChartRenderer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fake's {@link HelmEngine}: releases in memory, Helm's rules, no native library and no
 * connection. Every call is recorded and may meet an injected fault. Thread-safe.
 */
public final class MemoryEngine implements HelmEngine {

    /** The caveat of an upgrade check when nothing renders templates. */
    public static final String NOT_RENDERED = "the fake renders no templates, so the manifest is not compared"
            + " (FakeHelmManager.builder().rendering(...) renders them)";

    private final Releases releases;
    private final FaultBook faults;
    private final Rendering rendering;
    private final Calls calls;
    private final Changes changes;
    /** What {@link #withActor} builds a view from. */
    private final CallLog log;
    private final Clock clock;
    private final int maxHistory;
    private final boolean recoverStuck;

    /**
     * @param clock        gives each revision its time
     * @param maxHistory   revisions kept per release, 0 for all
     * @param recoverStuck mark a pending latest revision failed and go on, instead of the stuck error
     * @param charts       reads charts
     * @param renderer     renders templates, or {@code null} for none
     */
    public MemoryEngine(Releases releases, FaultBook faults, CallLog log, Clock clock, int maxHistory, boolean recoverStuck,
                        ChartReader charts, ChartRenderer renderer) {
        this(releases, faults, log, clock, maxHistory, recoverStuck, new Rendering(charts, renderer), "");
    }

    private MemoryEngine(Releases releases, FaultBook faults, CallLog log, Clock clock, int maxHistory, boolean recoverStuck,
                         Rendering rendering, String actor) {
        this.releases = releases;
        this.faults = faults;
        this.log = log;
        this.clock = clock;
        this.maxHistory = maxHistory;
        this.recoverStuck = recoverStuck;
        this.rendering = rendering;
        this.calls = new Calls(log, faults, actor);
        this.changes = new Changes(releases, faults, clock, maxHistory, recoverStuck, rendering, calls);
    }

    /** The same releases, faults and call log, with the calls recorded as {@code actor}'s. */
    @Override
    public HelmEngine withActor(String actor) {
        return new MemoryEngine(releases, faults, log, clock, maxHistory, recoverStuck, rendering,
                java.util.Objects.requireNonNull(actor, "actor"));
    }

    // ---- changes ------------------------------------------------------------------------------

    @Override
    public Release install(DeploySpec spec) {
        return deploy(Operation.INSTALL, spec);
    }

    @Override
    public Release upgrade(DeploySpec spec) {
        return deploy(Operation.UPGRADE, spec);
    }

    private Release deploy(Operation op, DeploySpec spec) {
        return calls.run(op, spec.releaseName(), spec.namespace(), spec.chart(), spec.values(), false,
                spec.timeouts().total(spec.readiness().enabled()), values -> {
                    chartFault(op, spec);
                    return changes.deploy(op, spec, values);
                });
    }

    @Override
    public Release rollback(RollbackSpec spec) {
        return calls.run(Operation.ROLLBACK, spec.releaseName(), spec.namespace(), null, Values.empty(), false,
                spec.timeouts().total(spec.readiness().enabled()), v -> changes.rollback(spec));
    }

    @Override
    public Release uninstall(UninstallSpec spec) {
        return calls.run(Operation.UNINSTALL, spec.releaseName(), spec.namespace(), null, Values.empty(), false,
                spec.timeouts().start(), v -> changes.uninstall(spec));
    }

    @Override
    public Release test(ReleaseQuery q) {
        return read(Operation.TEST, q, () -> {
            Revision latest = releases.revision(Operation.TEST, q.namespace(), q.releaseName(), 0);
            faults.take(Operation.TEST, q.releaseName(), Fault.Kind.FAIL).ifPresent(f -> {
                throw Changes.helmFailure(Operation.TEST, q.releaseName(), q.namespace(), f.message());
            });
            faults.take(Operation.TEST, q.releaseName(), Fault.Kind.TIME_OUT).ifPresent(f -> {
                throw Changes.helmTimeout(Operation.TEST, q.releaseName(), q.namespace(), q.timeouts().start());
            });
            return latest.toRelease();
        });
    }

    // ---- what changes nothing -------------------------------------------------------------------

    @Override
    public DryRunResult dryRun(DeploySpec spec, boolean upgrade, DryRunMode mode) {
        Operation op = Operation.DRY_RUN;
        String name = spec.releaseName();
        String ns = spec.namespace();
        return calls.run(op, name, ns, spec.chart(), spec.values(), false, spec.timeouts().start(), requested -> {
            chartFault(op, spec);
            ChartReader.Chart chart = rendering.chart(op, name, spec.chart());
            Map<String, Object> chartValues = chart.defaults();
            Map<String, Object> config = requested;
            if (upgrade) {
                List<Revision> all = releases.revisions(ns, name);
                if (all.isEmpty()) {
                    throw Changes.noDeployed(Operation.UPGRADE, name, ns);
                }
                Revision base = upgradeBase(all);
                config = ValueMaps.toRecord(spec.upgrade(), requested, base.config());
                if (spec.upgrade().reuseValues()) {
                    chartValues = ValueMaps.over(base.chartValues(), base.config());
                }
            }
            ChartRenderer.Output out = rendering.render(op, spec.chart(), chart, name, ns, chartValues, config);
            return new DryRunResult(name, ns, mode, upgrade, chart.name(), chart.version(), Manifests.parse(out.manifest()), out.notes());
        });
    }

    /** The target revision's manifest and notes, as the rollback would deploy them; the history is not touched. */
    @Override
    public DryRunResult dryRunRollback(RollbackSpec spec, DryRunMode mode) {
        java.util.Objects.requireNonNull(spec, "spec");
        java.util.Objects.requireNonNull(mode, "mode");
        Operation op = Operation.DRY_RUN;
        String name = spec.releaseName();
        String ns = spec.namespace();
        return calls.run(op, name, ns, null, Values.empty(), false, spec.timeouts().start(), v -> {
            List<Revision> all = releases.revisions(ns, name);
            if (all.isEmpty()) {
                throw Releases.notFound(op, ns, name);
            }
            Revision to = Changes.rollbackTarget(op, name, ns, all, spec.revision());
            return new DryRunResult(name, ns, mode, false, to.chartInfo().name(), to.chartInfo().version(),
                    Manifests.parse(to.manifest()), to.notes(), List.of(), List.of(), Operation.ROLLBACK);
        });
    }

    @Override
    public RenderedManifest template(DeploySpec spec) {
        Operation op = Operation.TEMPLATE;
        return calls.run(op, spec.releaseName(), spec.namespace(), spec.chart(), spec.values(), false, spec.timeouts().start(), values -> {
            chartFault(op, spec);
            ChartReader.Chart chart = rendering.chart(op, spec.releaseName(), spec.chart());
            return Manifests.parse(rendering.render(op, spec.chart(), chart, spec.releaseName(), spec.namespace(), chart.defaults(),
                    values).manifest());
        });
    }

    @Override
    public UpgradeCheck needsUpgrade(DeploySpec spec) {
        Operation op = Operation.NEEDS_UPGRADE;
        String name = spec.releaseName();
        String ns = spec.namespace();
        return calls.run(op, name, ns, spec.chart(), spec.values(), false, spec.timeouts().start(), requested -> {
            chartFault(op, spec);
            ChartReader.Chart chart = rendering.chart(op, name, spec.chart());
            List<Revision> all = releases.revisions(ns, name);
            if (all.isEmpty()) {
                return new UpgradeCheck(Set.of(Difference.NOT_INSTALLED), null, List.of());
            }
            Revision base = upgradeBase(all);
            Map<String, Object> recorded = ValueMaps.toRecord(spec.upgrade(), requested, base.config());
            Set<Difference> differences = EnumSet.noneOf(Difference.class);
            if (all.get(all.size() - 1).status() != ReleaseStatus.DEPLOYED) {
                differences.add(Difference.NOT_DEPLOYED);
            }
            if (!base.chartInfo().name().equals(chart.name())) {
                differences.add(Difference.CHART_NAME);
            }
            if (!base.chartInfo().version().equals(chart.version())) {
                differences.add(Difference.CHART_VERSION);
            }
            if (!ValueMaps.canonical(recorded).equals(ValueMaps.canonical(base.config()))) {
                differences.add(Difference.VALUES);
            }
            if (!rendering.renders()) {
                return new UpgradeCheck(differences, base.toRelease(), List.of(NOT_RENDERED));
            }
            Map<String, Object> chartValues = spec.upgrade().reuseValues() ? ValueMaps.over(base.chartValues(), base.config()) : chart.defaults();
            String manifest = rendering.render(op, spec.chart(), chart, name, ns, chartValues, recorded).manifest();
            if (!Manifests.objects(manifest).equals(Manifests.objects(base.manifest()))) {
                differences.add(Difference.MANIFEST);
            }
            return new UpgradeCheck(differences, base.toRelease(), List.of());
        });
    }

    @Override
    public LintReport lint(LintSpec spec) {
        Operation op = Operation.LINT;
        return calls.run(op, null, null, spec.chart(), Values.empty(), false, spec.timeouts().start(), v -> {
            faults.take(op, null, Fault.Kind.CHART_NOT_FOUND).ifPresent(f -> {
                throw chartNotFound(op, null, spec.chart());
            });
            ChartReader.Chart chart = rendering.chart(op, null, spec.chart());
            List<String> messages = new ArrayList<>(List.of("[INFO] Chart.yaml: icon is recommended"));
            messages.addAll(chart.lintErrors());
            if (chart.lintErrors().isEmpty() && rendering.renders()) {
                try {
                    rendering.render(op, spec.chart(), chart, "release-name", "default", chart.defaults(), Map.of());
                } catch (dev.helmsdk.api.HelmOperationException e) {
                    messages.add("[ERROR] templates/: " + e.helmMessage());
                }
            }
            return new LintReport(messages.stream().anyMatch(m -> m.startsWith("[ERROR]")), messages);
        });
    }

    // ---- reads ----------------------------------------------------------------------------------

    @Override
    public Release status(ReleaseQuery q) {
        return read(Operation.STATUS, q, () -> releases.revision(Operation.STATUS, q.namespace(), q.releaseName(), q.revision()).toRelease());
    }

    @Override
    public Optional<Release> exists(ReleaseQuery q) {
        return read(Operation.EXISTS, q, () -> {
            List<Revision> all = releases.revisions(q.namespace(), q.releaseName());
            return all.isEmpty() ? Optional.<Release>empty() : Optional.of(all.get(all.size() - 1).toRelease());
        });
    }

    @Override
    public List<Release> history(ReleaseQuery q) {
        return read(Operation.HISTORY, q, () -> {
            List<Revision> all = releases.revisions(q.namespace(), q.releaseName());
            if (all.isEmpty()) {
                throw Releases.notFound(Operation.HISTORY, q.namespace(), q.releaseName());
            }
            return all.stream().map(Revision::toRelease).toList();
        });
    }

    @Override
    public List<Release> list(ListSpec spec) {
        return calls.run(Operation.LIST, null, spec.namespace(), null, Values.empty(), false, spec.timeouts().start(), v ->
                releases.latestOfEach().stream()
                        .filter(r -> spec.namespace() == null || spec.namespace().equals(r.namespace()))
                        .filter(r -> spec.includes(r.status()))
                        .map(Revision::toRelease)
                        .sorted(Comparator.comparing(Release::namespace).thenComparing(Release::name))
                        .toList());
    }

    @Override
    public Map<String, Object> values(ReleaseQuery q, boolean all) {
        return read(Operation.VALUES, q, () -> {
            Revision r = releases.revision(Operation.VALUES, q.namespace(), q.releaseName(), q.revision());
            return all ? ValueMaps.pruneNulls(ValueMaps.over(r.chartValues(), r.config())) : ValueMaps.over(Map.of(), r.config());
        });
    }

    @Override
    public String manifest(ReleaseQuery q) {
        return read(Operation.MANIFEST, q, () -> releases.revision(Operation.MANIFEST, q.namespace(), q.releaseName(), q.revision()).manifest());
    }

    /**
     * The fake has no live objects: what a deployed revision says is all there is, so nothing has drifted and a
     * correction re-applies nothing. A missing release is not found and an uninstalled one refused, as on a cluster.
     */
    @Override
    public dev.helmsdk.api.report.DriftReport drift(dev.helmsdk.api.spi.DriftSpec spec, boolean correct) {
        Operation op = correct ? Operation.DRIFT_CORRECTION : Operation.DRIFT;
        String name = spec.releaseName();
        String ns = spec.namespace();
        return calls.run(op, name, ns, null, Values.empty(), false, spec.timeouts().start(), v -> {
            List<Revision> all = releases.revisions(ns, name);
            if (all.isEmpty()) {
                throw Releases.notFound(op, ns, name);
            }
            ReleaseStatus latest = all.get(all.size() - 1).status();
            if (latest == ReleaseStatus.UNINSTALLED || latest == ReleaseStatus.UNINSTALLING) {
                throw new dev.helmsdk.api.InvalidRequestException(op, name, "release '" + name + "' in namespace '" + ns
                        + "' is uninstalled (its history was kept): nothing deployed to compare with; roll it back first");
            }
            return new dev.helmsdk.api.report.DriftReport(name, ns, upgradeBase(all).revision(), List.of(), List.of(), List.of());
        });
    }

    @Override
    public void close() {
        // Nothing to release: no connection, no thread, no file.
    }

    @Override
    public String toString() {
        return "MemoryEngine[" + releases.latestOfEach().size() + " releases]";
    }

    // ---- helpers --------------------------------------------------------------------------------

    private <T> T read(Operation op, ReleaseQuery q, java.util.function.Supplier<T> body) {
        return calls.run(op, q.releaseName(), q.namespace(), null, Values.empty(), false, q.timeouts().start(), v -> body.get());
    }

    /** What the real manager checks of the chart first: an injected miss, then, with {@code verify(keyring)}, its provenance. */
    private void chartFault(Operation op, DeploySpec spec) {
        faults.take(op, spec.releaseName(), Fault.Kind.CHART_NOT_FOUND).ifPresent(f -> {
            throw chartNotFound(op, spec.releaseName(), spec.chart());
        });
        if (spec.verifyKeyring() != null) {
            rendering.verify(op, spec.releaseName(), spec.chart(), spec.verifyKeyring());
        }
    }

    private static ChartNotFoundException chartNotFound(Operation op, String release, ChartRef chart) {
        return new ChartNotFoundException(op, release, op.tag() + " failed: the chart could not be found (Helm: chart \""
                + chart.describe() + "\" not found)", null);
    }

    /** What an upgrade or its check starts from: the latest if deployed, else the last deployed, else the latest. */
    private static Revision upgradeBase(List<Revision> all) {
        Revision latest = all.get(all.size() - 1);
        int deployed = Releases.deployed(all);
        return latest.status() == ReleaseStatus.DEPLOYED || deployed == 0 ? latest
                : all.stream().filter(r -> r.revision() == deployed).findFirst().orElseThrow();
    }

    /** The last report of each release's tests, for {@code lastResults()}: what the real record's hooks keep. */
    private final java.util.Map<String, dev.helmsdk.api.TestReport> lastTests = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public dev.helmsdk.api.TestReport testReport(ReleaseQuery q, boolean run, int logBytes) {
        return read(Operation.TEST, q, () -> {
            Revision latest = releases.revision(Operation.TEST, q.namespace(), q.releaseName(), 0);
            String key = q.namespace() + "/" + q.releaseName();
            if (!run) {
                dev.helmsdk.api.TestReport last = lastTests.get(key);
                return last != null && last.revision() == latest.revision() ? last
                        : new dev.helmsdk.api.TestReport(latest.name(), latest.namespace(), latest.revision(), List.of());
            }
            faults.take(Operation.TEST, q.releaseName(), Fault.Kind.TIME_OUT).ifPresent(f -> {
                throw Changes.helmTimeout(Operation.TEST, q.releaseName(), q.namespace(), q.timeouts().start());
            });
            dev.helmsdk.api.TestReport report = Changes.testReport(latest, faults.take(Operation.TEST, q.releaseName(), Fault.Kind.FAIL), clock);
            if (logBytes == 0) {
                report = new dev.helmsdk.api.TestReport(report.release(), report.namespace(), report.revision(), report.tests().stream()
                        .map(t -> new dev.helmsdk.api.TestReport.Test(t.name(), t.kind(), t.phase(), t.startedAt(), t.completedAt(), Optional.empty()))
                        .toList());
            }
            lastTests.put(key, report);
            return report;
        });
    }
}
