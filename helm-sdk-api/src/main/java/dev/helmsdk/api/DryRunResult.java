package dev.helmsdk.api;

import java.util.Objects;

/**
 * What an install or upgrade would do, computed without changing the cluster.
 *
 * @param releaseName the release
 * @param namespace   the namespace
 * @param mode        how the dry run was done
 * @param upgrade     {@code true} for an upgrade of an existing release, {@code false} for an install
 * @param chartName    the chart's name, as its Chart.yaml says
 * @param chartVersion the chart version that would be deployed: for a repository or registry chart
 *                     given as a constraint ({@code ^2}), the version it resolved to
 * @param rendered    the objects the chart renders to
 * @param notes       the rendered NOTES.txt, empty when none
 */
public record DryRunResult(String releaseName, String namespace, DryRunMode mode, boolean upgrade,
                           String chartName, String chartVersion, RenderedManifest rendered, String notes) {

    /** Requires every field but notes and the chart's name and version (empty when unknown). */
    public DryRunResult {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(rendered, "rendered");
        chartName = Objects.requireNonNullElse(chartName, "");
        chartVersion = Objects.requireNonNullElse(chartVersion, "");
        notes = Objects.requireNonNullElse(notes, "");
    }

    /** Never the rendered text or notes, which may hold resolved secrets. */
    @Override
    public String toString() {
        return "DryRunResult[" + (upgrade ? "upgrade " : "install ") + namespace + "/" + releaseName + ", " + mode + ", chart "
                + chartName + " " + chartVersion + ", " + rendered + ", notes " + notes.length() + " chars]";
    }
}
