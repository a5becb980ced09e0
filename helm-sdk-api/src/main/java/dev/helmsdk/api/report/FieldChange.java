package dev.helmsdk.api.report;

import java.util.Objects;
import java.util.Optional;

/**
 * One field of an object that would change, with its value before and after as JSON text. The values of a
 * Secret's {@code data} and {@code stringData} are never shown: they read {@code (sensitive, 12 bytes)}.
 *
 * @param path   the field, as a JSON pointer ({@code /spec/replicas})
 * @param before its value live in the cluster now; empty when it is added
 * @param after  its value after the change; empty when it is removed
 */
public record FieldChange(String path, Optional<String> before, Optional<String> after) {

    /** Requires every component. */
    public FieldChange {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }
}
