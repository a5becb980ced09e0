package dev.helmsdk.api;

import dev.helmsdk.api.spi.HelmEngine;

import java.util.Objects;

/**
 * What every request about releases shares: the namespace it works in and its time limits, both
 * the manager's unless changed. Immutable: every method returns a new request.
 *
 * @param <S> the concrete request type
 */
public abstract sealed class ReleaseRequest<S extends ReleaseRequest<S>>
        permits ChartRequest, ReleaseRead, RollbackRequest, UninstallRequest, ListRequest, DriftRequest {

    final HelmEngine engine;
    final Operation operation;

    ReleaseRequest(HelmEngine engine, Operation operation) {
        this.engine = engine;
        this.operation = operation;
    }

    /** The release the request is about, named in errors; {@code null} for a listing. */
    abstract String release();

    /** A copy in {@code namespace}, already checked. */
    abstract S withNamespace(String namespace);

    /** A copy with {@code timeouts}. */
    abstract S withTimeouts(Timeouts timeouts);

    /**
     * The namespace to work in (the manager's default unless changed): the release's namespace, or
     * the one namespace a listing covers. A name Kubernetes would refuse is an
     * {@link InvalidRequestException} here, before anything is sent.
     */
    public S inNamespace(String namespace) {
        return withNamespace(Names.namespace(operation, release(), namespace));
    }

    /** Overrides the manager's time limits for this call. */
    public S timeouts(Timeouts timeouts) {
        return withTimeouts(Objects.requireNonNull(timeouts, "timeouts"));
    }
}
