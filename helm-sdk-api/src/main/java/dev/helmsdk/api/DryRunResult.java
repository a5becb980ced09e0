package dev.helmsdk.api;

import java.util.Objects;

/**
 * What an install or upgrade would do, computed without changing the cluster.
 *
 * @param releaseName the release
 * @param namespace   the namespace
 * @param mode        how the dry run was done
 * @param upgrade     {@code true} for an upgrade of an existing release, {@code false} for an install
 * @param rendered    the objects the chart renders to
 * @param notes       the rendered NOTES.txt, empty when none
 */
public record DryRunResult(String releaseName, String namespace, DryRunMode mode, boolean upgrade,
                           RenderedManifest rendered, String notes) {

    /** Requires every field but notes. */
    public DryRunResult {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(rendered, "rendered");
        notes = Objects.requireNonNullElse(notes, "");
    }
}
