package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

/** The manifest Helm applied for a release revision ({@code helm get manifest}). */
public final class ManifestRequest extends ReleaseRead<ManifestRequest, String> {

    ManifestRequest(HelmEngine engine, ReleaseQuery query) {
        super(engine, Operation.MANIFEST, query);
    }

    @Override
    ManifestRequest copy(ReleaseQuery changed) {
        return new ManifestRequest(engine, changed);
    }

    /** A given revision instead of the latest. */
    public ManifestRequest atRevision(int revision) {
        return revision(revision);
    }

    @Override
    public String run() {
        return engine.manifest(query);
    }
}
