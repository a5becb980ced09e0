package dev.helmsdk.api.spi;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.Timeouts;

import java.util.Objects;

/**
 * A lint of a local chart.
 *
 * @param chart    the chart (a directory or archive)
 * @param strict   treat warnings as failures
 * @param timeouts the limits for this call
 */
public record LintSpec(ChartRef chart, boolean strict, Timeouts timeouts) {

    /** Requires chart and timeouts. */
    public LintSpec {
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(timeouts, "timeouts");
    }
}
