package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReleaseStatus;

import java.util.SortedMap;

/**
 * Carries out a rollback through Helm: an upgrade to the rebuilt chart of the target revision with
 * its values (helm-java has no rollback). When it fails, the history is put back as Helm's own
 * rollback leaves it.
 */
final class ApplyRollbackStage implements ChangeStage {

    private final HelmExecution helm;
    private final StuckRecovery stuck;
    private final ReleaseStore store;

    ApplyRollbackStage(HelmExecution helm, StuckRecovery stuck, ReleaseStore store) {
        this.helm = helm;
        this.stuck = stuck;
        this.store = store;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.kind() == Operation.ROLLBACK && c.changes();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Operation op = c.op();
        String ns = c.namespace();
        String name = c.release();
        SortedMap<Integer, ReleaseStatus> earlier = c.earlier();
        int latest = earlier.lastKey();
        if (earlier.get(latest) != ReleaseStatus.DEPLOYED) {
            // Helm's rollback applies the target over the latest revision's manifest, from any status
            // (a pending one included: it is the usual way out). The upgrade it runs through here
            // starts from the deployed revision instead and refuses a pending one, so the latest
            // revision looks deployed to it until the rollback ends; RecordStage puts its status back.
            store.setStatus(op, ns, name, latest, ReleaseStatus.DEPLOYED, null);
        }
        String description = c.rollback().description().isEmpty() ? "Rollback to " + c.target().revision() : c.rollback().description();
        HelmCall call = HelmCall.of(HelmCall.Kind.UPGRADE, name, ns).chart(c.chart().reference(), null).valuesFile(c.valuesFile())
                .kube(helm.kube()).timeoutSeconds(HelmExecution.seconds(c.helmTimeout()))
                .description(description)
                .flag(HelmCall.Flag.RESET_VALUES)
                .flag(HelmCall.Flag.FORCE, c.rollback().force())
                .flag(HelmCall.Flag.CLEANUP_ON_FAIL, c.rollback().cleanupOnFail()).build();
        int revision;
        try {
            revision = ApplyStage.recordingReferences(store, c, () -> stuck.unlessStuck(op, ns, name, () -> helm.execute(c, call).revision()));
        } catch (HelmSdkException e) {
            throw HistoryRepair.repairing(e, ns, name, () -> afterFailure(op, ns, name, earlier));
        }
        return next.run(c.withRevision(revision));
    }

    /**
     * Puts the history back as Helm's rollback leaves it when the rollback failed: if Helm recorded
     * the new revision (failed while applying), the one before it is superseded and the new one is
     * described as a failed rollback; otherwise every revision is as it was.
     */
    private void afterFailure(Operation op, String ns, String name, SortedMap<Integer, ReleaseStatus> earlier) {
        SortedMap<Integer, ReleaseStatus> now = store.statuses(op, ns, name);
        if (!now.isEmpty() && now.lastKey() > earlier.lastKey()) {
            store.restoreStatuses(op, ns, name, HistoryRules.afterFailedRollbackApply(earlier));
            int failed = now.lastKey();
            String description = store.revision(op, ns, name, failed).description();
            if (description.startsWith("Upgrade \"")) {
                store.setStatus(op, ns, name, failed, ReleaseStatus.FAILED, "Rollback" + description.substring("Upgrade".length()));
            }
        } else {
            store.restoreStatuses(op, ns, name, earlier);
        }
    }
}
