package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.spi.DeploySpec;

/**
 * Carries out an install, upgrade or uninstall through Helm, recovering a stuck release as
 * configured, and notes the revision Helm recorded.
 */
final class ApplyStage implements ChangeStage {

    private final HelmExecution helm;
    private final StuckRecovery stuck;
    private final ReleaseStore store;

    ApplyStage(HelmExecution helm, StuckRecovery stuck, ReleaseStore store) {
        this.helm = helm;
        this.stuck = stuck;
        this.store = store;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.changes() && (c.kind() == Operation.INSTALL || c.kind() == Operation.UPGRADE || c.kind() == Operation.UNINSTALL);
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Operation op = c.op();
        if (c.kind() == Operation.UNINSTALL) {
            helm.execute(c, uninstall(c));
            return next.run(c);
        }
        HelmCall call = deploy(c);
        int revision = recordingReferences(store, c, () -> stuck.unlessStuck(op, c.namespace(), c.release(),
                () -> helm.execute(c, call).revision()));
        return next.run(c.withRevision(revision));
    }

    /**
     * Runs {@code change} (which returns the revision Helm wrote) and, when the values held secret
     * references, records the references as the revision's values in place of what they resolved
     * to, before anything waits or reads it back; after a failure, in the revision the failed change
     * wrote, if any.
     */
    static int recordingReferences(ReleaseStore store, ChangeContext c, java.util.function.IntSupplier change) {
        java.util.Optional<java.util.Map<String, Object>> given = c.valuesToRecord();
        if (given.isEmpty()) {
            return change.getAsInt();
        }
        int revision;
        try {
            revision = change.getAsInt();
        } catch (RuntimeException e) {
            try {
                store.recordValues(c.op(), c.namespace(), c.release(), 0, c.values(), given.get());
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        store.recordValues(c.op(), c.namespace(), c.release(), revision, c.values(), given.get());
        return revision;
    }

    private HelmCall deploy(ChangeContext c) {
        DeploySpec spec = c.deploy();
        HelmCall.Builder b = call(helm, c, c.kind() == Operation.INSTALL ? HelmCall.Kind.INSTALL : HelmCall.Kind.UPGRADE)
                .description(spec.description())
                .flag(HelmCall.Flag.CREATE_NAMESPACE, spec.createNamespace());
        if (c.kind() == Operation.UPGRADE) {
            b.flag(HelmCall.Flag.INSTALL_IF_ABSENT, spec.upgrade().installIfAbsent())
                    .flag(HelmCall.Flag.REUSE_VALUES, spec.upgrade().reuseValues())
                    .flag(HelmCall.Flag.RESET_VALUES, spec.upgrade().resetValues())
                    .flag(HelmCall.Flag.FORCE, spec.upgrade().force());
        }
        return b.build();
    }

    /** An install or upgrade call for the context's chart and values file, with Helm's timeout. */
    static HelmCall.Builder call(HelmExecution helm, ChangeContext c, HelmCall.Kind kind) {
        DeploySpec spec = c.deploy();
        return HelmCall.of(kind, c.release(), c.namespace()).chart(c.chart().reference(), c.chart().version())
                .valuesFile(c.valuesFile()).kube(helm.kube()).timeoutSeconds(HelmExecution.seconds(c.helmTimeout()))
                .flag(HelmCall.Flag.SKIP_CRDS, spec.rendering().skipCrds());
    }

    private HelmCall uninstall(ChangeContext c) {
        return HelmCall.of(HelmCall.Kind.UNINSTALL, c.release(), c.namespace()).kube(helm.kube())
                .flag(HelmCall.Flag.KEEP_HISTORY, c.uninstall().keepHistory()).build();
    }
}
