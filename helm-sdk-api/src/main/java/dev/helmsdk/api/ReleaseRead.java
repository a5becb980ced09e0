package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

import java.util.Objects;

/**
 * The part shared by reads of one release: namespace, revision, limits. Immutable.
 *
 * @param <S> the concrete request type
 * @param <R> what {@link #run()} returns
 */
public abstract sealed class ReleaseRead<S extends ReleaseRead<S, R>, R>
        permits StatusRequest, HistoryRequest, ValuesRequest, ManifestRequest, TestRequest, ExistsRequest {

    final HelmEngine engine;
    final Operation operation;
    final ReleaseQuery query;

    ReleaseRead(HelmEngine engine, Operation operation, ReleaseQuery query) {
        this.engine = engine;
        this.operation = operation;
        this.query = query;
    }

    abstract S copy(ReleaseQuery changed);

    /** The release's namespace (the manager's default unless changed). */
    public S inNamespace(String namespace) {
        return copy(new ReleaseQuery(query.releaseName(), Names.namespace(operation, query.releaseName(), namespace),
                query.revision(), query.timeouts()));
    }

    /** Overrides the manager's time limits for this call. */
    public S timeouts(Timeouts timeouts) {
        return copy(new ReleaseQuery(query.releaseName(), query.namespace(), query.revision(),
                Objects.requireNonNull(timeouts, "timeouts")));
    }

    S revision(int revision) {
        if (revision < 1) {
            throw new InvalidRequestException(operation, query.releaseName(),
                    "revision must be 1 or more, was " + revision);
        }
        return copy(new ReleaseQuery(query.releaseName(), query.namespace(), revision, query.timeouts()));
    }

    /** The request as an engine receives it. */
    public ReleaseQuery query() {
        return query;
    }

    /** Reads. */
    public abstract R run();
}
