package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Operation;
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
import dev.helmsdk.core.internal.readiness.ReadinessWaiter;
import dev.helmsdk.core.internal.secrets.SecretResolution;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real engine: changes go through Helm (helm-java, in this JVM), reads of release records go
 * straight to the Kubernetes API in Java. Thread-safe: it holds no per-call state.
 */
final class HelmJavaEngine implements HelmEngine {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HelmJavaEngine.class);

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final KubeAccess kube;
    private final WorkDirectory workDir;
    private final OperationRunner runner;
    private final ReleaseStore store;
    private final ValuesMerger merger;
    private final ChartSource charts;
    private final ObjectMapper json;
    private final NativeHelmCalls helm;
    private final HelmExecution execution;
    private final TemplateRenderer renderer;
    private final ReleaseLocks locks;
    private final ReleaseReads reads;
    private final NeedsUpgradeCheck upgradeCheck;
    private final ChangePipeline pipeline;
    private final SecretChecks secretChecks;
    private final ReleaseDrift drift;
    /** The manager's resolution of secret references, or {@code null} when it resolves none. */
    private final SecretResolution secrets;
    private final HelmTestReports testReports;
    /** The release cache, or {@code null} when the manager keeps none. */
    private final dev.helmsdk.core.internal.cache.WatchedReleases cache;
    private final dev.helmsdk.core.ChartSources sources;

    HelmJavaEngine(KubernetesClient client, boolean ownsClient, KubeAccess kube, WorkDirectory workDir,
                          OperationRunner runner, ObjectMapper json, ObjectMapper yaml, int maxHistory, NativeHelmCalls helm,
                          ReleaseLocks locks, Duration recoverStuckAfter, dev.helmsdk.core.ChartSources sources,
                          SecretResolution secrets, dev.helmsdk.core.internal.report.DryRunRules dryRunRules,
                          dev.helmsdk.core.internal.cache.WatchedReleases cache) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.kube = kube;
        this.workDir = workDir;
        this.runner = runner;
        this.json = json;
        this.helm = helm;
        this.locks = locks;
        this.sources = sources;
        BoundedClient bounded = runner.bound(client);
        this.cache = cache;
        this.store = new ReleaseStore(bounded, json, cache);
        this.reads = new ReleaseReads(runner, store, json, cache);
        this.merger = new ValuesMerger();
        ManifestParser manifests = new ManifestParser(yaml);
        this.charts = new ChartSource(new dev.helmsdk.core.internal.source.RemoteCharts(sources, workDir.path().resolve("charts"),
                runner.registry(), runner::currentDeadline, runner::signal), bounded);
        this.execution = new HelmExecution(helm, kube);
        this.renderer = new TemplateRenderer(execution, manifests, workDir.path());
        this.testReports = new HelmTestReports(store, this::runTests, bounded::get, yaml);
        ReadinessPhase.HelmTests tests = new ReadinessPhase.HelmTests() {
            @Override
            public void run(Operation op, String ns, String name, Duration limit) {
                runTests(op, ns, name, limit);
            }

            @Override
            public dev.helmsdk.api.TestReport report(Operation op, String ns, String name, Duration limit) {
                return testReports.report(op, ns, name, limit, true, dev.helmsdk.api.TestRequest.DEFAULT_LOG_BYTES);
            }
        };
        ReadinessPhase readiness = new ReadinessPhase(store, new ReadinessWaiter(client, bounded::get,
                dev.helmsdk.core.internal.readiness.ReadinessOptions.ofDefaults()), locks.identity(), tests, bounded::current, runner::signal);
        StuckRecovery stuck = new StuckRecovery(store, recoverStuckAfter, runner::signal);
        this.secrets = secrets;
        this.upgradeCheck = new NeedsUpgradeCheck(runner, charts, merger, reads, renderer,
                new UpgradeComparison(json, yaml, manifests), json, workDir.path(), secrets, helm::abandon);
        this.drift = new ReleaseDrift(runner, store, locks, bounded::get, this::resolvedSecretsOf);
        this.secretChecks = secrets == null ? null : new SecretChecks(runner, store, secrets, json);
        dev.helmsdk.core.internal.report.DryRunChecks checks = dryRunChecks(yaml, dryRunRules);
        // The order of every change; each stage says which changes it takes part in.
        this.pipeline = new ChangePipeline(List.of(
                new ResolveChartStage(charts),
                new MergeValuesStage(merger),
                ResolveSecretsStage.forRequests(secrets, runner::currentDeadline, runner::secretAudit, store, json),
                new ReadCurrentStage(store),
                new LockStage(locks),
                new SnapshotHistoryStage(store),
                new ChooseRollbackTargetStage(store, json),
                ResolveSecretsStage.forRollbacks(secrets, runner::currentDeadline, runner::secretAudit),
                new ReportChangeStage(runner::signal, json),
                new RebuildChartStage(new ChartRebuilder(yaml), workDir.path()),
                new WriteValuesStage(workDir.path()),
                new RemediateStage(store, runner, this::runPipeline),
                new ApplyStage(execution, stuck, store),
                new ApplyRollbackStage(execution, stuck, store),
                new DryRunStage(execution, renderer, yaml, checks, store, bounded::get),
                new RollbackDryRunStage(checks, store, manifests, yaml, bounded::get),
                new RenderStage(renderer),
                new AwaitReadyStage(readiness, store),
                new RecordStage(store, maxHistory)));
    }

    /** The checks every dry run runs besides rendering, in the order their findings are reported. */
    private dev.helmsdk.core.internal.report.DryRunChecks dryRunChecks(ObjectMapper yaml, dev.helmsdk.core.internal.report.DryRunRules rules) {
        var cluster = new dev.helmsdk.core.internal.report.ServerReads();   // one read of the cluster, shared by the next four
        return new dev.helmsdk.core.internal.report.DryRunChecks(List.of(
                new dev.helmsdk.core.internal.report.AdmissionCheck(cluster),
                new dev.helmsdk.core.internal.report.DiffCheck(cluster),
                new dev.helmsdk.core.internal.report.ConflictCheck(cluster),
                new dev.helmsdk.core.internal.report.ImmutableFieldsCheck(cluster),
                new dev.helmsdk.core.internal.report.RbacCheck(locks::clusterLocks),
                new dev.helmsdk.core.internal.report.QuotaCheck(),
                new dev.helmsdk.core.internal.report.ValuesSchemaCheck(),
                new dev.helmsdk.core.internal.report.LintCheck(this::strictLint),
                new dev.helmsdk.core.internal.report.ReleaseTestsCheck((ns, name) -> store.latest(Operation.DRY_RUN, ns, name)
                        .map(r -> HelmTestReports.lastRun(r, null, ns))),
                rules.validators(),
                rules.policies()));
    }

    /** Helm's strict lint of a chart on disk (in process it takes milliseconds), for a dry run's report. */
    private LintReport strictLint(java.nio.file.Path chart) {
        HelmCall.Result r = execution.execute(Operation.LINT, null, "", Duration.ofMinutes(1), HelmCall.of(HelmCall.Kind.LINT, "", "")
                .chart(chart.toString(), null).flag(HelmCall.Flag.STRICT, true).build());
        return new LintReport(r.lintFailed(), r.lintMessages());
    }

    /** Re-resolving releases' recorded secret references, when this manager resolves secrets. */
    Optional<SecretChecks> secretChecks() {
        return Optional.ofNullable(secretChecks);
    }

    // ---- changes: through the pipeline, inside the runner ---------------------------------

    @Override
    public Release install(DeploySpec spec) {
        return change(ChangeContext.install(spec)).releaseResult();
    }

    @Override
    public Release upgrade(DeploySpec spec) {
        return change(ChangeContext.upgrade(spec)).releaseResult();
    }

    @Override
    public Release rollback(RollbackSpec spec) {
        return change(ChangeContext.rollback(spec)).releaseResult();
    }

    @Override
    public Release uninstall(UninstallSpec spec) {
        return change(ChangeContext.uninstall(spec)).releaseResult();
    }

    @Override
    public DryRunResult dryRun(DeploySpec spec, boolean upgrade, DryRunMode mode) {
        return change(ChangeContext.dryRun(spec, upgrade, mode)).dryRunResult();
    }

    @Override
    public RenderedManifest template(DeploySpec spec) {
        return change(ChangeContext.template(spec)).renderedResult();
    }

    @Override
    public DryRunResult dryRunRollback(RollbackSpec spec, DryRunMode mode) {
        return change(ChangeContext.dryRunRollback(spec, mode)).dryRunResult();
    }

    /** Runs {@code c} through the pipeline on the runner: bounded by its limit, timed, seen by interceptors. */
    private ChangeContext change(ChangeContext c) {
        if (c.dryRun() != null || c.kind() == Operation.TEMPLATE) {
            return runner.run(c.op(), c.release(), c.namespace(), c.limit(), () -> pipeline.run(c), helm::abandon);
        }
        return writing(c.op(), c.namespace(), c.release(), c.limit(), () -> pipeline.run(c));
    }

    /**
     * Runs on the runner a body that writes the release's records: from before the call until the body has ended, reads
     * of the release go to the API, and the release cache answers for it again once it has caught up with the LIST a
     * body that succeeded sends last (after a failure, with the next read's or list's). The body ends the write itself, on its worker, since it may run on after its caller gave up (a
     * timeout, an interrupt: Helm's native call cannot be stopped); the caller ends it only when the body never ran.
     */
    private <T> T writing(Operation op, String namespace, String release, Duration limit, java.util.function.Supplier<T> body) {
        if (cache == null) {
            return runner.run(op, release, namespace, limit, body, helm::abandon);
        }
        // Who ends the write announced here: the body once it began (1), else the caller (2), whichever decides first.
        java.util.concurrent.atomic.AtomicInteger owner = new java.util.concurrent.atomic.AtomicInteger();
        cache.writeStarted(namespace, release);
        try {
            return runner.run(op, release, namespace, limit, () -> {
                if (!owner.compareAndSet(0, 1)) {
                    cache.writeStarted(namespace, release);   // its caller gave up before it began: a write all the same
                }
                T result;
                try {
                    result = body.get();
                } finally {
                    cache.writeEnded(namespace, release);
                }
                // Not after a failure: one refused before any request must send none, and the next read's LIST will do.
                store.settleCache(op, namespace, release);
                return result;
            }, helm::abandon);
        } finally {
            if (owner.compareAndSet(0, 2)) {
                cache.writeSkipped(namespace, release);
            }
        }
    }

    /** Runs a change the pipeline starts itself (a remediation's rollback or uninstall), on the caller's thread. */
    private ChangeContext runPipeline(ChangeContext c) {
        return pipeline.run(c);
    }

    /** The names of the pipeline's stages, in order. */
    java.util.List<String> stages() {
        return pipeline.names();
    }

    // ---- the release's tests and lint -----------------------------------------------------------

    /** Runs the release's test hooks within {@code limit}. */
    private void runTests(Operation op, String ns, String name, Duration limit) {
        execution.execute(op, name, ns, limit, HelmCall.of(HelmCall.Kind.TEST, name, ns).kube(kube)
                .timeoutSeconds(HelmExecution.seconds(limit)).build());
    }

    @Override
    public Release test(ReleaseQuery q) {
        Operation op = Operation.TEST;
        // Helm records the tests' outcome in the release's record: a write.
        return writing(op, q.namespace(), q.releaseName(), q.timeouts().start(), () -> {
            store.revision(op, q.namespace(), q.releaseName(), 0);
            runTests(op, q.namespace(), q.releaseName(), q.timeouts().start());
            return store.revision(op, q.namespace(), q.releaseName(), 0).toRelease(q.namespace());
        });
    }

    @Override
    public LintReport lint(LintSpec spec) {
        Operation op = Operation.LINT;
        return runner.run(op, null, "", spec.timeouts().start(), () -> {
            // Remote charts are linted as the archive the repository or registry serves.
            ChartSource.Resolved chart = charts.resolve(op, null, spec.chart());
            HelmCall.Result r = execution.execute(op, null, "", spec.timeouts().start(), HelmCall.of(HelmCall.Kind.LINT, "", "")
                    .chart(chart.reference(), null).flag(HelmCall.Flag.STRICT, spec.strict()).build());
            return new LintReport(r.lintFailed(), r.lintMessages());
        }, helm::abandon);
    }

    // ---- reads, in Java: one LIST, no lock ----------------------------------------------------

    @Override
    public Release status(ReleaseQuery q) {
        return reads.status(q);
    }

    @Override
    public List<Release> history(ReleaseQuery q) {
        return reads.history(q);
    }

    @Override
    public List<Release> list(ListSpec spec) {
        return reads.list(spec);
    }

    @Override
    public Map<String, Object> values(ReleaseQuery q, boolean all) {
        return reads.values(q, all);
    }

    @Override
    public String manifest(ReleaseQuery q) {
        return reads.manifest(q);
    }

    @Override
    public Optional<Release> exists(ReleaseQuery q) {
        return reads.exists(q);
    }

    // ---- checks: one read and one local rendering, no lock, no write --------------------------

    @Override
    public UpgradeCheck needsUpgrade(DeploySpec spec) {
        return upgradeCheck.check(spec);
    }

    @Override
    public dev.helmsdk.api.report.DriftReport drift(dev.helmsdk.api.spi.DriftSpec spec, boolean correct) {
        return drift.drift(spec, correct);
    }

    @Override
    public HelmEngine withActor(String actor) {
        return new ActingEngine(this, runner, java.util.Objects.requireNonNull(actor, "actor"));
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
        runner.close();
        locks.close();
        helm.close();
        charts.close();
        if (secretChecks != null) {
            secretChecks.close();
        }
        if (ownsClient) {
            client.close();
        }
        workDir.close();
    }

    @Override
    public String toString() {
        return "HelmJavaEngine[" + client.getMasterUrl() + "]";
    }

    @Override
    public dev.helmsdk.api.TestReport testReport(ReleaseQuery q, boolean run, int logBytes) {
        Operation op = Operation.TEST;
        java.util.function.Supplier<dev.helmsdk.api.TestReport> report =
                () -> testReports.report(op, q.namespace(), q.releaseName(), q.timeouts().start(), run, logBytes);
        // Running the tests writes their outcome into the release's record, as test() does; reading the last run does not.
        return run ? writing(op, q.namespace(), q.releaseName(), q.timeouts().start(), report)
                : runner.run(op, q.releaseName(), q.namespace(), q.timeouts().start(), report, helm::abandon);
    }

    // ---- upgrade advisor ----

    /** The repositories and registries this engine fetches charts from. */
    dev.helmsdk.core.ChartSources chartSources() {
        return sources;
    }

    /** Where this engine's meters go, or {@code null}. */
    io.micrometer.core.instrument.MeterRegistry meterRegistry() {
        return runner.registry();
    }

    /** The cluster connection, for credential providers that read it. */
    KubernetesClient client() {
        return client;
    }

    /** The latest revision of each release whose records carry {@code labels}, as {@link #list} sorts them. */
    List<Release> list(ListSpec spec, Map<String, String> labels) {
        return reads.list(spec, labels);
    }

    /**
     * What a revision's recorded secret references resolve to now, as a mask for reports built from its stored manifest
     * (which holds the resolved values); {@code null} when it has references this manager cannot resolve (no resolver
     * for their scheme, or the store is unreachable now), so the report
     * shows no value at all: better a blank than a secret.
     */
    private dev.helmsdk.core.internal.secrets.Redactor resolvedSecretsOf(Operation op, String namespace, StoredRelease revision) {
        Map<String, Object> config = revision.config(json);
        if (!dev.helmsdk.core.internal.secrets.SecretResolution.holdsReferences(config)) {
            return dev.helmsdk.core.internal.secrets.Redactor.NONE;
        }
        if (secrets == null) {
            return null;
        }
        try {
            return secrets.resolved(config, op, revision.name(), namespace,
                    runner.currentDeadline().orElseGet(() -> Deadline.after(Duration.ofMinutes(1))), runner.secretAudit()).redactor();
        } catch (dev.helmsdk.api.secrets.SecretResolutionException e) {
            // the report can still say what drifted; without the values it cannot tell apart from secrets
            return null;
        }
    }
}
