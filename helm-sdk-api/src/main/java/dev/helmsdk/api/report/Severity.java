package dev.helmsdk.api.report;

import java.util.Locale;

/** How much a {@link Finding} matters to the {@link Verdict}. */
public enum Severity {
    /** The change would fail, or must not be made: the verdict is {@link Verdict#FAIL}. */
    ERROR,
    /** Worth a look before the change goes on: the verdict is at least {@link Verdict#WARN}. */
    WARNING,
    /** For the record; does not change the verdict. */
    INFO;

    /** The severity as a word: {@code error}, {@code warning}, {@code info}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
