package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.ObjectRef;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the cluster said about each object of one dry run, read once and shared by the admission, diff,
 * conflict and immutable-field checks: the live object (one GET) and the server-side apply dry run's result.
 *
 * @param objects each rendered object, in render order
 * @param removed objects of the deployed revision the change no longer renders and that are live (Helm deletes them)
 */
record ServerView(List<Entry> objects, List<ObjectRef> removed) {

    ServerView {
        objects = List.copyOf(objects);
        removed = List.copyOf(removed);
    }

    /**
     * One rendered object.
     *
     * @param ref      what
     * @param rendered as the chart renders it (the namespace filled in)
     * @param live     as it is in the cluster now; empty when it does not exist
     * @param applied  the API server's answer to the server-side apply dry run; empty when refused or not asked
     * @param refusal  why the API server refused it, when it did
     * @param skipped  why it was not sent (its namespace does not exist yet, its CRD is in the same chart)
     * @param previous as the deployed revision's manifest has it; empty when that revision does not have it (Helm checks
     *                 ownership only of those)
     */
    record Entry(ObjectRef ref, Map<String, Object> rendered, Optional<Map<String, Object>> live,
                 Optional<Map<String, Object>> applied, Optional<Refusal> refusal, Optional<String> skipped,
                 Optional<Map<String, Object>> previous) {

        /** Whether the deployed revision of the release has it. */
        boolean deployed() {
            return previous.isPresent();
        }
    }

    /**
     * The API server's refusal of an object.
     *
     * @param code    the HTTP status (422 invalid, 403 denied by a webhook or policy, ...)
     * @param message the Status message
     * @param causes  the Status causes, each with its field as a JSON pointer (empty when the server gave none)
     */
    record Refusal(int code, String message, List<Cause> causes) {
        Refusal {
            causes = List.copyOf(causes);
        }
    }

    /** One Status cause: a field (JSON pointer, empty when none) and what is wrong with it. */
    record Cause(Optional<String> field, String message) {
    }
}
