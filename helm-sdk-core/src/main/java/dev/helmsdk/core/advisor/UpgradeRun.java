package dev.helmsdk.core.advisor;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Release;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link UpgradeAdvisor#upgrade(AdvisorReport)} did: the releases it upgraded, in order, the one whose
 * upgrade failed (the run halts there), and the ones it did not try.
 *
 * @param upgraded the new revisions, in the order they were made
 * @param skipped  the releases already at the advised chart and values ({@code needsUpgrade} found nothing to do)
 * @param failed   the release whose upgrade failed, and why; empty when none did
 * @param notTried the releases after the failed one, not tried
 */
public record UpgradeRun(List<Release> upgraded, List<ReleaseAdvice> skipped, Optional<Failure> failed, List<ReleaseAdvice> notTried) {

    /**
     * A failed upgrade.
     *
     * @param advice what the advisor advised for the release
     * @param error  what the upgrade threw
     */
    public record Failure(ReleaseAdvice advice, HelmSdkException error) {
        /** Rejects nulls. */
        public Failure {
            Objects.requireNonNull(advice, "advice");
            Objects.requireNonNull(error, "error");
        }
    }

    /** Copies the lists; rejects nulls. */
    public UpgradeRun {
        upgraded = List.copyOf(Objects.requireNonNull(upgraded, "upgraded"));
        skipped = List.copyOf(Objects.requireNonNull(skipped, "skipped"));
        Objects.requireNonNull(failed, "failed");
        notTried = List.copyOf(Objects.requireNonNull(notTried, "notTried"));
    }

    /** Whether every advised upgrade was made (or was not needed). */
    public boolean completed() {
        return failed.isEmpty();
    }
}
