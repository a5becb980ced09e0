package dev.helmsdk.api.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** One answer for a pipeline to gate on: the worst severity among the findings. */
public enum Verdict {
    /** No finding is a warning or an error. */
    PASS,
    /** Some finding is a warning, none is an error. */
    WARN,
    /** Some finding is an error: the change would fail, or must not be made. */
    FAIL;

    /**
     * The verdict of {@code findings}.
     *
     * @param findings what the checks found
     * @return {@link #FAIL} if any is an {@link Severity#ERROR}, else {@link #WARN} if any is a
     *         {@link Severity#WARNING}, else {@link #PASS}
     */
    public static Verdict of(List<Finding> findings) {
        Objects.requireNonNull(findings, "findings");
        if (findings.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
            return FAIL;
        }
        return findings.stream().anyMatch(f -> f.severity() == Severity.WARNING) ? WARN : PASS;
    }

    /** The verdict as a word: {@code pass}, {@code warn}, {@code fail}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
