package dev.helmsdk.core.internal;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.spi.DriftSpec;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.internal.report.DriftDetection;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.function.Consumer;
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

    /** @param client the cluster, bounded by the deadline of the operation on the calling thread */
    ReleaseDrift(OperationRunner runner, ReleaseStore store, ReleaseLocks locks, Supplier<KubernetesClient> client) {
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
            if (!correct) {
                return detect(op, spec).report();
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
                return done;
            }
        });
    }

    private DriftDetection.Found detect(Operation op, DriftSpec spec) {
        return detect(op, spec, deployed(op, spec));
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
