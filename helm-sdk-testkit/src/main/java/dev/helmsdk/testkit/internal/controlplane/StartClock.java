package dev.helmsdk.testkit.internal.controlplane;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Times a control plane's start: the deadline, the named phases, the total, in seconds for the log. */
final class StartClock {

  private final long startNanos = System.nanoTime();
  private final long deadlineNanos;
  private final Map<String, Duration> phases = new LinkedHashMap<>();

  StartClock(Duration timeout) {
    this.deadlineNanos = startNanos + timeout.toNanos();
  }

  /** Now, for {@link #phase}. */
  static long mark() {
    return System.nanoTime();
  }

  /** Records a phase that began at {@code markNanos} and ended now. */
  void phase(String name, long markNanos) {
    phases.put(name, Duration.ofNanos(System.nanoTime() - markNanos));
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  boolean pastDeadline() {
    return System.nanoTime() > deadlineNanos;
  }

  /** The phases as {@code "name 1.23, other 0.45"}. */
  String phases() {
    StringBuilder detail = new StringBuilder();
    phases.forEach((k, v) -> detail.append(detail.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(seconds(v)));
    return detail.toString();
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f", d.toMillis() / 1000.0);
  }
}
