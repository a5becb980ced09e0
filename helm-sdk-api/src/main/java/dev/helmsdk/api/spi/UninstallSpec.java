package dev.helmsdk.api.spi;

import dev.helmsdk.api.Timeouts;

import java.util.Objects;

/**
 * An uninstall.
 *
 * @param releaseName the release
 * @param namespace   its namespace
 * @param keepHistory keep the release records (status {@code uninstalled}) so it can be inspected later
 * @param timeouts    the limits for this call
 */
public record UninstallSpec(String releaseName, String namespace, boolean keepHistory, Timeouts timeouts) {

    /** Requires name, namespace and timeouts. */
    public UninstallSpec {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(timeouts, "timeouts");
    }
}
