package dev.helmsdk.core.internal.readiness;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when the deadline passes with resources still not ready (and no certain failure). The message lists what is
 * still awaited and why, e.g. {@code deployment/web: 0/2 ready (pod web-abc12: not ready: ContainersNotReady: ...)}.
 */
public class ReadinessTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int LISTED = 10;

    private final Duration deadline;
    private final transient ReadinessSnapshot snapshot;

    public ReadinessTimeoutException(Duration deadline, ReadinessSnapshot snapshot) {
        super(message(deadline, snapshot));
        this.deadline = deadline;
        this.snapshot = snapshot;
    }

    private static String message(Duration deadline, ReadinessSnapshot snapshot) {
        List<ResourceStatus> pending = snapshot.pending();
        String listed = pending.stream().limit(LISTED).map(ResourceStatus::toString).collect(Collectors.joining("; "));
        return "not ready within " + Durations.format(deadline) + " (" + snapshot.readyCount() + "/"
                + snapshot.resources().size() + " resources ready); still waiting for " + listed
                + (pending.size() > LISTED ? "; and " + (pending.size() - LISTED) + " more" : "");
    }

    /** The deadline that passed. */
    public Duration deadline() {
        return deadline;
    }

    /** The resources still awaited, with why. */
    public List<ResourceStatus> pending() {
        return snapshot.pending();
    }

    /** Readiness of all resources at the deadline. */
    public ReadinessSnapshot snapshot() {
        return snapshot;
    }
}
