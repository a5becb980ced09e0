package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.UninstallSpec;

/** Removes a release's resources and, unless history is kept, its records. Immutable. */
public final class UninstallRequest extends ReleaseRequest<UninstallRequest> {

    private final UninstallSpec spec;

    UninstallRequest(HelmEngine engine, UninstallSpec spec) {
        super(engine, Operation.UNINSTALL);
        this.spec = spec;
    }

    @Override
    String release() {
        return spec.releaseName();
    }

    @Override
    UninstallRequest withNamespace(String namespace) {
        return new UninstallRequest(engine, new UninstallSpec(spec.releaseName(), namespace, spec.keepHistory(), spec.timeouts()));
    }

    @Override
    UninstallRequest withTimeouts(Timeouts timeouts) {
        return new UninstallRequest(engine, new UninstallSpec(spec.releaseName(), spec.namespace(), spec.keepHistory(), timeouts));
    }

    /** Keeps the release records, marked {@code uninstalled} ({@code helm uninstall --keep-history}). */
    public UninstallRequest keepHistory() {
        return new UninstallRequest(engine, new UninstallSpec(spec.releaseName(), spec.namespace(), true, spec.timeouts()));
    }

    /** The request as an engine receives it. */
    public UninstallSpec spec() {
        return spec;
    }

    /**
     * Uninstalls and returns the release's last revision as it stood before removal.
     *
     * @throws ReleaseNotFoundException when the release does not exist
     */
    public Release run() {
        return engine.uninstall(spec);
    }
}
