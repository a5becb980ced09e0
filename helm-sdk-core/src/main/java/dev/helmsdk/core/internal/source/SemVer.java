package dev.helmsdk.core.internal.source;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version parsed the way Helm 3 parses chart versions, i.e. like
 * {@code semver.NewVersion} of Masterminds/semver v3.4 (the version Helm 3.19+ links).
 *
 * <p>Parsing is deliberately lenient because chart indexes and registries contain such
 * versions and Helm accepts them: a leading {@code v}, missing minor/patch parts
 * ({@code "1"}, {@code "1.2"}, read as 0) and leading zeros in the numeric parts
 * ({@code "01.2.3"}, "calver" style) are allowed. Prerelease identifiers must still be
 * SemVer-valid (no empty identifiers, no leading zero in numeric ones).
 *
 * <p>{@link #compareTo} implements SemVer 2.0 precedence and ignores build metadata.
 * {@link #equals}/{@link #hashCode} are <em>consistent with</em> {@code compareTo}: two
 * versions are equal when they have the same precedence, so {@code v1.2}, {@code 1.2.0}
 * and {@code 1.2.0+build.7} are all equal. We chose this so that sorted and hashed
 * collections agree; use {@link #original()} when the exact spelling matters.
 */
final class SemVer implements Comparable<SemVer> {

    // Masterminds' looseSemVerRegex (used by NewVersion when CoerceNewVersion=true).
    // [0-9] is used instead of \d so that only ASCII digits qualify, as in Go. The identifier
    // loops are possessive (same matches) so that long input cannot overflow Java's regex stack.
    private static final Pattern LOOSE = Pattern.compile(
            "v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?"
                    + "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*+))?"
                    + "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*+))?");

    private final long major;
    private final long minor;
    private final long patch;
    private final String prerelease;
    private final String metadata;
    private final String original;

    private SemVer(long major, long minor, long patch, String prerelease, String metadata, String original) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.prerelease = prerelease;
        this.metadata = metadata;
        this.original = original;
    }

    /**
     * Parses a version leniently, like Masterminds {@code NewVersion}: an optional leading
     * {@code "v"}, {@code "1"} and {@code "1.2"} allowed (missing parts are 0), a prerelease
     * after {@code '-'} and build metadata after {@code '+'}. No surrounding whitespace is
     * accepted.
     *
     * <p>Deviation: numeric parts above {@link Long#MAX_VALUE} are rejected (Go accepts up to
     * 2^64-1); no real chart uses such numbers and it keeps {@link #major()} etc. non-negative.
     *
     * @param text the version text, may be {@code null}
     * @return the version, or empty when {@code text} is not a version (never throws)
     */
    public static Optional<SemVer> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = LOOSE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long major = parsePart(m.group(1));
        long minor = m.group(2) == null ? 0 : parsePart(m.group(2).substring(1));
        long patch = m.group(3) == null ? 0 : parsePart(m.group(3).substring(1));
        if (major < 0 || minor < 0 || patch < 0) {
            return Optional.empty();
        }
        String pre = m.group(5) == null ? "" : m.group(5);
        String meta = m.group(8) == null ? "" : m.group(8);
        if (!validPrerelease(pre)) {
            return Optional.empty();
        }
        // Metadata characters and non-empty identifiers are already enforced by the regex.
        return Optional.of(new SemVer(major, minor, patch, pre, meta, text));
    }

    /** Parses digits as a non-negative long; -1 on overflow. */
    private static long parsePart(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** SemVer rule kept by Masterminds even in loose mode: numeric identifiers have no leading zero. */
    private static boolean validPrerelease(String pre) {
        if (pre.isEmpty()) {
            return true;
        }
        for (String id : pre.split("\\.", -1)) {
            if (id.isEmpty()) {
                return false;
            }
            if (isAsciiDigits(id) && id.length() > 1 && id.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** @return the major version number */
    public long major() {
        return major;
    }

    /** @return the minor version number (0 when the text had no minor part) */
    public long minor() {
        return minor;
    }

    /** @return the patch version number (0 when the text had no patch part) */
    public long patch() {
        return patch;
    }

    /** @return the prerelease without the leading {@code '-'}, or {@code ""} when none */
    public String prerelease() {
        return prerelease;
    }

    /** @return the build metadata without the leading {@code '+'}, or {@code ""} when none */
    public String buildMetadata() {
        return metadata;
    }

    /** @return whether this version has a prerelease part */
    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** @return the text exactly as given to {@link #parse}, e.g. {@code "v1.2"} */
    public String original() {
        return original;
    }

    /**
     * Compares by SemVer 2.0 precedence: major, minor, patch numerically; a version without
     * prerelease ranks above the same version with one; prerelease identifiers compare
     * numerically when both are numeric, lexically (ASCII) when both are alphanumeric, and
     * numeric ones rank below alphanumeric ones; a shorter identifier list ranks lower when
     * all shared identifiers are equal. Build metadata is ignored.
     */
    @Override
    public int compareTo(SemVer o) {
        int d = Long.compare(major, o.major);
        if (d != 0) {
            return d;
        }
        d = Long.compare(minor, o.minor);
        if (d != 0) {
            return d;
        }
        d = Long.compare(patch, o.patch);
        if (d != 0) {
            return d;
        }
        if (prerelease.isEmpty() && o.prerelease.isEmpty()) {
            return 0;
        }
        if (prerelease.isEmpty()) {
            return 1;
        }
        if (o.prerelease.isEmpty()) {
            return -1;
        }
        return comparePrerelease(prerelease, o.prerelease);
    }

    /**
     * Masterminds' comparePrerelease. Package-private because the {@code !=} constraint on
     * wildcard versions compares prereleases on their own (possibly empty) strings.
     */
    static int comparePrerelease(String a, String b) {
        String[] as = a.split("\\.", -1);
        String[] bs = b.split("\\.", -1);
        int n = Math.max(as.length, bs.length);
        for (int i = 0; i < n; i++) {
            String x = i < as.length ? as[i] : "";
            String y = i < bs.length ? bs[i] : "";
            int d = comparePrePart(x, y);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    private static int comparePrePart(String s, String o) {
        if (s.equals(o)) {
            return 0;
        }
        // A missing identifier (shorter list) ranks lower.
        if (s.isEmpty()) {
            return -1;
        }
        if (o.isEmpty()) {
            return 1;
        }
        // Go uses ParseUint to detect numbers, so digit strings beyond uint64 count as text.
        Long si = unsignedOrNull(s);
        Long oi = unsignedOrNull(o);
        if (si == null && oi == null) {
            return s.compareTo(o) > 0 ? 1 : -1;
        }
        if (oi == null) {
            return -1; // s numeric, o alphanumeric
        }
        if (si == null) {
            return 1;
        }
        return Long.compareUnsigned(si, oi) > 0 ? 1 : -1;
    }

    private static Long unsignedOrNull(String s) {
        if (!isAsciiDigits(s)) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Equal when {@link #compareTo} is 0 (same precedence; spelling and build metadata ignored). */
    @Override
    public boolean equals(Object obj) {
        return obj instanceof SemVer other && compareTo(other) == 0;
    }

    /** Consistent with {@link #equals}: ignores build metadata and the original spelling. */
    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, prerelease);
    }

    /** @return {@link #original()} */
    @Override
    public String toString() {
        return original;
    }
}
