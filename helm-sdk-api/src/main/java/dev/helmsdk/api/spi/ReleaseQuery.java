package dev.helmsdk.api.spi;

import dev.helmsdk.api.Timeouts;

import java.util.Objects;

/**
 * A read of one release: status, history, values or manifest.
 *
 * @param releaseName the release
 * @param namespace   its namespace
 * @param revision    the revision to read, or 0 for the latest
 * @param timeouts    the limits for this call
 */
public record ReleaseQuery(String releaseName, String namespace, int revision, Timeouts timeouts) {

    /** Requires name, namespace and timeouts; a revision is 0 (latest) or positive. */
    public ReleaseQuery {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(timeouts, "timeouts");
        if (revision < 0) {
            throw new IllegalArgumentException("revision must be 0 (latest) or positive, was " + revision);
        }
    }
}
