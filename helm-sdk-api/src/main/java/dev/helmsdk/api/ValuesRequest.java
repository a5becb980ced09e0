package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

import java.util.Map;

/** The values of a release revision: the user-supplied ones, or all of them merged with the chart's defaults. */
public final class ValuesRequest extends ReleaseRead<ValuesRequest, Map<String, Object>> {

    private final boolean all;

    ValuesRequest(HelmEngine engine, ReleaseQuery query, boolean all) {
        super(engine, Operation.VALUES, query);
        this.all = all;
    }

    @Override
    ValuesRequest copy(ReleaseQuery changed) {
        return new ValuesRequest(engine, changed, all);
    }

    /** A given revision instead of the latest. */
    public ValuesRequest atRevision(int revision) {
        return revision(revision);
    }

    /** The chart's defaults merged with the user-supplied values ({@code helm get values --all}). */
    public ValuesRequest allValues() {
        return new ValuesRequest(engine, query, true);
    }

    @Override
    public Map<String, Object> run() {
        return engine.values(query, all);
    }
}
