package dev.helmsdk.api;

import java.util.Locale;

/** Every status Helm records for a release revision (Helm's {@code release.Status}). */
public enum ReleaseStatus {
    /** Helm's {@code unknown}: the state could not be determined. */
    UNKNOWN("unknown"),
    /** The revision is the one running in the cluster. */
    DEPLOYED("deployed"),
    /** The release was uninstalled with its history kept. */
    UNINSTALLED("uninstalled"),
    /** A later revision replaced this one. */
    SUPERSEDED("superseded"),
    /** The install, upgrade or rollback of this revision failed. */
    FAILED("failed"),
    /** An uninstall is in progress. */
    UNINSTALLING("uninstalling"),
    /** An install is in progress (or was interrupted). */
    PENDING_INSTALL("pending-install"),
    /** An upgrade is in progress (or was interrupted). */
    PENDING_UPGRADE("pending-upgrade"),
    /** A rollback is in progress (or was interrupted). */
    PENDING_ROLLBACK("pending-rollback");

    private final String helmName;

    ReleaseStatus(String helmName) {
        this.helmName = helmName;
    }

    /** The status as Helm spells it, e.g. {@code pending-install}. */
    public String helmName() {
        return helmName;
    }

    /** {@code true} for the three {@code pending-*} states, in which Helm refuses further operations. */
    public boolean isPending() {
        return this == PENDING_INSTALL || this == PENDING_UPGRADE || this == PENDING_ROLLBACK;
    }

    /**
     * Parses Helm's spelling ({@code deployed}, {@code pending-install}, ...), case-insensitively.
     * Unrecognised (or {@code null}) text gives {@link #UNKNOWN} rather than an exception, since a newer Helm may add states.
     */
    public static ReleaseStatus fromHelm(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (ReleaseStatus s : values()) {
                if (s.helmName.equals(t)) {
                    return s;
                }
            }
        }
        return UNKNOWN;
    }
}
