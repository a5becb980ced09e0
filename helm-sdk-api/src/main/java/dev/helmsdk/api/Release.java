package dev.helmsdk.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One revision of a Helm release, as Helm stored it.
 *
 * @param name         the release name
 * @param namespace    the namespace the release lives in
 * @param revision     the revision number, starting at 1
 * @param status       the status of this revision
 * @param chartName    the chart's name
 * @param chartVersion the chart's version
 * @param appVersion   the chart's appVersion, empty when the chart declares none
 * @param lastDeployed when this revision was last deployed, or {@code null} if Helm recorded no time
 * @param description  Helm's description of what happened ("Install complete", "Upgrade complete", ...)
 * @param notes        the rendered NOTES.txt, empty when the chart has none
 */
public record Release(
        String name,
        String namespace,
        int revision,
        ReleaseStatus status,
        String chartName,
        String chartVersion,
        String appVersion,
        Instant lastDeployed,
        String description,
        String notes) {

    /** Validates required fields and turns absent optional text into empty strings. */
    public Release {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(status, "status");
        if (revision < 1) {
            throw new IllegalArgumentException("revision must be >= 1, was " + revision);
        }
        chartName = Objects.requireNonNullElse(chartName, "");
        chartVersion = Objects.requireNonNullElse(chartVersion, "");
        appVersion = Objects.requireNonNullElse(appVersion, "");
        description = Objects.requireNonNullElse(description, "");
        notes = Objects.requireNonNullElse(notes, "");
    }

    /** When this revision was last deployed, if Helm recorded it. */
    public Optional<Instant> lastDeployedAt() {
        return Optional.ofNullable(lastDeployed);
    }

    /** {@code chartName-chartVersion}, as Helm prints it in {@code helm list}. */
    public String chart() {
        return chartName + "-" + chartVersion;
    }

    /** Never the notes, which are rendered from the values and may hold resolved secrets. */
    @Override
    public String toString() {
        return "Release[" + namespace + "/" + name + " revision " + revision + " " + status + ", chart " + chartName + " "
                + chartVersion + " (app " + appVersion + "), deployed " + lastDeployed + ", " + description + ", notes "
                + notes.length() + " chars]";
    }
}
