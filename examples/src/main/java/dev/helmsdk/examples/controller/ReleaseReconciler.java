package dev.helmsdk.examples.controller;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.UpgradeCheck;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small controller's reconcile step: keeps one release at a desired chart and values. It asks
 * {@code needsUpgrade} first, so a release already as desired costs one read and no change; it
 * installs or upgrades, waiting for readiness and rolling back automatically on failure; and it
 * turns the SDK's typed errors into what a controller does next (nothing, retry later, alert).
 * The unit tests, with helm-sdk-testkit's {@code FakeHelmManager}, are in {@code src/test}.
 */
public final class ReleaseReconciler {

    /** What the release should be. */
    public record Desired(String release, String namespace, ChartRef chart, Map<String, Object> values) {
        public Desired {
            Objects.requireNonNull(release, "release");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(chart, "chart");
            values = Map.copyOf(Objects.requireNonNull(values, "values"));
        }
    }

    /** What a reconcile did, and what the controller should do next. */
    public enum Action {
        /** Already as desired: nothing changed. */
        UNCHANGED,
        /** Installed and ready. */
        INSTALLED,
        /** Upgraded and ready. */
        UPGRADED,
        /** The change failed and was rolled back: the old revision runs; alert, do not retry blindly. */
        ROLLED_BACK,
        /** A failure the same call may get past (a store or the API down, a busy release, a timed-out change undone): retry later. */
        RETRY_LATER,
        /** A failure retrying will not mend (bad values, missing chart): alert. */
        FAILED
    }

    /**
     * @param action  what happened
     * @param release the release as it is now, when known
     * @param failure the failure, for {@code ROLLED_BACK}, {@code RETRY_LATER} and {@code FAILED}
     */
    public record Outcome(Action action, Optional<Release> release, Optional<HelmSdkException> failure) {
    }

    private final HelmManager helm;

    public ReleaseReconciler(HelmManager helm) {
        this.helm = Objects.requireNonNull(helm, "helm");
    }

    /** One reconcile of {@code desired}. */
    public Outcome reconcile(Desired desired) {
        try {
            UpgradeCheck check = helm.needsUpgrade(desired.release()).inNamespace(desired.namespace()).chart(desired.chart())
                    .values(desired.values()).run();
            if (!check.needed()) {
                return new Outcome(Action.UNCHANGED, check.currentRevision(), Optional.empty());
            }
            boolean install = check.differences().contains(UpgradeCheck.Difference.NOT_INSTALLED);
            Release release = install
                    ? helm.install(desired.release()).inNamespace(desired.namespace()).createNamespace().chart(desired.chart())
                            .values(desired.values()).waitReady().rollbackOnFailure().run()
                    : helm.upgrade(desired.release()).inNamespace(desired.namespace()).chart(desired.chart())
                            .values(desired.values()).waitReady().rollbackOnFailure().run();
            return new Outcome(install ? Action.INSTALLED : Action.UPGRADED, Optional.of(release), Optional.empty());
        } catch (AutoRollbackException e) {
            // Undone: a failure that may pass (a timeout) is worth another try; a failed rollout is an alert.
            Action action = !e.rolledBack() ? Action.FAILED : e.failure().retryable() ? Action.RETRY_LATER : Action.ROLLED_BACK;
            return new Outcome(action, Optional.empty(), Optional.of(e));
        } catch (HelmSdkException e) {
            return new Outcome(e.retryable() ? Action.RETRY_LATER : Action.FAILED, Optional.empty(), Optional.of(e));
        }
    }
}
