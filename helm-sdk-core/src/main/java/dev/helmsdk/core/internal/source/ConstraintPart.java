package dev.helmsdk.core.internal.source;

import java.util.Optional;
import java.util.regex.Matcher;

/**
 * One operator and version of a {@link VersionConstraint}, with Masterminds' "dirty" flags for
 * wildcard or missing parts, and Masterminds' rules for whether a version satisfies it.
 */
final class ConstraintPart {
    final String op;
    final String orig; // the version text as written, e.g. "1.x" or "v1.2.3"
    final SemVer con;
    final boolean dirty;
    final boolean minorDirty;
    final boolean patchDirty;
    final boolean full; // all three parts present, no wildcard

    private ConstraintPart(String op, String orig, SemVer con, boolean dirty, boolean minorDirty, boolean patchDirty) {
        this.op = op;
        this.orig = orig;
        this.con = con;
        this.dirty = dirty;
        this.minorDirty = minorDirty;
        this.patchDirty = patchDirty;
        this.full = !dirty;
    }

    /** Masterminds' parseConstraint; null where Go reports "constraint parser error". */
    static ConstraintPart parse(String s) {
        Matcher m = VersionConstraint.CONSTRAINT.matcher(s);
        if (!m.matches()) {
            return null;
        }
        String op = m.group(1);
        String orig = m.group(2);
        String major = m.group(3);
        String minor = m.group(4) == null ? "" : m.group(4);
        String patch = m.group(5) == null ? "" : m.group(5);
        String pre = m.group(6) == null ? "" : m.group(6); // includes the leading '-'
        boolean dirty = false;
        boolean minorDirty = false;
        boolean patchDirty = false;
        String ver = orig;
        // As in Go: the first wildcard/missing part decides; later parts are ignored and
        // build metadata is dropped from the comparison version.
        if (isX(major)) {
            ver = "0.0.0" + pre;
            dirty = true;
        } else if (minor.isEmpty() || isX(minor.substring(1))) {
            ver = major + ".0.0" + pre;
            dirty = true;
            minorDirty = true;
        } else if (patch.isEmpty() || isX(patch.substring(1))) {
            ver = major + minor + ".0" + pre;
            dirty = true;
            patchDirty = true;
        }
        // Fails for things the regex lets through, like "x1", "1|2" or "1.2.3-01".
        Optional<SemVer> con = SemVer.parse(ver);
        return con.isEmpty() ? null : new ConstraintPart(op, orig, con.get(), dirty, minorDirty, patchDirty);
    }

    private static boolean isX(String s) {
        return s.equals("x") || s.equals("X") || s.equals("*");
    }

    boolean check(SemVer v, boolean includePre) {
        // Prereleases are only considered when the OR alternative asked for them.
        if (v.isPrerelease() && !includePre) {
            return false;
        }
        return switch (op) {
            case "", "=" -> dirty ? tilde(v) : v.compareTo(con) == 0;
            case "!=" -> notEqual(v);
            case ">" -> greaterThan(v);
            case "<" -> v.compareTo(con) < 0;
            case ">=", "=>" -> v.compareTo(con) >= 0;
            case "<=", "=<" -> lessThanEqual(v);
            case "~", "~>" -> tilde(v);
            case "^" -> caret(v);
            default -> throw new IllegalStateException("unknown operator " + op);
        };
    }

    private boolean notEqual(SemVer v) {
        if (dirty) {
            if (con.major() != v.major()) {
                return true;
            }
            if (con.minor() != v.minor() && !minorDirty) {
                return true;
            } else if (minorDirty) {
                return false;
            } else if (con.patch() != v.patch() && !patchDirty) {
                return true;
            } else if (patchDirty) {
                if (v.isPrerelease() || con.isPrerelease()) {
                    return SemVer.comparePrerelease(v.prerelease(), con.prerelease()) != 0;
                }
                return false;
            }
        }
        return v.compareTo(con) != 0;
    }

    private boolean greaterThan(SemVer v) {
        if (!dirty) {
            return v.compareTo(con) > 0;
        }
        if (v.major() > con.major()) {
            return true;
        } else if (v.major() < con.major()) {
            return false;
        } else if (minorDirty) {
            return false; // ">11" needs 12 or higher
        } else if (patchDirty) {
            return v.minor() > con.minor(); // ">11.1" needs 11.2 or higher
        }
        return v.compareTo(con) > 0;
    }

    private boolean lessThanEqual(SemVer v) {
        if (!dirty) {
            return v.compareTo(con) <= 0;
        }
        if (v.major() > con.major()) {
            return false;
        }
        return !(v.major() == con.major() && v.minor() > con.minor() && !minorDirty);
    }

    private boolean tilde(SemVer v) {
        if (v.compareTo(con) < 0) {
            return false;
        }
        // ~0.0.0 (and ~*) accept everything, as in Go.
        if (con.major() == 0 && con.minor() == 0 && con.patch() == 0 && !minorDirty && !patchDirty) {
            return true;
        }
        if (v.major() != con.major()) {
            return false;
        }
        return v.minor() == con.minor() || minorDirty;
    }

    private boolean caret(SemVer v) {
        if (v.compareTo(con) < 0) {
            return false;
        }
        if (con.major() > 0 || minorDirty) {
            return v.major() == con.major();
        }
        if (v.major() > 0) {
            return false;
        }
        if (con.minor() > 0 || patchDirty) {
            return v.minor() == con.minor();
        }
        if (v.minor() > 0) {
            return false;
        }
        return v.patch() == con.patch();
    }
}
