package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;

import java.time.Duration;

/**
 * What install and upgrade share: namespace creation, waiting, description, dry runs.
 *
 * @param <S> the concrete request type
 */
public abstract sealed class DeployRequest<S extends DeployRequest<S>> extends ChartRequest<S>
        permits InstallRequest, UpgradeRequest {

    DeployRequest(HelmEngine engine, Operation operation, DeploySpec spec) {
        super(engine, operation, spec);
    }

    /** Creates the namespace if it does not exist. */
    public S createNamespace() {
        return copy(spec.toBuilder().createNamespace(true).build());
    }

    /**
     * Waits until the released resources are ready, within the readiness time limit. The SDK
     * waits in Java, judging each kind as kstatus does, and fails as soon as failure is certain
     * (crash loop, image pull failure, failed Job, unschedulable pod, ...) with a
     * {@link ReadinessFailedException}; the revision is then recorded as failed, as
     * {@code helm --wait} would. Unlike {@code helm --wait}, post-install and post-upgrade hooks run
     * once the resources are applied, before they are ready.
     */
    public S waitReady() {
        return copy(spec.toBuilder().readiness(spec.readiness().withEnabled(true)).build());
    }

    /** Waits until the released resources are ready, at most {@code readinessTimeout}. */
    public S waitReady(Duration readinessTimeout) {
        java.util.Objects.requireNonNull(readinessTimeout, "readinessTimeout");
        return copy(spec.toBuilder().readiness(spec.readiness().withEnabled(true))
                .timeouts(spec.timeouts().withReadiness(readinessTimeout)).build());
    }

    /**
     * Undoes the change when it fails: when Helm fails, the readiness wait fails or times out, an
     * upgrade is rolled back to the last deployed revision and a first install is uninstalled,
     * within the cleanup time limit. The {@link AutoRollbackException} thrown then carries the
     * original failure and the outcome of the rollback.
     *
     * <p>Helm's {@code --atomic} (named {@code --rollback-on-failure} from Helm 4). Not to be
     * confused with {@link RollbackRequest#cleanupOnFail()} (Helm's {@code --cleanup-on-fail}),
     * which only deletes what a failed change created and leaves the release failed; the
     * automatic rollback run here does that cleanup too.
     */
    public S rollbackOnFailure() {
        return copy(spec.toBuilder().rollbackOnFailure(true).build());
    }

    /**
     * Verifies the chart's provenance before anything else, as {@code helm install|upgrade --verify --keyring}: the
     * {@code .prov} of the chart (beside a local {@link ChartRef.Archive}, {@code <archive URL>.prov} in a classic
     * repository, the provenance layer of an OCI chart) must be clear-signed by a key in {@code keyring} and sign the
     * archive's sha256. The archive verified is the one installed: a remote chart is downloaded once. A missing
     * {@code .prov}, an unknown, revoked or expired key, a bad signature or a changed archive is a
     * {@link ChartVerificationException}, thrown before the release is locked or anything in the cluster is read or
     * changed; {@link #dryRun()} verifies too and throws the same. A {@link ChartRef.Directory} cannot be verified
     * ({@link InvalidRequestException}, as Helm's "unpacked charts cannot be verified"). Needs
     * {@code org.bouncycastle:bcpg-jdk18on} on the class path ({@link InvalidRequestException} naming it otherwise).
     *
     * @param keyring a public keyring: GnuPG's legacy binary format ({@code gpg --export > pubring.gpg}, what Helm
     *                reads) or ASCII-armored ({@code gpg --export --armor})
     */
    public S verify(java.nio.file.Path keyring) {
        java.util.Objects.requireNonNull(keyring, "keyring");
        return copy(spec.toBuilder().verifyKeyring(keyring).build());
    }

    /**
     * Receives readiness progress while {@link #waitReady()} waits (which resources are ready,
     * which are awaited and why), each time something changes. Called on the operation's thread;
     * keep it quick.
     */
    public S onProgress(java.util.function.Consumer<ReadinessProgress> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        return copy(spec.toBuilder().readiness(spec.readiness().withProgress(listener)).build());
    }

    /**
     * Adds a check run once the resources are ready (implies {@link #waitReady()}); a failing check
     * fails the change with {@link HealthCheckFailedException} and records the revision as failed.
     */
    public S healthCheck(HealthCheck check) {
        java.util.Objects.requireNonNull(check, "check");
        return copy(spec.toBuilder().readiness(spec.readiness().plusHealthCheck(check)).build());
    }

    /** A custom description recorded with the revision. */
    public S description(String description) {
        return copy(spec.toBuilder().description(java.util.Objects.requireNonNull(description, "description")).build());
    }

    /** Does not install the chart's {@code crds/} directory. */
    public S skipCrds() {
        return copy(spec.toBuilder().rendering(spec.rendering().withSkipCrds(true)).build());
    }

    /** Computes what this request would do against the cluster ({@link DryRunMode#SERVER}), changing nothing. */
    public DryRunResult dryRun() {
        return dryRun(DryRunMode.SERVER);
    }

    /** Computes what this request would do, changing nothing. */
    public DryRunResult dryRun(DryRunMode mode) {
        java.util.Objects.requireNonNull(mode, "mode");
        return engine.dryRun(requireChart(), this instanceof UpgradeRequest, mode);
    }

    /** Carries out the request and returns the new revision. */
    public abstract Release run();
}
