package dev.helmsdk.core.internal.readiness;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ReadinessWaiter} polls and how long it gives conditions that can still clear up by themselves before
 * calling them failures.
 *
 * @param pollInterval       pause between two polls (default 500 ms)
 * @param imagePullGrace     how long a container may wait with {@code ErrImagePull} before the wait fails (default
 *                           10 s; {@code ImagePullBackOff} fails at once: the kubelet has already retried)
 * @param configErrorGrace   how long a container may wait with {@code CreateContainerConfigError} (a missing Secret or
 *                           ConfigMap, often created moments later by an operator) before the wait fails (default 10 s)
 * @param unschedulableGrace how long a pod may stay unschedulable before the wait fails (default 30 s; raise it on
 *                           clusters whose autoscaler adds nodes, which takes minutes)
 */
public record ReadinessOptions(Duration pollInterval, Duration imagePullGrace, Duration configErrorGrace,
                               Duration unschedulableGrace) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_IMAGE_PULL_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONFIG_ERROR_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_UNSCHEDULABLE_GRACE = Duration.ofSeconds(30);

    public ReadinessOptions {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(imagePullGrace, "imagePullGrace");
        Objects.requireNonNull(configErrorGrace, "configErrorGrace");
        Objects.requireNonNull(unschedulableGrace, "unschedulableGrace");
        if (pollInterval.compareTo(Duration.ofMillis(10)) < 0 || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("pollInterval must be between 10ms and 1m, got " + pollInterval);
        }
        for (Duration grace : new Duration[] {imagePullGrace, configErrorGrace, unschedulableGrace}) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("a grace period cannot be negative, got " + grace);
            }
        }
    }

    public static ReadinessOptions ofDefaults() {
        return new ReadinessOptions(DEFAULT_POLL_INTERVAL, DEFAULT_IMAGE_PULL_GRACE, DEFAULT_CONFIG_ERROR_GRACE,
                DEFAULT_UNSCHEDULABLE_GRACE);
    }

    public ReadinessOptions withPollInterval(Duration d) {
        return new ReadinessOptions(d, imagePullGrace, configErrorGrace, unschedulableGrace);
    }

    public ReadinessOptions withImagePullGrace(Duration d) {
        return new ReadinessOptions(pollInterval, d, configErrorGrace, unschedulableGrace);
    }

    public ReadinessOptions withConfigErrorGrace(Duration d) {
        return new ReadinessOptions(pollInterval, imagePullGrace, d, unschedulableGrace);
    }

    public ReadinessOptions withUnschedulableGrace(Duration d) {
        return new ReadinessOptions(pollInterval, imagePullGrace, configErrorGrace, d);
    }
}
