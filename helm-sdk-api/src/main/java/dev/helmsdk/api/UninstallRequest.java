package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.UninstallSpec;

import java.util.Objects;

/** Removes a release's resources and, unless history is kept, its records. Immutable. */
public final class UninstallRequest {

    private final HelmEngine engine;
    private final UninstallSpec spec;

    UninstallRequest(HelmEngine engine, UninstallSpec spec) {
        this.engine = engine;
        this.spec = spec;
    }

    /** The release's namespace (the manager's default unless changed). */
    public UninstallRequest inNamespace(String namespace) {
        return new UninstallRequest(engine, new UninstallSpec(spec.releaseName(),
                Names.namespace(Operation.UNINSTALL, spec.releaseName(), namespace), spec.keepHistory(), spec.timeouts()));
    }

    /** Keeps the release records, marked {@code uninstalled} ({@code helm uninstall --keep-history}). */
    public UninstallRequest keepHistory() {
        return new UninstallRequest(engine, new UninstallSpec(spec.releaseName(), spec.namespace(), true, spec.timeouts()));
    }

    /** Overrides the manager's time limits for this call. */
    public UninstallRequest timeouts(Timeouts timeouts) {
        return new UninstallRequest(engine, new UninstallSpec(spec.releaseName(), spec.namespace(), spec.keepHistory(),
                Objects.requireNonNull(timeouts, "timeouts")));
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
