package dev.helmsdk.api.spi;

import dev.helmsdk.api.Operation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation as {@link OperationInterceptor}s see it.
 *
 * @param id          unique for each operation of a manager, e.g. to correlate {@code before} and {@code after}
 * @param operation   what it does
 * @param releaseName the release it concerns; empty for {@code list} across releases and for {@code lint}
 * @param namespace   the namespace it concerns ({@code *} for all namespaces); empty for {@code lint}
 * @param startedAt   when it started
 * @param parentId    the operation this one runs on behalf of: the change an automatic rollback undoes; empty when the caller asked for it
 */
public record OperationEvent(String id, Operation operation, String releaseName, String namespace, Instant startedAt,
                             Optional<String> parentId) {

    /** Checks the components. */
    public OperationEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(parentId, "parentId");
    }

    /** Whether the SDK runs this operation on its own, to undo a failed change ({@code rollbackOnFailure()}). */
    public boolean remediation() {
        return parentId.isPresent();
    }
}
