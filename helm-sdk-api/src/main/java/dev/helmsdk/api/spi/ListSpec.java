package dev.helmsdk.api.spi;

import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.Timeouts;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A listing of releases.
 *
 * @param namespace the namespace to list, or {@code null} for all namespaces
 * @param statuses  the statuses to include; empty means every status but {@code uninstalled}
 * @param timeouts  the limits for this call
 */
public record ListSpec(String namespace, Set<ReleaseStatus> statuses, Timeouts timeouts) {

    /** Copies the statuses. */
    public ListSpec {
        statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /** The namespace to list, or empty for all namespaces. */
    public Optional<String> namespaceFilter() {
        return Optional.ofNullable(namespace);
    }

    /** Whether a release whose latest revision has {@code status} is listed. */
    public boolean includes(ReleaseStatus status) {
        Objects.requireNonNull(status, "status");
        return statuses.isEmpty() ? status != ReleaseStatus.UNINSTALLED : statuses.contains(status);
    }
}
