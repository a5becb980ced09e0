package dev.helmsdk.testkit.fake;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.internal.ManagerAssembly;
import dev.helmsdk.testkit.fake.internal.CallLog;
import dev.helmsdk.testkit.fake.internal.ChartReader;
import dev.helmsdk.testkit.fake.internal.FaultBook;
import dev.helmsdk.testkit.fake.internal.MemoryEngine;
import dev.helmsdk.testkit.fake.internal.Releases;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link FakeHelmManager.Builder} was told, already checked, and how a fake is assembled from it. Apart from
 * the builder so that {@link FakeHelmManager#withMaxHistory} can copy one fake's settings for another over the same
 * releases; package-private so that it is no API. Not thread-safe: a builder fills it, a fake keeps a frozen copy.
 */
final class FakeSettings {
    String defaultNamespace = "default";
    Timeouts timeouts = Timeouts.ofDefaults();
    Clock clock = Clock.systemUTC();
    int maxHistory = dev.helmsdk.core.HelmSdk.DEFAULT_MAX_HISTORY;
    boolean recoverStuck;
    ChartRenderer renderer;
    final Map<ChartRef, Path> charts = new LinkedHashMap<>();

    /** Revisions kept per release; 0 keeps all. Checked as the real manager's builder checks it. */
    void maxHistory(int revisions) {
        maxHistory = ManagerAssembly.checkMaxHistory(revisions);
    }

    /** These settings, frozen for one fake (the charts map copied). */
    FakeSettings copy() {
        FakeSettings s = new FakeSettings();
        s.defaultNamespace = defaultNamespace;
        s.timeouts = timeouts;
        s.clock = clock;
        s.maxHistory = maxHistory;
        s.recoverStuck = recoverStuck;
        s.renderer = renderer;
        s.charts.putAll(charts);
        return s;
    }

    /**
     * A manager over an in-memory engine with these settings, on the given storage: the same code that checks the
     * real manager's requests ({@link HelmManager#of}), in front of the fake's engine.
     */
    HelmManager manager(Releases releases, FaultBook faults, CallLog log) {
        MemoryEngine engine = new MemoryEngine(releases, faults, log, clock, maxHistory, recoverStuck,
                new ChartReader(charts), renderer);
        return HelmManager.of(engine, defaultNamespace, timeouts);
    }
}
