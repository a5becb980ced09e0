package dev.helmsdk.core.internal.readiness;

/**
 * Receives readiness progress: called on the waiting thread with the first snapshot and then whenever a resource's
 * state, reason or detail changes (not on every poll). It should return quickly; an exception it throws is logged
 * and otherwise ignored.
 */
@FunctionalInterface
public interface ReadinessListener {

    /** Ignores progress. */
    ReadinessListener NONE = s -> { };

    void progress(ReadinessSnapshot snapshot);
}
