package dev.helmsdk.core.internal;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.spi.DriftSpec;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.internal.report.DriftDetection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.function.Consumer;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code drift(release)}: one operation on the runner (bounded, timed, seen by the interceptors), the last deployed
 * revision read from the release records and compared with the cluster ({@link DriftDetection}). Detection takes no
 * lock and writes nothing; a correction is a change ({@link Operation#DRIFT_CORRECTION}): it holds the release's lock,
 * compares again under it, re-applies what drifted and records no revision, its {@link OperationSignal.Changed} naming
 * the same revision before and after.
 */
final class ReleaseDrift {

    private final OperationRunner runner;
    private final ReleaseStore store;
    private final ReleaseLocks locks;
    private final Supplier<KubernetesClient> client;
    private final Consumer<OperationSignal> signals;
    private final DriftDetection detection = new DriftDetection();
    private final SecretsOf secretsOf;
    /** A value of a release whose secret references this manager cannot resolve: it may be one of them. */
    static final String HIDDEN = "(hidden: the release's values hold secret references this manager does not resolve)";

    /**
     * @param client    the cluster, bounded by the deadline of the operation on the calling thread
     * @param secretsOf masks what a revision's secret references resolved to: its stored manifest holds resolved values,
     *                  which a hand-edited ConfigMap or env var would otherwise show in the report
     */
    ReleaseDrift(OperationRunner runner, ReleaseStore store, ReleaseLocks locks, Supplier<KubernetesClient> client,
                 SecretsOf secretsOf) {
        this.secretsOf = secretsOf;
        this.runner = runner;
        this.store = store;
        this.locks = locks;
        this.client = client;
        this.signals = runner::signal;
    }

    DriftReport drift(DriftSpec spec, boolean correct) {
        Operation op = correct ? Operation.DRIFT_CORRECTION : Operation.DRIFT;
        String ns = spec.namespace();
        String name = spec.releaseName();
        return runner.runInline(op, name, ns, spec.timeouts().start(), () -> {
            try {
                return driftOrCorrect(op, spec, correct);
            } catch (KubernetesClientException e) {
                // An unreachable API server or one that refuses who we are (0, 401) ends the comparison or the correction
                // as a whole (the checks rethrow those): the typed error every other cluster call gives.
                throw KubeErrors.translate(op, name, e);
            }
        });
    }

    private DriftReport driftOrCorrect(Operation op, DriftSpec spec, boolean correct) {
        String ns = spec.namespace();
        String name = spec.releaseName();
        if (!correct) {
            StoredRelease base = deployed(op, spec);
            return masked(op, detect(op, spec, base).report(), base);
        }
        try (HeldRelease held = locks.acquire(op, ns, name, spec.timeouts().start())) {
            StoredRelease base = deployed(op, spec);
            DriftDetection.Found found = detect(op, spec, base);
            DriftReport done = found.entries().isEmpty() ? found.report()
                    : Deadline.during(runner.currentDeadline(), dev.helmsdk.api.spi.OperationPhase.APPLY,
                            "re-applying " + found.entries().size() + " drifted objects", () -> detection.correct(found, client.get()));
            var chart = base.toRelease(ns);
            signals.accept(new OperationSignal.Changed(chart.chartName(), chart.chartVersion(), "revision " + base.revision(),
                    base.revision(), base.revision(), ""));
            return masked(op, done, base);
        }
    }

    /** Masks of a revision's resolved secret references; {@code null} when they cannot be resolved here. */
    interface SecretsOf {
        dev.helmsdk.core.internal.secrets.Redactor of(Operation op, String namespace, StoredRelease revision);
    }

    private DriftReport masked(Operation op, DriftReport report, StoredRelease base) {
        dev.helmsdk.core.internal.secrets.Redactor redactor = secretsOf.of(op, report.namespace(), base);
        if (redactor == dev.helmsdk.core.internal.secrets.Redactor.NONE) {
            return report;
        }
        if (redactor == null) {
            List<dev.helmsdk.api.report.ObjectChange> blank = report.drifted().stream().map(c -> new dev.helmsdk.api.report.ObjectChange(
                    c.object(), c.type(), c.fields().stream().map(f -> new dev.helmsdk.api.report.FieldChange(f.path(),
                            f.before().map(v -> HIDDEN), f.after().map(v -> HIDDEN))).toList())).toList();
            return new DriftReport(report.releaseName(), report.namespace(), report.revision(), blank, report.findings(),
                    report.corrected());
        }
        return new DriftReport(report.releaseName(), report.namespace(), report.revision(), redactor.changes(report.drifted()),
                redactor.findings(report.findings()), report.corrected());
    }

    private DriftDetection.Found detect(Operation op, DriftSpec spec, StoredRelease base) {
        var r = base.toRelease(spec.namespace());
        return Deadline.during(runner.currentDeadline(), dev.helmsdk.api.spi.OperationPhase.RENDER,
                "comparing revision " + base.revision() + " with the cluster",
                () -> detection.detect(spec.releaseName(), spec.namespace(), base.revision(), r.chartName(), r.chartVersion(),
                        base.manifest(), spec.ignores(), client.get()));
    }

    /** The last deployed revision (else the latest, as an upgrade starts from it); a typed error when there is none. */
    private StoredRelease deployed(Operation op, DriftSpec spec) {
        ReleaseStore.UpgradeBase found = store.upgradeBase(op, spec.namespace(), spec.releaseName())
                .orElseThrow(() -> ReleaseStore.notFound(op, spec.namespace(), spec.releaseName()));
        if (found.latestStatus() == ReleaseStatus.UNINSTALLED || found.latestStatus() == ReleaseStatus.UNINSTALLING) {
            throw new InvalidRequestException(op, spec.releaseName(), "release '" + spec.releaseName() + "' in namespace '"
                    + spec.namespace() + "' is uninstalled (its history was kept): nothing deployed to compare with; roll it back first");
        }
        return found.base();
    }
}
