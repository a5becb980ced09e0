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
 * @param changes     the objects that would be added, changed or removed, against the live cluster (a
 *                    {@link DryRunMode#SERVER} dry run; empty for a client one, which does not look)
 * @param findings    what the dry run's checks found, errors first (see {@link dev.helmsdk.api.report.Finding})
 */
public record DryRunResult(String releaseName, String namespace, DryRunMode mode, boolean upgrade,
                           String chartName, String chartVersion, RenderedManifest rendered, String notes,
                           java.util.List<dev.helmsdk.api.report.ObjectChange> changes,
                           java.util.List<dev.helmsdk.api.report.Finding> findings) {

    /** A result without changes or findings: what an engine that runs no checks reports. */
    public DryRunResult(String releaseName, String namespace, DryRunMode mode, boolean upgrade,
                        String chartName, String chartVersion, RenderedManifest rendered, String notes) {
        this(releaseName, namespace, mode, upgrade, chartName, chartVersion, rendered, notes, java.util.List.of(),
                java.util.List.of());
    }

    /** The one answer to gate on: {@code fail} when a finding is an error, {@code warn} when one is a warning. */
    public dev.helmsdk.api.report.Verdict verdict() {
        return dev.helmsdk.api.report.Verdict.of(findings);
    }

    /** Whether the change would add, change or remove anything in the cluster. */
    public boolean hasChanges() {
        return !changes.isEmpty();
    }

    /** Requires every field but notes and the chart's name and version (empty when unknown); copies the lists. */
    public DryRunResult {
        changes = java.util.List.copyOf(Objects.requireNonNull(changes, "changes"));
        findings = java.util.List.copyOf(Objects.requireNonNull(findings, "findings"));
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
                + chartName + " " + chartVersion + ", " + rendered + ", notes " + notes.length() + " chars, " + changes.size()
                + " changes, " + findings.size() + " findings, " + verdict().tag() + "]";
    }
}
