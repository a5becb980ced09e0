package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

import java.util.Optional;

/**
 * Whether a release exists, without an exception when it does not: {@link #run()} returns the
 * release's latest revision, or empty when no revision is stored.
 *
 * <p>Present means "the name is in use", as Helm sees it: an install of the same name would be
 * refused. So the latest revision is returned whatever its status: {@code DEPLOYED}, {@code FAILED},
 * a {@code PENDING_*} one left by a change in progress (or interrupted), and {@code UNINSTALLED}
 * for a release uninstalled with {@code keepHistory()}. To ask whether it is running, test the
 * status: {@code helm.exists("shop").run().filter(r -> r.status() == ReleaseStatus.DEPLOYED)}.
 *
 * <p>One read of the release records (a single LIST), no lock.
 */
public final class ExistsRequest extends ReleaseRead<ExistsRequest, Optional<Release>> {

    ExistsRequest(HelmEngine engine, ReleaseQuery query) {
        super(engine, Operation.EXISTS, query);
    }

    @Override
    ExistsRequest copy(ReleaseQuery changed) {
        return new ExistsRequest(engine, changed);
    }

    /** The latest revision, or empty when the release has none. */
    @Override
    public Optional<Release> run() {
        return engine.exists(query);
    }
}
