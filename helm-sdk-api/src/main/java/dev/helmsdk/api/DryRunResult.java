package dev.helmsdk.api;

import java.util.Objects;

/**
 * What an install, upgrade or rollback would do, computed without changing the cluster.
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
 * @param operation   the change previewed: {@link Operation#INSTALL}, {@link Operation#UPGRADE} or
 *                    {@link Operation#ROLLBACK} (a rollback's {@code upgrade} is {@code false}, its chart the target
 *                    revision's, its rendered objects the target revision's stored manifest)
 */
public record DryRunResult(String releaseName, String namespace, DryRunMode mode, boolean upgrade,
                           String chartName, String chartVersion, RenderedManifest rendered, String notes,
                           java.util.List<dev.helmsdk.api.report.ObjectChange> changes,
                           java.util.List<dev.helmsdk.api.report.Finding> findings, Operation operation) {

    /** The result of an install ({@code upgrade == false}) or upgrade's dry run. */
    public DryRunResult(String releaseName, String namespace, DryRunMode mode, boolean upgrade,
                        String chartName, String chartVersion, RenderedManifest rendered, String notes,
                        java.util.List<dev.helmsdk.api.report.ObjectChange> changes,
                        java.util.List<dev.helmsdk.api.report.Finding> findings) {
        this(releaseName, namespace, mode, upgrade, chartName, chartVersion, rendered, notes, changes, findings,
                upgrade ? Operation.UPGRADE : Operation.INSTALL);
    }

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

    /**
     * Requires every field but notes and the chart's name and version (empty when unknown); copies the lists.
     * {@code operation} is install, upgrade or rollback, and {@code upgrade} is whether it is {@link Operation#UPGRADE}.
     *
     * @throws InvalidRequestException when {@code operation} is another or {@code upgrade} does not match it
     */
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
        Objects.requireNonNull(operation, "operation");
        if (operation != Operation.INSTALL && operation != Operation.UPGRADE && operation != Operation.ROLLBACK) {
            throw new InvalidRequestException(Operation.CONFIGURE, releaseName, "a dry run result previews an install, upgrade or rollback,"
                    + " not " + operation + ": give Operation.INSTALL, UPGRADE or ROLLBACK");
        }
        if (upgrade != (operation == Operation.UPGRADE)) {
            throw new InvalidRequestException(Operation.CONFIGURE, releaseName, "a dry run result with upgrade=" + upgrade
                    + " cannot preview " + operation + ": upgrade must be true exactly for Operation.UPGRADE");
        }
    }

    /** Never the rendered text or notes, which may hold resolved secrets. */
    @Override
    public String toString() {
        return "DryRunResult[" + operation.tag() + " " + namespace + "/" + releaseName + ", " + mode + ", chart "
                + chartName + " " + chartVersion + ", " + rendered + ", notes " + notes.length() + " chars, " + changes.size()
                + " changes, " + findings.size() + " findings, " + verdict().tag() + "]";
    }
}
