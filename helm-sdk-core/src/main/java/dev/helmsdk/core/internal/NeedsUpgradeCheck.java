package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.core.internal.secrets.Redactor;
import dev.helmsdk.core.internal.secrets.SecretResolution;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link HelmJavaEngine#needsUpgrade}: whether an upgrade would change a release, from one read of its records and one
 * local rendering; no lock, no write. Its own class because it is the one read that renders, and so needs the chart,
 * values and secrets machinery that the other reads do not. Thread-safe: it holds no per-call state.
 */
final class NeedsUpgradeCheck {

    private final OperationRunner runner;
    private final ChartSource charts;
    private final ValuesMerger merger;
    private final ReleaseReads reads;
    private final TemplateRenderer renderer;
    private final UpgradeComparison comparison;
    private final ObjectMapper json;
    private final Path workDir;
    /** The manager's resolution of secret references, or {@code null} when it resolves none. */
    private final SecretResolution secrets;
    /** What the runner does with the call's thread when it overruns its limit (Helm's abandon). */
    private final Consumer<Thread> abandon;

    NeedsUpgradeCheck(OperationRunner runner, ChartSource charts, ValuesMerger merger, ReleaseReads reads,
                      TemplateRenderer renderer, UpgradeComparison comparison, ObjectMapper json, Path workDir,
                      SecretResolution secrets, Consumer<Thread> abandon) {
        this.runner = runner;
        this.charts = charts;
        this.merger = merger;
        this.reads = reads;
        this.renderer = renderer;
        this.comparison = comparison;
        this.json = json;
        this.workDir = workDir;
        this.secrets = secrets;
        this.abandon = abandon;
    }

    UpgradeCheck check(DeploySpec spec) {
        Operation op = Operation.NEEDS_UPGRADE;
        String ns = spec.namespace();
        String name = spec.releaseName();
        return runner.run(op, name, ns, spec.timeouts().start(), () -> {
            // As for a change, a refused chart or bad values stop the check before the cluster is read.
            ChartSource.Resolved chart = charts.resolve(op, name, spec.chart(), spec.verifyKeyring());
            Map<String, Object> requested = merger.merge(op, name, spec.values());
            Optional<ReleaseStore.UpgradeBase> found = reads.upgradeBase(op, ns, name);
            if (found.isEmpty()) {
                return UpgradeComparison.notInstalled();
            }
            StoredRelease base = found.get().base();
            Map<String, Object> config = base.config(json);
            Map<String, Object> recorded = UpgradeComparison.valuesToRecord(spec, requested, config);
            // Values compare as recorded (references with references); the manifest renders with what they
            // resolve to now, as the deployed one was: a rotated secret is a difference, an unchanged one is not.
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("config", config);
            both.put("recorded", recorded);
            SecretResolution.Resolved now = secrets == null ? new SecretResolution.Resolved(both, Redactor.NONE, both)
                    : secrets.resolved(both, op, name, ns, runner.currentDeadline().orElseGet(() -> Deadline.after(spec.timeouts().start())),
                            runner.secretAudit());
            @SuppressWarnings("unchecked")
            Map<String, Object> renderConfig = (Map<String, Object>) now.values().get("config");
            @SuppressWarnings("unchecked")
            Map<String, Object> renderRecorded = (Map<String, Object>) now.values().get("recorded");
            try {
                RenderedManifest rendered = spec.upgrade().reuseValues() ? renderReusing(op, spec, chart, base, renderConfig, renderRecorded)
                        : ValuesFiles.with(workDir, renderRecorded, valuesFile -> renderer.render(op, spec, chart, valuesFile));
                return comparison.compare(found.get(), chart.metadata(), recorded, rendered);
            } catch (dev.helmsdk.api.HelmSdkException e) {
                throw now.redactor().masked(e);
            }
        }, abandon);
    }

    /**
     * Renders as Helm's upgrade with reuseValues does: the chart's defaults replaced by the
     * revision's coalesced values (its chart's defaults under its user values), the values to record on top.
     */
    private RenderedManifest renderReusing(Operation op, DeploySpec spec, ChartSource.Resolved chart, StoredRelease base,
                                           Map<String, Object> config, Map<String, Object> recorded) {
        Map<String, Object> old = new LinkedHashMap<>();
        ValuesMerger.deepMerge(old, base.chartValues(json));
        ValuesMerger.deepMerge(old, config);
        return ValuesFiles.with(workDir, recorded, valuesFile -> renderer.renderWithDefaults(op, spec, chart, old, valuesFile));
    }
}
