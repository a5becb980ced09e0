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

    ApplyStage(HelmExecution helm, StuckRecovery stuck) {
        this.helm = helm;
        this.stuck = stuck;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.changes() && (c.kind() == Operation.INSTALL || c.kind() == Operation.UPGRADE || c.kind() == Operation.UNINSTALL);
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        Operation op = c.op();
        if (c.kind() == Operation.UNINSTALL) {
            helm.execute(op, c.release(), c.namespace(), c.helmTimeout(), uninstall(c));
            return next.run(c);
        }
        HelmCall call = deploy(c);
        int revision = stuck.unlessStuck(op, c.namespace(), c.release(),
                () -> helm.execute(op, c.release(), c.namespace(), c.helmTimeout(), call).revision());
        return next.run(c.withRevision(revision));
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
