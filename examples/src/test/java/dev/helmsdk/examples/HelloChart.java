package dev.helmsdk.examples;

import java.nio.file.Path;

/** The examples' bundled chart for tests in other packages (the command line's). */
public final class HelloChart {

    private HelloChart() {
    }

    /** Writes the chart under {@code parent} and returns its directory. */
    public static Path write(Path parent) {
        return BundledChart.hello(parent);
    }
}
