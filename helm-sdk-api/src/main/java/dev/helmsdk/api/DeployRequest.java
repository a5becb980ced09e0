package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;

import java.time.Duration;

/**
 * What install and upgrade share: namespace creation, waiting, description, dry runs.
 *
 * @param <S> the concrete request type
 */
public abstract sealed class DeployRequest<S extends DeployRequest<S>> extends ChartRequest<S>
        permits InstallRequest, UpgradeRequest {

    DeployRequest(HelmEngine engine, Operation operation, DeploySpec spec) {
        super(engine, operation, spec);
    }

    /** Creates the namespace if it does not exist. */
    public S createNamespace() {
        return copy(spec.toBuilder().createNamespace(true).build());
    }

    /** Waits until the released resources are ready, within the readiness time limit. */
    public S waitReady() {
        return copy(spec.toBuilder().waitReady(true).build());
    }

    /** Waits until the released resources are ready, at most {@code readinessTimeout}. */
    public S waitReady(Duration readinessTimeout) {
        return copy(spec.toBuilder().waitReady(true).timeouts(spec.timeouts().withReadiness(readinessTimeout)).build());
    }

    /** A custom description recorded with the revision. */
    public S description(String description) {
        return copy(spec.toBuilder().description(description).build());
    }

    /** Does not install the chart's {@code crds/} directory. */
    public S skipCrds() {
        return copy(spec.toBuilder().skipCrds(true).build());
    }

    /** Computes what this request would do against the cluster ({@link DryRunMode#SERVER}), changing nothing. */
    public DryRunResult dryRun() {
        return dryRun(DryRunMode.SERVER);
    }

    /** Computes what this request would do, changing nothing. */
    public DryRunResult dryRun(DryRunMode mode) {
        return engine.dryRun(requireChart(), this instanceof UpgradeRequest, mode);
    }

    /** Carries out the request and returns the new revision. */
    public abstract Release run();
}
