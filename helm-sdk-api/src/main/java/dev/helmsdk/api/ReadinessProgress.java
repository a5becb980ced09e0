package dev.helmsdk.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where a readiness wait stands: every resource of the release, whether it is ready, and why not.
 * Delivered to the listener given with {@code waitReady()}'s {@link DeployRequest#onProgress} when
 * something changes.
 *
 * @param resources every resource being waited for, in the release's order
 * @param elapsed   time since the wait began
 */
public record ReadinessProgress(List<Resource> resources, Duration elapsed) {

    /** Copies the list. */
    public ReadinessProgress {
        resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Where one resource stands. */
    public enum State { READY, WAITING, FAILED }

    /**
     * One resource.
     *
     * @param id     {@code kind/name}, e.g. {@code deployment/web}
     * @param state  ready, waiting or failed
     * @param detail a short reason, e.g. {@code 2/3 ready}, empty when ready
     */
    public record Resource(String id, State state, String detail) {
        /** Requires id and state. */
        public Resource {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            detail = Objects.requireNonNullElse(detail, "");
        }

        @Override
        public String toString() {
            return id + " " + state.name().toLowerCase(java.util.Locale.ROOT) + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** How many resources are ready. */
    public long readyCount() {
        return resources.stream().filter(r -> r.state() == State.READY).count();
    }
}
