package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

/** The status of a release; throws {@link ReleaseNotFoundException} when it does not exist. */
public final class StatusRequest extends ReleaseRead<StatusRequest, Release> {

    StatusRequest(HelmEngine engine, ReleaseQuery query) {
        super(engine, Operation.STATUS, query);
    }

    @Override
    StatusRequest copy(ReleaseQuery changed) {
        return new StatusRequest(engine, changed);
    }

    /** A given revision instead of the latest. */
    public StatusRequest atRevision(int revision) {
        return revision(revision);
    }

    @Override
    public Release run() {
        return engine.status(query);
    }
}
