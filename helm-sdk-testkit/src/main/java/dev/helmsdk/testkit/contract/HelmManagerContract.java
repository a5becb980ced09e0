package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.InstallRequest;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.ReadinessProgress;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.api.UpgradeRequest;
import dev.helmsdk.testkit.contract.HelmManagerEnvironment.Capability;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link HelmManager} must have, Helm's own semantics as the real manager shows
 * them on a cluster, as a JUnit 5 suite to extend: against the real manager (on
 * {@link dev.helmsdk.testkit.EmbeddedKubernetes}, a {@link dev.helmsdk.testkit.KubernetesControlPlane}
 * or your cluster), against a fake, or against your own implementation or wrapper. Implement
 * {@link #startEnvironment()}; JUnit runs every inherited {@code @Test} against its manager:
 *
 * <pre>{@code
 * class MyManagerContractTest extends HelmManagerContract {
 *     @Override protected HelmManagerEnvironment startEnvironment() {
 *         var cluster = dev.helmsdk.testkit.EmbeddedKubernetes.start();
 *         HelmManager manager = dev.helmsdk.core.HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build();
 *         return new HelmManagerEnvironment() {
 *             @Override public HelmManager manager() { return manager; }     // yours, or a wrapper of this one
 *             @Override public HelmManager managerWithMaxHistory(int max) {
 *                 return dev.helmsdk.core.HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).maxHistory(max).build();
 *             }
 *             @Override public Set<Capability> capabilities() { return Set.of(Capability.RENDERING); }
 *             @Override public void close() { manager.close(); cluster.close(); }
 *         };
 *     }
 * }
 * }</pre>
 *
 * <p>Cases use only the public API and the contract's own charts ({@link ContractCharts}), each in
 * namespaces of its own starting with {@code hmc-}, on one environment per class (the lifecycle is
 * per class). What the environment cannot do (see {@link Capability}) makes the cases that need it
 * skipped through JUnit assumptions, so a report shows them as skipped, never as passed. Where the
 * expected behaviour was in doubt, Helm with the real manager decided.
 *
 * <p>The cases every manager must pass are inherited (declared in package-private classes); this class
 * adds those that need a {@link Capability}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HelmManagerContract extends CoreCases {

    /** For subclasses. */
    protected HelmManagerContract() {
    }

    /**
     * Starts the environment the cases run against, once per class; may skip through a JUnit
     * assumption (e.g. a missing binary on a developer machine).
     *
     * @return the environment, closed after the last case
     */
    @Override
    protected abstract HelmManagerEnvironment startEnvironment();

    /**
     * The environment {@link #startEnvironment()} returned.
     *
     * @return the environment under test
     */
    protected final HelmManagerEnvironment environment() {
        return environment;
    }

    /**
     * The contract's charts, extracted for this class.
     *
     * @return the charts
     */
    protected final ContractCharts charts() {
        return charts;
    }

    // ---------------------------------------------------------------- rendering

    @Test
    void manifestsAndNotesFollowTheRevisions() {
        requires(Capability.RENDERING);
        String ns = "hmc-render";
        Release r1 = helm.install("shown").inNamespace(ns).createNamespace().chart(web()).set("message", "v1").run();
        assertEquals("shown says v1", r1.notes());
        helm.upgrade("shown").inNamespace(ns).chart(web()).set("message", "v2").run();
        assertTrue(helm.manifest("shown").inNamespace(ns).atRevision(1).run().contains("message: \"v1\""));
        String latest = helm.manifest("shown").inNamespace(ns).run();
        assertTrue(latest.contains("message: \"v2\"") && latest.contains("kind: Deployment"), latest);
        assertEquals("shown says v2", helm.status("shown").inNamespace(ns).run().notes());
        helm.rollback("shown").inNamespace(ns).toRevision(1).run();
        assertEquals(helm.manifest("shown").inNamespace(ns).atRevision(1).run(), helm.manifest("shown").inNamespace(ns).run(),
                "a rollback deploys revision 1's manifest again");
    }

    @Test
    void templateAndLint() {
        requires(Capability.RENDERING);
        RenderedManifest rendered = helm.template("tpl").inNamespace("hmc-template").chart(web()).set("replicaCount", 4).run();
        assertEquals(Set.of("ConfigMap/tpl-config", "Deployment/tpl"),
                Set.copyOf(rendered.resources().stream().map(r -> r.id()).toList()));
        assertEquals("contract-web/templates/deployment.yaml", rendered.find("Deployment", "tpl").orElseThrow().source());
        assertTrue(rendered.find("Deployment", "tpl").orElseThrow().yaml().contains("replicas: 4"));
        LintReport good = helm.lint(web()).run();
        assertFalse(good.failed(), good.messages().toString());
        LintReport bad = helm.lint(charts.broken()).run();
        assertTrue(bad.failed());
        assertFalse(bad.errors().isEmpty(), bad.messages().toString());
    }

    @Test
    void aChartThatFailsToRenderIsAHelmOperationException() {
        requires(Capability.RENDERING);
        String ns = "hmc-broken";
        assertThrows(HelmOperationException.class, () -> helm.template("tpl").inNamespace(ns).chart(charts.broken()).run());
        HelmOperationException install = assertThrows(HelmOperationException.class,
                () -> helm.install("broken").inNamespace(ns).createNamespace().chart(charts.broken()).run());
        assertEquals(Operation.INSTALL, install.operation());
        assertEquals(Optional.empty(), helm.exists("broken").inNamespace(ns).run(), "nothing was installed");
        helm.install("fine").inNamespace(ns).createNamespace().chart(web()).run();
        assertThrows(HelmOperationException.class, () -> helm.upgrade("fine").inNamespace(ns).chart(charts.broken()).run());
        assertEquals(1, helm.status("fine").inNamespace(ns).run().revision(), "a chart that does not render upgrades nothing");
    }

    @Test
    void dryRunsRenderWhatTheyWouldDeploy() {
        requires(Capability.RENDERING);
        String ns = "hmc-dry-render";
        DryRunResult client = helm.install("preview").inNamespace(ns).chart(web()).set("message", "planned").dryRun(DryRunMode.CLIENT);
        assertEquals("preview says planned", client.notes());
        assertTrue(client.rendered().find("ConfigMap", "preview-config").orElseThrow().yaml().contains("message: \"planned\""),
                client.rendered().resources().toString());
        assertTrue(client.rendered().find("Deployment", "preview").isPresent());
        assertEquals(Optional.empty(), helm.exists("preview").inNamespace(ns).run());
    }

    @Test
    void aRollbacksDryRunRendersTheTargetAndChangesNoHistory() {
        requires(Capability.RENDERING);
        String ns = "hmc-dry-rollback";
        helm.install("back").inNamespace(ns).createNamespace().chart(web()).set("message", "v1").run();
        helm.upgrade("back").inNamespace(ns).chart(web()).set("message", "v2").run();
        List<Release> before = helm.history("back").inNamespace(ns).run();
        DryRunResult preview = helm.rollback("back").inNamespace(ns).dryRun();
        assertEquals(Operation.ROLLBACK, preview.operation());
        assertFalse(preview.upgrade());
        assertTrue(preview.rendered().find("ConfigMap", "back-config").orElseThrow().yaml().contains("message: \"v1\""),
                "the previous revision's manifest: " + preview.rendered().resources());
        assertEquals("back says v1", preview.notes());
        assertEquals(before, helm.history("back").inNamespace(ns).run(), "a dry run writes no revision");
        assertEquals(2, helm.status("back").inNamespace(ns).run().revision());
        assertTrue(helm.rollback("back").inNamespace(ns).toRevision(2).dryRun(DryRunMode.CLIENT).rendered()
                .find("ConfigMap", "back-config").orElseThrow().yaml().contains("message: \"v2\""));
        assertThrows(ReleaseNotFoundException.class, () -> helm.rollback("back").inNamespace(ns).toRevision(9).dryRun());
        assertThrows(ReleaseNotFoundException.class, () -> helm.rollback("nobody").inNamespace(ns).dryRun());
        assertEquals(before, helm.history("back").inNamespace(ns).run());
    }

    @Test
    void needsUpgradeAlsoComparesTheRenderedManifest() {
        requires(Capability.RENDERING);
        String ns = "hmc-cmp-render";
        helm.install("cmp").inNamespace(ns).createNamespace().chart(web()).set("message", "v1").run();
        UpgradeCheck same = helm.needsUpgrade("cmp").inNamespace(ns).chart(web()).set("message", "v1").run();
        assertEquals(Set.of(), same.differences(), same.toString());
        assertEquals(List.of(), same.caveats(), "this chart uses nothing a local rendering cannot reproduce");
        assertEquals(Set.of(Difference.VALUES, Difference.MANIFEST),
                helm.needsUpgrade("cmp").inNamespace(ns).chart(web()).set("message", "v2").run().differences());
        assertEquals(Set.of(Difference.CHART_VERSION, Difference.MANIFEST),
                helm.needsUpgrade("cmp").inNamespace(ns).chart(charts.webNext()).set("message", "v1").run().differences(),
                "1.1.0 has another default, which the chart renders");
        assertEquals(Set.of(Difference.VALUES),
                helm.needsUpgrade("cmp").inNamespace(ns).chart(web()).set("message", "v1").set("unread", "x").run().differences(),
                "a value no template reads changes the values only");
    }

    // ---------------------------------------------------------------- pending releases

    @Test
    void aPendingReleaseIsReportedAsStuck() {
        requires(Capability.PENDING_RELEASES);
        String ns = "hmc-pending";
        helm.install("stuck").inNamespace(ns).createNamespace().chart(web()).run();
        helm.upgrade("stuck").inNamespace(ns).chart(web()).set("message", "two").run();
        environment.markPending(ns, "stuck", 2, ReleaseStatus.PENDING_UPGRADE);
        assertEquals(ReleaseStatus.PENDING_UPGRADE, helm.status("stuck").inNamespace(ns).run().status());
        assertEquals(List.of("stuck"), helm.list().inNamespace(ns).withStatus(ReleaseStatus.PENDING_UPGRADE).run()
                .stream().map(Release::name).toList());
        ReleaseStuckException stuck = assertThrows(ReleaseStuckException.class,
                () -> helm.upgrade("stuck").inNamespace(ns).chart(web()).set("message", "three").run());
        assertEquals(ReleaseStatus.PENDING_UPGRADE, stuck.status());
        assertEquals(2, stuck.revision());
        assertEquals(2, helm.history("stuck").inNamespace(ns).run().size(), "the refused upgrade changed nothing");

        helm.install("new").inNamespace(ns).chart(web()).run();
        environment.markPending(ns, "new", 1, ReleaseStatus.PENDING_INSTALL);
        assertEquals(ReleaseStatus.PENDING_INSTALL, helm.exists("new").inNamespace(ns).run().orElseThrow().status());
        ReleaseStuckException install = assertThrows(ReleaseStuckException.class,
                () -> helm.upgrade("new").inNamespace(ns).chart(web()).run());
        assertEquals(ReleaseStatus.PENDING_INSTALL, install.status());
    }

    // ---------------------------------------------------------------- cluster objects

    @Test
    void clusterObjectsFollowEveryRevision(@TempDir Path tmp) throws IOException {
        requires(Capability.CLUSTER_OBJECTS);
        String ns = "hmc-objects";
        helm.install("yamlish").inNamespace(ns).createNamespace().chart(web()).values(mergeKeyAndEmojiValues(tmp)).run();
        assertEquals("shipped \uD83D\uDE80 on", liveMessage(ns, "yamlish"), "the merge key and the emoji reached the cluster");
        helm.install("obj").inNamespace(ns).chart(web()).set("message", "v1").run();
        assertEquals("v1", liveMessage(ns, "obj"));
        helm.upgrade("obj").inNamespace(ns).chart(web()).set("message", "v2").run();
        assertEquals("v2", liveMessage(ns, "obj"));
        helm.upgrade("obj").inNamespace(ns).chart(web()).set("message", "v3").dryRun();
        assertEquals("v2", liveMessage(ns, "obj"), "a dry run changes no object");
        helm.rollback("obj").inNamespace(ns).toRevision(1).run();
        assertEquals("v1", liveMessage(ns, "obj"), "the objects are revision 1's again");
        helm.uninstall("obj").inNamespace(ns).keepHistory().run();
        assertEquals(Optional.empty(), environment.liveConfigMap(ns, "obj-config"), "uninstall removes the objects, kept history or not");
    }

    // ---------------------------------------------------------------- readiness

    @Test
    void aReadinessFailureRecordsTheRevisionFailed() {
        requires(Capability.READINESS);
        String ns = "hmc-failed";
        helm.install("down").inNamespace(ns).createNamespace().chart(web()).run();
        UpgradeRequest upgrade = failingReadiness(helm.upgrade("down").inNamespace(ns).chart(web()), ns, "down");
        ReadinessFailedException e = assertThrows(ReadinessFailedException.class, () -> upgrade.waitReady(Duration.ofMinutes(2)).run());
        assertFalse(e.failures().isEmpty(), e.getMessage());
        Release r = helm.status("down").inNamespace(ns).run();
        assertEquals(2, r.revision());
        assertEquals(ReleaseStatus.FAILED, r.status());
        assertTrue(r.description().startsWith("Readiness failed"), r.description());
        assertEquals(List.of(ReleaseStatus.DEPLOYED, ReleaseStatus.FAILED), statuses(helm.history("down").inNamespace(ns).run()),
                "revision 1 stays deployed: the failed one did not supersede it");
        assertEquals(ReleaseStatus.FAILED, helm.exists("down").inNamespace(ns).run().orElseThrow().status());
        assertEquals(List.of("down"), helm.list().inNamespace(ns).withStatus(ReleaseStatus.FAILED).run()
                .stream().map(Release::name).toList());
        UpgradeCheck check = helm.needsUpgrade("down").inNamespace(ns).chart(web()).run();
        assertEquals(Set.of(Difference.NOT_DEPLOYED), check.differences(),
                "compared with revision 1, the last deployed one, as Helm's upgrade starts from it: " + check);
        assertEquals(1, check.current().revision());
        // resetValues: given no values, the upgrade would copy those of the latest revision, the failed one's.
        assertEquals(3, helm.upgrade("down").inNamespace(ns).chart(web()).resetValues().run().revision(),
                "a failed release can be upgraded");
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.FAILED, ReleaseStatus.DEPLOYED),
                statuses(helm.history("down").inNamespace(ns).run()), "the upgrade supersedes the deployed revision; the failed one stays failed");
    }

    @Test
    void aFailedUpgradeWithRollbackOnFailureEndsOnTheLastGoodRevision() {
        requires(Capability.READINESS);
        String ns = "hmc-autorb";
        helm.install("auto").inNamespace(ns).createNamespace().chart(web()).set("message", "good").waitReady(Duration.ofMinutes(1)).run();
        UpgradeRequest upgrade = failingReadiness(helm.upgrade("auto").inNamespace(ns).chart(web()).set("message", "bad"), ns, "auto");
        AutoRollbackException e = assertThrows(AutoRollbackException.class,
                () -> upgrade.waitReady(Duration.ofMinutes(2)).rollbackOnFailure().run());
        assertTrue(e.rolledBack(), e.getMessage());
        assertEquals(1, e.restoredRevision().orElseThrow());
        assertTrue(e.failure() instanceof ReadinessFailedException, e.failure().toString());
        assertTrue(e.getMessage().contains("rolled back to revision 1"), e.getMessage());
        Release now = helm.status("auto").inNamespace(ns).run();
        assertEquals(3, now.revision());
        assertEquals(ReleaseStatus.DEPLOYED, now.status());
        assertEquals("Rollback to 1", now.description());
        assertEquals(ReleaseStatus.FAILED, helm.status("auto").inNamespace(ns).atRevision(2).run().status());
        assertEquals(Map.of("message", "good"), helm.values("auto").inNamespace(ns).run());
    }

    @Test
    void aFailedFirstInstallWithRollbackOnFailureIsUninstalled() {
        requires(Capability.READINESS);
        String ns = "hmc-autorb-first";
        InstallRequest install = failingReadiness(helm.install("first").inNamespace(ns).createNamespace().chart(web()), ns, "first");
        AutoRollbackException e = assertThrows(AutoRollbackException.class,
                () -> install.waitReady(Duration.ofMinutes(2)).rollbackOnFailure().run());
        assertTrue(e.rolledBack());
        assertTrue(e.restoredRevision().isEmpty());
        assertEquals(Operation.INSTALL, e.operation());
        assertThrows(ReleaseNotFoundException.class, () -> helm.status("first").inNamespace(ns).run());
        assertEquals(Optional.empty(), helm.exists("first").inNamespace(ns).run(), "the name is free again");
    }

    @Test
    void progressIsReportedWhileWaiting() {
        requires(Capability.READINESS);
        requires(Capability.RENDERING); // the progress names the objects the chart renders
        List<ReadinessProgress> seen = new CopyOnWriteArrayList<>();
        helm.install("watched").inNamespace("hmc-progress").createNamespace().chart(web()).set("replicaCount", 2)
                .onProgress(seen::add).waitReady(Duration.ofMinutes(1)).run();
        assertFalse(seen.isEmpty());
        ReadinessProgress last = seen.get(seen.size() - 1);
        assertEquals(last.resources().size(), last.readyCount(), last.toString());
        assertTrue(last.resources().stream().anyMatch(r -> r.id().equals("deployment/watched")), last.toString());
    }
}
