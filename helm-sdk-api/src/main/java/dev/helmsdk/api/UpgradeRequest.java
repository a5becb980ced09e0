package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;

/**
 * An upgrade of an existing release to a chart and values. By default the new revision gets only
 * the values given here, as {@code helm upgrade} does when values are given.
 */
public final class UpgradeRequest extends DeployRequest<UpgradeRequest> {

    UpgradeRequest(HelmEngine engine, DeploySpec spec) {
        super(engine, Operation.UPGRADE, spec);
    }

    @Override
    UpgradeRequest copy(DeploySpec changed) {
        return new UpgradeRequest(engine, changed);
    }

    /** Installs the release when it does not exist yet ({@code helm upgrade --install}). */
    public UpgradeRequest installIfAbsent() {
        return copy(spec.toBuilder().upgrade(spec.upgrade().withInstallIfAbsent(true)).build());
    }

    /** Starts from the previous revision's values and merges the ones given here over them. */
    public UpgradeRequest reuseValues() {
        return copy(reusing(spec));
    }

    /** Starts from the chart's defaults, ignoring the previous revision's values. */
    public UpgradeRequest resetValues() {
        return copy(resetting(spec));
    }

    /** {@code spec} starting from the previous revision's values (shared with {@link NeedsUpgradeRequest}). */
    static DeploySpec reusing(DeploySpec spec) {
        return spec.toBuilder().upgrade(spec.upgrade().withReuseValues(true)).build();
    }

    /** {@code spec} starting from the chart's defaults (shared with {@link NeedsUpgradeRequest}). */
    static DeploySpec resetting(DeploySpec spec) {
        return spec.toBuilder().upgrade(spec.upgrade().withResetValues(true)).build();
    }

    /** Replaces resources that cannot be patched (delete and re-create). */
    public UpgradeRequest force() {
        return copy(spec.toBuilder().upgrade(spec.upgrade().withForce(true)).build());
    }

    @Override
    public Release run() {
        return engine.upgrade(requireChart());
    }
}
