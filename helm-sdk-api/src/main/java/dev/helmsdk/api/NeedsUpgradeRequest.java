package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;

/**
 * Whether {@code helm upgrade} of a release to the given chart and values would change anything,
 * and what: chart, values and manifest are given as to {@link UpgradeRequest}, and {@link #run()}
 * answers with an {@link UpgradeCheck}. It reads the release records once and renders the chart
 * once, locally; it takes no lock and changes nothing, so a controller can call it on every
 * reconcile and upgrade only when {@link UpgradeCheck#needed()}.
 *
 * <p>The values are those the upgrade would record, with Helm's rules: by default the given ones,
 * or the release's own when none are given (as {@code helm upgrade} copies them);
 * {@link #reuseValues()} merges the given ones over the release's; {@link #resetValues()} takes the
 * given ones only. See {@link UpgradeCheck} for what is compared and what cannot be.
 */
public final class NeedsUpgradeRequest extends ChartRequest<NeedsUpgradeRequest> {

    NeedsUpgradeRequest(HelmEngine engine, DeploySpec spec) {
        super(engine, Operation.NEEDS_UPGRADE, spec);
    }

    @Override
    NeedsUpgradeRequest copy(DeploySpec changed) {
        return new NeedsUpgradeRequest(engine, changed);
    }

    /** Checks an upgrade that starts from the previous revision's values, as {@link UpgradeRequest#reuseValues()}. */
    public NeedsUpgradeRequest reuseValues() {
        return copy(UpgradeRequest.reusing(spec));
    }

    /** Checks an upgrade that ignores the previous revision's values, as {@link UpgradeRequest#resetValues()}. */
    public NeedsUpgradeRequest resetValues() {
        return copy(UpgradeRequest.resetting(spec));
    }

    /** Compares; reads and renders only. */
    public UpgradeCheck run() {
        return engine.needsUpgrade(requireChart());
    }
}
