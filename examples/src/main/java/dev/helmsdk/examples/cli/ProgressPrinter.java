package dev.helmsdk.examples.cli;

import dev.helmsdk.api.ReadinessProgress;

import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Readiness progress on stderr, one line each time something changes: how many are ready, and why the others are not. */
final class ProgressPrinter implements Consumer<ReadinessProgress> {

    private final Terminal t;

    ProgressPrinter(Terminal t) {
        this.t = t;
    }

    @Override
    public void accept(ReadinessProgress p) {
        String waiting = p.resources().stream().filter(r -> r.state() != ReadinessProgress.State.READY)
                .map(r -> r.state() == ReadinessProgress.State.FAILED ? t.red(r.toString()) : r.toString())
                .collect(Collectors.joining(", "));
        t.err().printf("[%4ds] %d/%d ready%s%n", p.elapsed().toSeconds(), p.readyCount(), p.resources().size(),
                waiting.isEmpty() ? "" : ": " + waiting);
        t.err().flush();
    }
}
