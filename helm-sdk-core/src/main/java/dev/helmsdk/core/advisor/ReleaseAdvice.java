package dev.helmsdk.core.advisor;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the advisor found for one release. Text that does not apply is {@code ""}, never {@code null}.
 *
 * @param namespace      the release's namespace
 * @param release        the release's name
 * @param chart          the chart's name, as the release record has it
 * @param currentVersion the chart version deployed (of the latest revision)
 * @param status         the verdict
 * @param newestAllowed  the highest newer version the policy and constraint allow, or {@code ""}
 * @param newestOverall  the highest version the source lists (pre-releases only when opted in), or {@code ""}
 * @param distance       how far {@code currentVersion} is from {@code newestOverall}
 * @param versionsBehind how many listed versions are newer than {@code currentVersion}
 * @param notes          what the source says of the newest allowed version (else of the newest overall)
 * @param source         the source looked up ({@code ChartRef.describe()}), or {@code ""} when none is mapped
 * @param problem        why no answer could be given (source down, credentials refused, ...), or {@code ""}
 */
public record ReleaseAdvice(String namespace, String release, String chart, String currentVersion, Status status,
                            String newestAllowed, String newestOverall, Distance distance, int versionsBehind,
                            ChartNotes notes, String source, String problem) {

    /** The verdict on a release. */
    public enum Status {
        /** Nothing newer is listed. */
        UP_TO_DATE,
        /** A newer version within the policy and constraint is listed: {@code newestAllowed}. */
        UPGRADE_AVAILABLE,
        /** Newer versions are listed, but none the policy and constraint allow. */
        HELD_BACK,
        /** The source could not be read (down, credentials refused, not found): see {@code problem}. */
        SOURCE_FAILED,
        /** No source is mapped for the release's chart. */
        NO_SOURCE,
        /** The source does not list the chart, or the deployed version is not a semantic version. */
        UNKNOWN
    }

    /** The largest version part that differs between the current and the newest version. */
    public enum Distance {
        /** The current version is the newest. */
        NONE,
        /** A newer patch version. */
        PATCH,
        /** A newer minor version. */
        MINOR,
        /** A newer major version. */
        MAJOR,
        /** Not known: no listing, or the current version is not a semantic version. */
        UNKNOWN
    }

    /**
     * One entry of a chart version's {@code artifacthub.io/changes} annotation.
     *
     * @param kind        {@code added}, {@code changed}, {@code deprecated}, {@code removed}, {@code fixed},
     *                    {@code security}, or {@code ""} when the entry is plain text
     * @param description what changed
     */
    public record ChartChange(String kind, String description) {
        /** Rejects nulls. */
        public ChartChange {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * What a source says of a chart version.
     *
     * @param version    the version described, or {@code ""} when none
     * @param appVersion its appVersion, or {@code ""}
     * @param changes    its {@code artifacthub.io/changes} entries, in order
     * @param described  whether the source was asked: a classic index describes every version; an OCI tag
     *                   list describes none, and reading each chart's manifest and config would cost two more
     *                   requests per chart, so the advisor does not
     */
    public record ChartNotes(String version, String appVersion, List<ChartChange> changes, boolean described) {
        /** Copies the changes; rejects nulls. */
        public ChartNotes {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(appVersion, "appVersion");
            changes = List.copyOf(Objects.requireNonNull(changes, "changes"));
        }

        /** Notes for when nothing is known. */
        public static ChartNotes none() {
            return new ChartNotes("", "", List.of(), false);
        }
    }

    /** Rejects nulls. */
    public ReleaseAdvice {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(currentVersion, "currentVersion");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(newestAllowed, "newestAllowed");
        Objects.requireNonNull(newestOverall, "newestOverall");
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(notes, "notes");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(problem, "problem");
    }

    /** The version to upgrade to, when one is allowed. */
    public Optional<String> upgradeTo() {
        return status == Status.UPGRADE_AVAILABLE ? Optional.of(newestAllowed) : Optional.empty();
    }
}
