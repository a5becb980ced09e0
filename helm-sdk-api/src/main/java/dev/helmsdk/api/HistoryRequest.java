package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

import java.util.List;

/** Every stored revision of a release, oldest first; throws {@link ReleaseNotFoundException} when there is none. */
public final class HistoryRequest extends ReleaseRead<HistoryRequest, List<Release>> {

    HistoryRequest(HelmEngine engine, ReleaseQuery query) {
        super(engine, Operation.HISTORY, query);
    }

    @Override
    HistoryRequest copy(ReleaseQuery changed) {
        return new HistoryRequest(engine, changed);
    }

    @Override
    public List<Release> run() {
        return engine.history(query);
    }
}
