package dev.helmsdk.core.internal.source;

import java.util.Optional;

/** Helm's (Masterminds') version constraints, for code outside this package: dependency resolution and its checks. */
public final class Constraints {

    private Constraints() {
    }

    /**
     * Whether {@code version} satisfies {@code constraint}.
     *
     * @throws IllegalArgumentException when the constraint is not valid, with a message naming the bad part
     */
    public static boolean satisfies(String constraint, String version) {
        VersionConstraint c = VersionConstraint.parse(constraint);
        return SemVer.parse(version).map(c::matches).orElse(false);
    }

    /**
     * The version a constraint pins, when it names exactly one ({@code 1.2.3}, {@code =1.2.3}); empty for a
     * range, a wildcard or {@code ^}/{@code ~}.
     *
     * @throws IllegalArgumentException when the constraint is not valid
     */
    public static Optional<String> exact(String constraint) {
        return VersionConstraint.parse(constraint).exactVersion();
    }
}
