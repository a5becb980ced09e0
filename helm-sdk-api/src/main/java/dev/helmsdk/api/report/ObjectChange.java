package dev.helmsdk.api.report;

import java.util.List;
import java.util.Objects;

/**
 * One object the change would add, change or remove, against what is live in the cluster; objects that would
 * stay as they are appear in no report.
 *
 * @param object what
 * @param type   added, changed or removed
 * @param fields for a changed object, each field that would change (server-defaulted fields, managed fields
 *               and status left out, quantities compared by value); empty for added and removed objects
 */
public record ObjectChange(ObjectRef object, Type type, List<FieldChange> fields) {

    /** How an object would change. */
    public enum Type {
        /** It does not exist yet. */
        ADDED,
        /** It exists and would be different. */
        CHANGED,
        /** It exists and the change deletes it (no longer in the chart, or an uninstall). */
        REMOVED
    }

    /** Requires every component; copies the fields. */
    public ObjectChange {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(type, "type");
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
    }
}
