package dev.helmsdk.api.spi;

import dev.helmsdk.api.Timeouts;

import java.util.Objects;

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
 */
public record RollbackSpec(String releaseName, String namespace, int revision, boolean waitReady, boolean force,
                           boolean cleanupOnFail, Timeouts timeouts) {

    /** Requires name, namespace and timeouts; a revision is 0 (previous) or positive. */
    public RollbackSpec {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(timeouts, "timeouts");
        if (revision < 0) {
            throw new IllegalArgumentException("revision must be 0 (previous) or positive, was " + revision);
        }
    }
}
