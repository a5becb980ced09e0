package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ListSpec;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Lists releases (their latest revision each), in the manager's default namespace unless changed.
 * Without a status filter every release is listed except those uninstalled with kept history.
 */
public final class ListRequest {

    private final HelmEngine engine;
    private final ListSpec spec;

    ListRequest(HelmEngine engine, ListSpec spec) {
        this.engine = engine;
        this.spec = spec;
    }

    /** Lists one namespace. */
    public ListRequest inNamespace(String namespace) {
        return new ListRequest(engine, new ListSpec(Names.namespace(Operation.LIST, null, namespace), spec.statuses(), spec.timeouts()));
    }

    /** Lists every namespace. */
    public ListRequest allNamespaces() {
        return new ListRequest(engine, new ListSpec(null, spec.statuses(), spec.timeouts()));
    }

    /** Lists only releases whose latest revision has one of these statuses. */
    public ListRequest withStatus(ReleaseStatus... statuses) {
        Objects.requireNonNull(statuses, "statuses");
        return new ListRequest(engine, new ListSpec(spec.namespace(), Set.of(statuses), spec.timeouts()));
    }

    /** Overrides the manager's time limits for this call. */
    public ListRequest timeouts(Timeouts timeouts) {
        return new ListRequest(engine, new ListSpec(spec.namespace(), spec.statuses(), Objects.requireNonNull(timeouts, "timeouts")));
    }

    /** The request as an engine receives it. */
    public ListSpec spec() {
        return spec;
    }

    /** Lists, sorted by namespace then name. */
    public List<Release> run() {
        return engine.list(spec);
    }
}
