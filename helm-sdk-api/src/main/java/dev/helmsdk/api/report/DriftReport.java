package dev.helmsdk.api.report;

import java.util.List;
import java.util.Objects;

/**
 * How a release's live objects differ from its deployed revision (drift, as Flux's drift detection reports it):
 * what {@code helm.drift(release).run()} found, or what {@code correct()} found and re-applied.
 *
 * <p>Each {@link ObjectChange} reads as what correcting the drift does, as a dry run's changes read as what the
 * change does: {@link ObjectChange.Type#ADDED} is an object of the revision missing from the cluster (deleted by
 * hand; a correction creates it again), {@link ObjectChange.Type#CHANGED} one edited by hand, each
 * {@link FieldChange} with {@code before} the live value and {@code after} the deployed one. A field added by hand
 * that the revision does not set is not drift (a correction leaves it, as Helm's own apply does). Secret data
 * reads {@code (sensitive, N bytes)}, never a value.
 *
 * @param releaseName the release
 * @param namespace   its namespace
 * @param revision    the revision compared with: the last deployed one
 * @param drifted     the objects that differ from the revision, in the revision's order; empty when none does
 * @param findings    what else the check found: objects opted out ({@code drift.disabled}), objects the API server
 *                    would not take back as deployed ({@code drift.refused}), corrections that failed
 *                    ({@code drift.correction_failed})
 * @param corrected   the objects a correction re-applied; empty when none was asked for (or nothing drifted)
 */
public record DriftReport(String releaseName, String namespace, int revision, List<ObjectChange> drifted,
                          List<Finding> findings, List<ObjectRef> corrected) {

    /** The value of {@link Finding#check()} of a drift check's findings. */
    public static final String CHECK = "drift";

    /** Requires every component; copies the lists. */
    public DriftReport {
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        drifted = copy(drifted, "drifted");
        findings = copy(findings, "findings");
        corrected = copy(corrected, "corrected");
    }

    private static <T> List<T> copy(List<T> list, String name) {
        return List.copyOf(Objects.requireNonNull(list, name));
    }

    /** Whether some object of the revision differs from the cluster (before any correction). */
    public boolean hasDrift() {
        return !drifted.isEmpty();
    }

    /** The worst severity among the findings (drift itself is not a finding: see {@link #hasDrift()}). */
    public Verdict verdict() {
        return Verdict.of(findings);
    }
}
