package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;
import dev.helmsdk.api.spi.ReleaseQuery;

/**
 * The part shared by reads of one release: the revision read. Immutable.
 *
 * @param <S> the concrete request type
 * @param <R> what {@link #run()} returns
 */
public abstract sealed class ReleaseRead<S extends ReleaseRead<S, R>, R> extends ReleaseRequest<S>
        permits StatusRequest, HistoryRequest, ValuesRequest, ManifestRequest, TestRequest, ExistsRequest {

    final ReleaseQuery query;

    ReleaseRead(HelmEngine engine, Operation operation, ReleaseQuery query) {
        super(engine, operation);
        this.query = query;
    }

    abstract S copy(ReleaseQuery changed);

    @Override
    String release() {
        return query.releaseName();
    }

    @Override
    S withNamespace(String namespace) {
        return copy(new ReleaseQuery(query.releaseName(), namespace, query.revision(), query.timeouts()));
    }

    @Override
    S withTimeouts(Timeouts timeouts) {
        return copy(new ReleaseQuery(query.releaseName(), query.namespace(), query.revision(), timeouts));
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
