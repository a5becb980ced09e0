package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ListSpec;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Lists releases (their latest revision each), in the manager's default namespace unless changed.
 * Without a status filter every release is listed except those uninstalled with kept history.
 * Immutable.
 *
 * <p>{@link #inNamespace(String)} and {@link #allNamespaces()} choose where to list; the later
 * call wins. {@link #withStatus(ReleaseStatus...)} adds to the statuses listed, as Helm's
 * {@code --deployed --failed ...} flags do.
 */
public final class ListRequest extends ReleaseRequest<ListRequest> {

    private final ListSpec spec;

    ListRequest(HelmEngine engine, ListSpec spec) {
        super(engine, Operation.LIST);
        this.spec = spec;
    }

    @Override
    String release() {
        return null;
    }

    @Override
    ListRequest withNamespace(String namespace) {
        return new ListRequest(engine, new ListSpec(namespace, spec.statuses(), spec.timeouts()));
    }

    @Override
    ListRequest withTimeouts(Timeouts timeouts) {
        return new ListRequest(engine, new ListSpec(spec.namespace(), spec.statuses(), timeouts));
    }

    /** Lists every namespace ({@code helm list --all-namespaces}), instead of one. */
    public ListRequest allNamespaces() {
        return new ListRequest(engine, new ListSpec(null, spec.statuses(), spec.timeouts()));
    }

    /**
     * Lists also releases whose latest revision has one of these statuses: each call adds to the
     * statuses of earlier calls (repeating one is harmless), so
     * {@code withStatus(FAILED).withStatus(PENDING_UPGRADE)} lists both. Once any status is given,
     * only the given ones are listed.
     */
    public ListRequest withStatus(ReleaseStatus... statuses) {
        Objects.requireNonNull(statuses, "statuses");
        Set<ReleaseStatus> all = EnumSet.noneOf(ReleaseStatus.class);
        all.addAll(spec.statuses());
        for (ReleaseStatus s : statuses) {
            all.add(Objects.requireNonNull(s, "statuses"));
        }
        return new ListRequest(engine, new ListSpec(spec.namespace(), all, spec.timeouts()));
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
