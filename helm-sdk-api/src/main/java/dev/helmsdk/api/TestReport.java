package dev.helmsdk.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the release's {@code helm test} hooks did, one result per test hook, read from the release record where Helm
 * keeps each hook's last run (started, completed, phase), with the logs of the test pods.
 *
 * @param release   the release's name
 * @param namespace its namespace
 * @param revision  the revision the tests ran against
 * @param tests     one result per test hook, in the order Helm runs them (weight, then name)
 */
public record TestReport(String release, String namespace, int revision, List<Test> tests) {

    /** Copies the list. */
    public TestReport {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(namespace, "namespace");
        tests = List.copyOf(Objects.requireNonNull(tests, "tests"));
    }

    /** A test hook's state after a run. */
    public enum Phase {
        /** Its pod completed successfully. */
        SUCCEEDED,
        /** Its pod failed. */
        FAILED,
        /** It started and had not finished when the run ended (it timed out). */
        RUNNING,
        /** Helm could not tell. */
        UNKNOWN,
        /** It did not run in this run: Helm stops at the first failing test, or it never ran. */
        NOT_RUN
    }

    /**
     * One test hook's result.
     *
     * @param name          the hook's object name (the test pod's name)
     * @param kind          the hook's kind, {@code Pod} for most charts
     * @param phase         how it ended
     * @param startedAt     when it started, as Helm recorded it
     * @param completedAt   when it ended, as Helm recorded it
     * @param logs          the end of its pod's logs (every container), with the release's Secret values masked and at
     *                      most the requested bytes; empty when logs were not asked for or the cluster has none
     */
    public record Test(String name, String kind, Phase phase, Optional<Instant> startedAt, Optional<Instant> completedAt,
                       Optional<String> logs) {
        /** Requires all fields. */
        public Test {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(completedAt, "completedAt");
            Objects.requireNonNull(logs, "logs");
        }

        /** How long it ran, when Helm recorded both ends. */
        public Optional<Duration> duration() {
            return startedAt.isPresent() && completedAt.isPresent()
                    ? Optional.of(Duration.between(startedAt.get(), completedAt.get())) : Optional.empty();
        }

        /** {@code name Phase in 1.2s}; no logs (they may say anything). */
        @Override
        public String toString() {
            return name + " " + phase + duration().map(d -> " in " + d.toMillis() / 1000.0 + "s").orElse("");
        }
    }

    /** Whether every test that ran succeeded and none was left unrun (a release without test hooks passes, as in Helm). */
    public boolean passed() {
        return tests.stream().allMatch(t -> t.phase() == Phase.SUCCEEDED);
    }

    /** The tests that did not succeed. */
    public List<Test> failed() {
        return tests.stream().filter(t -> t.phase() != Phase.SUCCEEDED).toList();
    }

    /** {@code TestReport[shop rev 3: shop-test-db SUCCEEDED in 1.0s, shop-test-api FAILED in 2.1s]}. */
    @Override
    public String toString() {
        return "TestReport[" + release + " rev " + revision + ": " + String.join(", ", tests.stream().map(Test::toString).toList()) + "]";
    }
}
