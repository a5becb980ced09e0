package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.LintSpec;

import java.util.Objects;

/** Lints a local chart with Helm's linter. Immutable. */
public final class LintRequest {

    private final HelmEngine engine;
    private final LintSpec spec;

    LintRequest(HelmEngine engine, LintSpec spec) {
        this.engine = engine;
        this.spec = spec;
    }

    /** Treats warnings as failures ({@code helm lint --strict}). */
    public LintRequest strict() {
        return new LintRequest(engine, new LintSpec(spec.chart(), true, spec.timeouts()));
    }

    /** Overrides the manager's time limits for this call. */
    public LintRequest timeouts(Timeouts timeouts) {
        return new LintRequest(engine, new LintSpec(spec.chart(), spec.strict(), Objects.requireNonNull(timeouts, "timeouts")));
    }

    /** The request as an engine receives it. */
    public LintSpec spec() {
        return spec;
    }

    /** Lints. A chart with errors gives a report with {@link LintReport#failed()}, not an exception. */
    public LintReport run() {
        return engine.lint(spec);
    }
}
