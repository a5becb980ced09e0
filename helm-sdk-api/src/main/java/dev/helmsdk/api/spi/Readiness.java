package dev.helmsdk.api.spi;

import dev.helmsdk.api.HealthCheck;
import dev.helmsdk.api.ReadinessProgress;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Whether a change (install, upgrade, rollback) waits for its resources to be ready, and what it
 * does while and after waiting. The wait is bounded by {@link dev.helmsdk.api.Timeouts#readiness()}.
 *
 * @param enabled      wait until the released resources are ready; always {@code true} when there are health checks
 * @param progress     receives readiness progress while waiting, on the operation's thread; {@code null} for none
 * @param healthChecks checks run in order once the resources are ready; any failure fails the change
 */
public record Readiness(boolean enabled, Consumer<ReadinessProgress> progress, List<HealthCheck> healthChecks) {

    /**
     * Copies the checks; health checks without waiting are refused, since they run only once the
     * resources are ready.
     */
    public Readiness {
        healthChecks = List.copyOf(Objects.requireNonNull(healthChecks, "healthChecks"));
        if (!enabled && !healthChecks.isEmpty()) {
            throw new IllegalArgumentException("health checks run after the readiness wait: enabled must be true");
        }
    }

    /** No waiting, no listener, no checks: what a request starts with. */
    public static Readiness ofDefaults() {
        return new Readiness(false, null, List.of());
    }

    /** This readiness, waiting or not; turning waiting off drops the health checks, which need it. */
    public Readiness withEnabled(boolean enabled) {
        return new Readiness(enabled, progress, enabled ? healthChecks : List.of());
    }

    /** This readiness with {@code progress} as its listener, replacing any earlier one. */
    public Readiness withProgress(Consumer<ReadinessProgress> progress) {
        return new Readiness(enabled, Objects.requireNonNull(progress, "progress"), healthChecks);
    }

    /** This readiness with {@code check} run after the checks already there; implies waiting. */
    public Readiness plusHealthCheck(HealthCheck check) {
        List<HealthCheck> checks = new ArrayList<>(healthChecks);
        checks.add(Objects.requireNonNull(check, "check"));
        return new Readiness(true, progress, checks);
    }
}
