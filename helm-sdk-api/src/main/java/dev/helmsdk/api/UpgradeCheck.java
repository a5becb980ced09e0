package dev.helmsdk.api;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link NeedsUpgradeRequest} found: whether an upgrade would change the release, and why.
 *
 * <p>What is compared, against the revision Helm's upgrade would start from (the last
 * {@code deployed} one; the latest when none is deployed):
 * <ul>
 *   <li>the chart's name and version, from its {@code Chart.yaml};</li>
 *   <li>the values the upgrade would record (see {@link NeedsUpgradeRequest}) with the revision's
 *       stored user values, as canonical forms: key order and number spelling ({@code 2},
 *       {@code 2.0}, {@code 2e0}) do not matter;</li>
 *   <li>the manifest, rendered once in this process as {@code helm template} does, with the
 *       revision's stored manifest: both parsed into documents and compared as canonical forms, so
 *       comments ({@code # Source:}), formatting, key and document order do not matter. Hooks and
 *       {@code crds/} are not part of a release's manifest and are left out of the rendering too.</li>
 * </ul>
 *
 * <p>What cannot be compared exactly: the rendering is local, like {@code helm template}. Templates
 * that read {@code .Release.Revision} (rendered as 1), {@code .Release.IsUpgrade} or
 * {@code .Release.IsInstall} (rendered as an install), {@code .Capabilities} (the
 * {@linkplain ChartRequest#kubeVersion(String) assumed} Kubernetes version, not the cluster's) or
 * {@code lookup} (empty) may render differently from a real upgrade; random or time-based functions
 * differ at every render. When the revision's templates use any of these, {@link #caveats()} says
 * so, and a {@link Difference#MANIFEST} found then may be one a real upgrade would not make.
 *
 * @param differences what differs; empty when an upgrade would change nothing
 * @param current     the revision compared against, or {@code null} when the release is not installed
 * @param caveats     why the manifest comparison may be inexact for this chart, one sentence each;
 *                    empty when nothing is known to limit it
 */
public record UpgradeCheck(Set<Difference> differences, Release current, List<String> caveats) {

    /** What can make an upgrade necessary. */
    public enum Difference {
        /** The release has no revision: an upgrade would need {@code installIfAbsent()}. */
        NOT_INSTALLED,
        /** The latest revision is not {@code deployed} (failed, pending, uninstalled with its history kept). */
        NOT_DEPLOYED,
        /** The chart's name differs. */
        CHART_NAME,
        /** The chart's version differs. */
        CHART_VERSION,
        /** The values the upgrade would record differ from the revision's. */
        VALUES,
        /** The rendered manifest differs from the revision's. */
        MANIFEST
    }

    /** Copies the collections; {@code current} may only be absent with {@link Difference#NOT_INSTALLED}. */
    public UpgradeCheck {
        Objects.requireNonNull(differences, "differences");
        Objects.requireNonNull(caveats, "caveats");
        differences = Collections.unmodifiableSet(differences.isEmpty() ? EnumSet.noneOf(Difference.class)
                : EnumSet.copyOf((Collection<Difference>) differences));
        caveats = List.copyOf(caveats);
        if (current == null && !differences.contains(Difference.NOT_INSTALLED)) {
            throw new IllegalArgumentException("an installed release's check names the revision it compared against");
        }
    }

    /** {@code true} when an upgrade would change something. */
    public boolean needed() {
        return !differences.isEmpty();
    }

    /** The revision compared against, empty when the release is not installed. */
    public Optional<Release> currentRevision() {
        return Optional.ofNullable(current);
    }
}
