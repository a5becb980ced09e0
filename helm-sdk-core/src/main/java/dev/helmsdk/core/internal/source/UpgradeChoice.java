package dev.helmsdk.core.internal.source;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which newer chart versions a release may move to: the semver policy (patch, minor or major
 * steps), the pre-release opt-in and a Helm constraint, applied to the versions a source lists.
 * Pure: no I/O, so it is tested on its own.
 */
public final class UpgradeChoice {

    /** How far an upgrade may go from the current version. */
    public enum Level {
        /** Same major and minor version. */
        PATCH,
        /** Same major version. */
        MINOR,
        /** Any newer version. */
        MAJOR
    }

    /**
     * What a source offers a release.
     *
     * @param newestAllowed  the highest newer version the policy and constraint allow, or {@code ""}
     * @param newestOverall  the highest version listed (pre-releases only when opted in), or {@code ""}
     * @param versionsBehind how many distinct listed versions are newer than the current one
     * @param distance       how far the current version is from {@code newestOverall}: {@code none},
     *                       {@code patch}, {@code minor}, {@code major}, or {@code unknown} when the current
     *                       version is not a version
     */
    public record Choice(String newestAllowed, String newestOverall, int versionsBehind, String distance) {
    }

    private UpgradeChoice() {
    }

    /**
     * Checks a constraint as Helm would parse it.
     *
     * @param text the constraint
     * @return why it is invalid, or empty when it is valid
     */
    public static Optional<String> constraintError(String text) {
        try {
            VersionConstraint.parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Chooses among {@code available} for a release at {@code current}. Entries that are not versions are
     * ignored. Without the opt-in pre-releases are ignored everywhere (also as the newest overall); with it,
     * a pre-release is held to the constraint as its release version ({@code 2.1.0-rc.1} as {@code 2.1.0}),
     * since Helm's constraints never match pre-releases unless they name one themselves.
     *
     * @param current     the release's chart version
     * @param available   the versions the source lists
     * @param level       how far an upgrade may go
     * @param preReleases whether pre-release versions count
     * @param constraint  a Helm constraint the upgrade must also match, or {@code null}
     * @return the choice
     * @throws IllegalArgumentException when {@code constraint} is not a valid constraint
     */
    public static Choice choose(String current, Collection<String> available, Level level, boolean preReleases, String constraint) {
        VersionConstraint wanted = constraint == null ? null : VersionConstraint.parse(constraint);
        TreeSet<SemVer> listed = new TreeSet<>();
        for (String s : available) {
            SemVer.parse(s).filter(v -> preReleases || !v.isPrerelease()).ifPresent(listed::add);
        }
        String overall = listed.isEmpty() ? "" : listed.last().original();
        Optional<SemVer> now = SemVer.parse(current);
        if (now.isEmpty()) {
            return new Choice("", overall, 0, "unknown");
        }
        SemVer cur = now.get();
        SemVer allowed = null;
        int behind = 0;
        for (SemVer v : listed.tailSet(cur, false)) {
            behind++;
            if (within(cur, v, level) && (wanted == null || wanted.matches(asRelease(v)))) {
                allowed = v;
            }
        }
        return new Choice(allowed == null ? "" : allowed.original(), overall, behind,
                listed.isEmpty() ? "none" : distance(cur, listed.last()));
    }

    private static boolean within(SemVer cur, SemVer v, Level level) {
        return switch (level) {
            case PATCH -> v.major() == cur.major() && v.minor() == cur.minor();
            case MINOR -> v.major() == cur.major();
            case MAJOR -> true;
        };
    }

    private static SemVer asRelease(SemVer v) {
        return v.isPrerelease() ? SemVer.parse(v.major() + "." + v.minor() + "." + v.patch()).orElseThrow() : v;
    }

    /** The largest part that differs, when {@code newest} is above {@code cur}. */
    private static String distance(SemVer cur, SemVer newest) {
        if (newest.compareTo(cur) <= 0) {
            return "none";
        }
        if (newest.major() != cur.major()) {
            return "major";
        }
        return newest.minor() != cur.minor() ? "minor" : "patch";
    }
}
