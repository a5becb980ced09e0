package dev.helmsdk.api.report;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing a dry run's check found: typed, located, explained.
 *
 * @param check    which check found it: {@code admission} (the API server refused the object), {@code conflict},
 *                 {@code immutable_field}, {@code rbac}, {@code quota}, {@code values_schema}, {@code lint},
 *                 {@code validator:<name>} or {@code policy:<name>}
 * @param code     a stable identifier of the kind of finding, for filtering and suppression
 *                 ({@code rbac.denied}, {@code conflict.not_owned}, {@code image.latest}, ...)
 * @param severity how much it matters
 * @param object   the object it is about, when it is about one
 * @param field    where in that object (or in the values, for {@code values_schema}), as a JSON pointer
 *                 ({@code /spec/selector}); empty when not about one field
 * @param message  what is wrong, in words: never a secret's value
 * @param hint     what to do about it, when there is something to say
 */
public record Finding(String check, String code, Severity severity, Optional<ObjectRef> object, Optional<String> field,
                      String message, Optional<String> hint) {

    /** Requires every component. */
    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(hint, "hint");
    }

    /**
     * A finding about {@code object}.
     *
     * @param field a JSON pointer into the object, or {@code null} for the whole object
     * @param hint  what to do, or {@code null} when there is nothing to say
     */
    public static Finding about(String check, String code, Severity severity, ObjectRef object, String field, String message,
                                String hint) {
        return new Finding(check, code, severity, Optional.of(Objects.requireNonNull(object, "object")),
                Optional.ofNullable(field), message, Optional.ofNullable(hint));
    }

    /**
     * A finding about no object in particular (the chart, the values, the namespace).
     *
     * @param hint what to do, or {@code null} when there is nothing to say
     */
    public static Finding general(String check, String code, Severity severity, String message, String hint) {
        return new Finding(check, code, severity, Optional.empty(), Optional.empty(), message, Optional.ofNullable(hint));
    }
}
