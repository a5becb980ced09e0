package dev.helmsdk.core.internal.readiness;

import java.util.Objects;

/**
 * Where one resource stands in a {@link ReadinessSnapshot}.
 *
 * @param resource the resource
 * @param state    ready, waiting or failed
 * @param reason   short: {@code 2/3 ready}, {@code waiting for pods}, {@code Bound}, {@code not found}
 * @param detail   why, when known ({@code ""} otherwise): e.g. the first pod that is not ready and its state
 */
public record ResourceStatus(ResourceKey resource, ReadinessState state, String reason, String detail) {

    public ResourceStatus {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        detail = detail == null ? "" : detail;
    }

    /** {@code deployment/web}. */
    public String id() {
        return resource.id();
    }

    public boolean ready() {
        return state == ReadinessState.READY;
    }

    /** {@code deployment/web: 1/2 ready (pod web-abc12: ...)}. */
    @Override
    public String toString() {
        return id() + ": " + reason + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
