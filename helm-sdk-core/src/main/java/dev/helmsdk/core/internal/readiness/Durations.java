package dev.helmsdk.core.internal.readiness;

import java.time.Duration;

/** Short human durations for messages: {@code 850ms}, {@code 4.2s}, {@code 5m}, {@code 1m30s}. */
final class Durations {

    private Durations() {
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = d.toSeconds();
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long rest = s % 60;
        StringBuilder sb = new StringBuilder();
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (m > 0) {
            sb.append(m).append('m');
        }
        if (rest > 0) {
            sb.append(rest).append('s');
        }
        return sb.toString();
    }
}
