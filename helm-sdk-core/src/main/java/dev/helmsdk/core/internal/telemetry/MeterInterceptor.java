package dev.helmsdk.core.internal.telemetry;

import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.secrets.SecretAccess;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.api.spi.OperationOutcome;
import dev.helmsdk.api.spi.OperationPhase;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.internal.MetricTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * helm-sdk's meters, recorded from what every operation shows its interceptors: its end, its signals and
 * its secret accesses. Being an interceptor, it sees every path, the automatic rollback's included, by
 * construction. Tags are low-cardinality words in {@link MetricTags}' form, except a repository's host
 * (as DNS spells it) and, only when the user opted in, the release's name. No values, references or user
 * text. The README's table "Metrics" lists every meter; a test holds the two together.
 */
public final class MeterInterceptor implements OperationInterceptor {

    /** Every operation: timer; tags {@code operation}, {@code outcome} (success or the error kind). */
    public static final String OPERATIONS = "helm.sdk.operations";
    /** Readiness waits: timer; tags {@code operation}, {@code reason} (what ended it). */
    public static final String READINESS = "helm.sdk.readiness";
    /** Automatic rollbacks' steps: counter; tags {@code operation} (rollback, uninstall), {@code outcome}. */
    public static final String AUTO_ROLLBACKS = "helm.sdk.rollbacks.automatic";
    /** Operations that ran out of time: counter; tags {@code operation}, {@code phase}. */
    public static final String TIMEOUTS = "helm.sdk.timeouts";
    /** Credentials refused or not to be had: counter; tags {@code host}, {@code reason}. */
    public static final String AUTH_FAILURES = "helm.sdk.auth.failures";
    /** Remote chart fetches: counter; tags {@code source}, {@code host}, {@code result}. */
    public static final String CHART_FETCHES = "helm.sdk.chart.fetches";
    /** Secret references resolved: timer; tags {@code scheme}, {@code outcome}, {@code reason}. */
    public static final String SECRET_RESOLUTIONS = "helm.sdk.secrets.resolutions";
    /** Releases whose secrets a watcher found rotated: counter; no tags. */
    public static final String SECRET_ROTATIONS = "helm.sdk.secrets.rotations";
    /** Waiting for a release's lock: timer; tag {@code operation}. */
    public static final String LOCK_WAIT = "helm.sdk.lock.wait";
    /** Locks taken over from a holder that stopped renewing: counter; tag {@code operation}. */
    public static final String LOCK_TAKEOVERS = "helm.sdk.lock.takeovers";
    /** Releases recovered from a pending state a dead process left: counter; tag {@code stuck_in}. */
    public static final String RECOVERED = "helm.sdk.releases.recovered";

    private final MeterRegistry registry;
    private final boolean releaseNames;

    /**
     * @param registry     where the meters go
     * @param releaseNames whether every meter also carries a {@code release} tag (one time series per release)
     */
    public MeterInterceptor(MeterRegistry registry, boolean releaseNames) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.releaseNames = releaseNames;
    }

    @Override
    public void after(OperationEvent event, OperationOutcome outcome) {
        String result = outcome.failure().map(MetricTags::outcome).orElse(MetricTags.SUCCESS);
        String op = event.operation().tag();
        Timer.builder(OPERATIONS).description("helm-sdk operations, by kind and outcome")
                .tags(tags(event, "operation", op, "outcome", result)).register(registry).record(outcome.duration());
        if (event.remediation()) {
            counter(AUTO_ROLLBACKS, "steps an automatic rollback took, by outcome", event, "operation", op, "outcome", result);
        } else {
            // The caller's operations only: a remediation's timeout is its parent's too.
            timeoutOf(outcome.failure().orElse(null)).ifPresent(t -> counter(TIMEOUTS, "operations that ran out of time, by phase",
                    event, "operation", op, "phase", t.phase().map(OperationPhase::tag).orElse("unknown")));
        }
    }

    /** The timeout that failed an operation: the failure itself, or what an automatic rollback undid. */
    private static Optional<OperationTimeoutException> timeoutOf(Throwable failure) {
        for (int depth = 0; failure != null && depth < 4; depth++, failure = failure.getCause()) {
            if (failure instanceof OperationTimeoutException t) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public void secretAccessed(OperationEvent event, SecretAccess access) {
        Timer.builder(SECRET_RESOLUTIONS).description("secret references resolved, by scheme and outcome")
                .tags(tags(event, "scheme", word(access.scheme()), "outcome", MetricTags.value(access.outcome().name()),
                        "reason", access.failure().map(r -> MetricTags.value(r.name())).orElse("none")))
                .register(registry).record(access.took());
    }

    @Override
    public void signal(OperationEvent event, OperationSignal signal) {
        String op = event.operation().tag();
        if (signal instanceof OperationSignal.ReadinessEnded r) {
            Timer.builder(READINESS).description("readiness waits, by what ended them")
                    .tags(tags(event, "operation", op, "reason", r.reason())).register(registry).record(r.waited());
        } else if (signal instanceof OperationSignal.LockAcquired l) {
            Timer.builder(LOCK_WAIT).description("waiting for a release's lock")
                    .tags(tags(event, "operation", op)).register(registry).record(l.waited());
            if (l.takenOver()) {
                counter(LOCK_TAKEOVERS, "locks taken over from a holder that stopped renewing them", event, "operation", op);
            }
        } else if (signal instanceof OperationSignal.ReleaseRecovered r) {
            counter(RECOVERED, "releases recovered from a stuck pending state", event, "stuck_in", MetricTags.value(r.stuckIn().name()));
        } else if (signal instanceof OperationSignal.ChartFetched f) {
            counter(CHART_FETCHES, "remote chart fetches, by what served them", event, "source", f.source(), "host", f.host(),
                    "result", f.outcome());
        } else if (signal instanceof OperationSignal.AuthenticationFailed a) {
            counter(AUTH_FAILURES, "chart sources refusing credentials, or none to be had", event, "host", a.host(),
                    "reason", a.reason());
        } else if (signal instanceof OperationSignal.SecretsRotated s) {
            Counter.builder(SECRET_ROTATIONS).description("releases whose secrets a watcher found rotated")
                    .tags(tags(event)).register(registry).increment(s.releases());
        }
    }

    private void counter(String name, String description, OperationEvent event, String... keyValues) {
        Counter.builder(name).description(description).tags(tags(event, keyValues)).register(registry).increment();
    }

    private Tags tags(OperationEvent event, String... keyValues) {
        Tags tags = Tags.of(keyValues);
        return releaseNames ? tags.and("release", event.releaseName().isEmpty() ? "none" : event.releaseName()) : tags;
    }

    /** A scheme ({@code vault}, {@code aws-sm}) as a tag word: anything but letters and digits becomes {@code _}. */
    private static String word(String scheme) {
        String w = scheme.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        return w.isEmpty() || !Character.isLetter(w.charAt(0)) ? "other" : w;
    }
}
