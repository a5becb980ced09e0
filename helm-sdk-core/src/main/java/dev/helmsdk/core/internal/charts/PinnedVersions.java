package dev.helmsdk.core.internal.charts;

import dev.helmsdk.core.internal.source.Constraints;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a chart's dependencies float: from a repository or registry, asked for by a range, a wildcard, a
 * partial version or none instead of one exact version. Local dependencies ({@code file://}, {@code charts/}) are
 * what is on disk and never float.
 */
public final class PinnedVersions {

    /** A dependency that floats, and why. */
    public record Floating(ChartDependencies.Dependency dependency, String reason) {
        /** {@code name 'constraint' (repository)}: why, for a message. */
        public String describe() {
            return "'" + dependency.name() + "' " + reason + " (" + dev.helmsdk.api.ChartDependencyException.withoutUserInfo(
                    dependency.repository()) + ")";
        }
    }

    private PinnedVersions() {
    }

    /** The floating dependencies, in {@code Chart.yaml}'s order. */
    public static List<Floating> floating(List<ChartDependencies.Dependency> dependencies) {
        List<Floating> out = new ArrayList<>();
        for (ChartDependencies.Dependency d : dependencies) {
            if (d.repository().isEmpty() || d.repository().startsWith("file://")) {
                continue;
            }
            if (d.version().isEmpty()) {
                out.add(new Floating(d, "has no version, so each update may lock another"));
                continue;
            }
            try {
                if (Constraints.exact(d.version()).isEmpty()) {
                    out.add(new Floating(d, "is asked for by the range '" + d.version() + "', so each update may lock another"));
                }
            } catch (IllegalArgumentException e) {
                out.add(new Floating(d, "has an invalid version constraint: " + e.getMessage()));
            }
        }
        return out;
    }
}
