package dev.helmsdk.core.internal.readiness;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Readiness of every resource of a release at one moment, in manifest order.
 *
 * @param resources one entry per resource
 * @param elapsed   time since the wait began
 */
public record ReadinessSnapshot(List<ResourceStatus> resources, Duration elapsed) {

    public ReadinessSnapshot {
        resources = List.copyOf(resources);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public boolean allReady() {
        return resources.stream().allMatch(ResourceStatus::ready);
    }

    /** The resources not ready yet (waiting or failed). */
    public List<ResourceStatus> pending() {
        return resources.stream().filter(r -> !r.ready()).toList();
    }

    public List<ResourceStatus> failed() {
        return resources.stream().filter(r -> r.state() == ReadinessState.FAILED).toList();
    }

    public long readyCount() {
        return resources.stream().filter(ResourceStatus::ready).count();
    }

    /** The entry for a resource id such as {@code deployment/web}, if there is one. */
    public Optional<ResourceStatus> find(String id) {
        return resources.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** {@code 2/3 ready after 4.2s; waiting for deployment/web: 1/2 ready}. */
    @Override
    public String toString() {
        String head = readyCount() + "/" + resources.size() + " ready after " + Durations.format(elapsed);
        List<ResourceStatus> pending = pending();
        return pending.isEmpty() ? head
                : head + "; waiting for " + pending.stream().map(ResourceStatus::toString).collect(Collectors.joining("; "));
    }
}
