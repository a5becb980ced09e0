package dev.helmsdk.api.spi;

import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.ReadinessProgress;
import dev.helmsdk.api.Timeouts;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A rollback: a new revision with the chart, values and manifest of an earlier one.
 *
 * @param releaseName   the release
 * @param namespace     its namespace
 * @param revision      the revision to return to, or 0 for the one before the latest
 * @param waitReady     wait until the resources are ready
 * @param force         replace resources that cannot be patched
 * @param cleanupOnFail delete resources the failed rollback created
 * @param timeouts      the limits for this call
 * @param progress      receives readiness progress while waiting; may be {@code null} (none)
 * @param healthChecks  checks run once the resources are ready, in order
 * @param description   recorded with the new revision; empty for Helm's {@code Rollback to N}
 */
public record RollbackSpec(String releaseName, String namespace, int revision, boolean waitReady, boolean force,
                           boolean cleanupOnFail, Timeouts timeouts, Consumer<ReadinessProgress> progress,
                           List<HealthCheck> healthChecks, String description) {

    /** Requires name, namespace, timeouts, checks and description; a revision is 0 (previous) or positive. */
    public RollbackSpec {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(timeouts, "timeouts");
        healthChecks = List.copyOf(Objects.requireNonNull(healthChecks, "healthChecks"));
        Objects.requireNonNull(description, "description");
        if (revision < 0) {
            throw new IllegalArgumentException("revision must be 0 (previous) or positive, was " + revision);
        }
    }

    /** A rollback with no progress listener, no health checks and Helm's description. */
    public RollbackSpec(String releaseName, String namespace, int revision, boolean waitReady, boolean force,
                        boolean cleanupOnFail, Timeouts timeouts) {
        this(releaseName, namespace, revision, waitReady, force, cleanupOnFail, timeouts, null, List.of(), "");
    }
}
