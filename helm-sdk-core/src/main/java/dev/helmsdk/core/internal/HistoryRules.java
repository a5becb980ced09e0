package dev.helmsdk.core.internal;

import dev.helmsdk.api.ReleaseStatus;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which status each earlier revision keeps after a change, by Helm's own rules, where the SDK
 * drives Helm differently from Helm's actions: it waits for readiness in Java after a plain
 * {@code upgrade}, and it rolls back through {@code upgrade} with a rebuilt chart (helm-java has
 * no rollback). Helm's upgrade supersedes the revision it started from, even a failed one, so the
 * SDK puts back what Helm's {@code --wait} and {@code rollback} would have left.
 *
 * <p>Each rule takes the statuses of the revisions as they were before the change (revision to
 * status) and returns the statuses those revisions must have afterwards; the new revision's own
 * status is not part of it.
 */
final class HistoryRules {

    private HistoryRules() {
    }

    /**
     * An upgrade (or rollback) whose wait for readiness failed: Helm's {@code --wait} records the
     * revision it started from unchanged ({@code upgrade.go}, {@code rollback.go}), so every earlier
     * revision keeps the status it had.
     */
    static SortedMap<Integer, ReleaseStatus> afterFailedWait(Map<Integer, ReleaseStatus> before) {
        return new TreeMap<>(before);
    }

    /**
     * A rollback that succeeded: Helm supersedes every deployed revision ({@code rollback.go},
     * "Supersede all previous deployments"); the others, a failed or pending latest one included,
     * keep their status.
     */
    static SortedMap<Integer, ReleaseStatus> afterRollback(Map<Integer, ReleaseStatus> before) {
        SortedMap<Integer, ReleaseStatus> out = new TreeMap<>(before);
        out.replaceAll((revision, status) -> status == ReleaseStatus.DEPLOYED ? ReleaseStatus.SUPERSEDED : status);
        return out;
    }

    /**
     * A rollback whose apply failed after the new revision was recorded: Helm records the latest
     * earlier revision superseded and keeps the others ({@code rollback.go}, the update error path).
     */
    static SortedMap<Integer, ReleaseStatus> afterFailedRollbackApply(Map<Integer, ReleaseStatus> before) {
        SortedMap<Integer, ReleaseStatus> out = new TreeMap<>(before);
        if (!out.isEmpty()) {
            out.put(out.lastKey(), ReleaseStatus.SUPERSEDED);
        }
        return out;
    }

    /** The revision marked deployed with the highest number, or 0 when none is. */
    static int deployed(Map<Integer, ReleaseStatus> statuses) {
        int deployed = 0;
        for (Map.Entry<Integer, ReleaseStatus> e : statuses.entrySet()) {
            if (e.getValue() == ReleaseStatus.DEPLOYED) {
                deployed = Math.max(deployed, e.getKey());
            }
        }
        return deployed;
    }
}
