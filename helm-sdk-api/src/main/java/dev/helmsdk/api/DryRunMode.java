package dev.helmsdk.api;

/** How much of the cluster a dry run consults. */
public enum DryRunMode {
    /** Render the chart locally; the cluster is not contacted. */
    CLIENT,
    /**
     * Render and validate against the cluster: the release name or existing release is checked,
     * templates may {@code lookup} live objects, and the API server's capabilities are used. Only
     * reads are sent; nothing is created or changed.
     */
    SERVER
}
