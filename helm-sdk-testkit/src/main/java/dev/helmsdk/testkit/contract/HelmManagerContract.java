package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartRequest;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.InstallRequest;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.LintReport;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ReadinessFailedException;
import dev.helmsdk.api.ReadinessProgress;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseAlreadyExistsException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.ReleaseStuckException;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.api.UpgradeRequest;
import dev.helmsdk.testkit.contract.HelmManagerEnvironment.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
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
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HelmManagerContract {

    private HelmManagerEnvironment environment;
    private ContractCharts charts;
    /** The environment's manager, set before the first case. */
    private HelmManager helm;

    /** For subclasses. */
    protected HelmManagerContract() {
    }

    /**
     * Starts the environment the cases run against, once per class; may skip through a JUnit
     * assumption (e.g. a missing binary on a developer machine).
     *
     * @return the environment, closed after the last case
     */
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

    @BeforeAll
    final void startContractEnvironment() {
        charts = ContractCharts.extract();
        environment = startEnvironment();
        helm = environment.manager();
    }

    @AfterAll
    final void stopContractEnvironment() {
        try {
            if (environment != null) {
                environment.close();
            }
        } finally {
            if (charts != null) {
                charts.close();
            }
        }
    }

    /** Skips the calling case, visibly, unless the environment declares {@code capability}. */
    private void requires(Capability capability) {
        Set<Capability> declared = EnumSet.noneOf(Capability.class);
        declared.addAll(environment.capabilities());
        Assumptions.assumeTrue(declared.contains(capability),
                () -> "needs " + capability + ", which this environment does not declare (it has " + declared + ")");
    }

    private ChartRef web() {
        return charts.web();
    }

    private static List<Integer> revisions(List<Release> releases) {
        return releases.stream().map(Release::revision).toList();
    }

    private static List<ReleaseStatus> statuses(List<Release> releases) {
        return releases.stream().map(Release::status).toList();
    }

    /** The differences a manager that does not render can see: all but the manifest. */
    private static Set<Difference> beyondTheManifest(UpgradeCheck check) {
        Set<Difference> d = EnumSet.noneOf(Difference.class);
        d.addAll(check.differences());
        d.remove(Difference.MANIFEST);
        return d;
    }

    /** The request with the values the environment needs to make it fail readiness (requests are immutable). */
    private <S extends ChartRequest<S>> S failingReadiness(S request, String ns, String name) {
        S result = request;
        for (Map.Entry<String, String> e : environment.arrangeReadinessFailure(ns, name).entrySet()) {
            result = result.set(e.getKey(), e.getValue());
        }
        return result;
    }

    // ---------------------------------------------------------------- revisions, statuses, history

    @Test
    void installAndUpgradeNumberRevisionsAndSupersedeThePrevious() {
        Instant before = Instant.now().minusSeconds(1);
        Release r1 = helm.install("shop").inNamespace("hmc-shop").createNamespace().chart(web())
                .set("replicaCount", 2).set("message", "v1").run();
        assertEquals(1, r1.revision());
        assertEquals(ReleaseStatus.DEPLOYED, r1.status());
        assertEquals("shop", r1.name());
        assertEquals("hmc-shop", r1.namespace());
        assertEquals("contract-web", r1.chartName());
        assertEquals("1.0.0", r1.chartVersion());
        assertEquals("2.1", r1.appVersion());
        assertEquals("Install complete", r1.description());
        assertTrue(!r1.lastDeployed().isBefore(before), r1.lastDeployed() + " is before " + before);
        assertEquals(r1, helm.status("shop").inNamespace("hmc-shop").run(), "the result is the record as stored");

        Release r2 = helm.upgrade("shop").inNamespace("hmc-shop").chart(web()).set("replicaCount", 2).set("message", "v2").run();
        assertEquals(2, r2.revision());
        assertEquals(ReleaseStatus.DEPLOYED, r2.status());
        assertEquals("Upgrade complete", r2.description());
        assertEquals(r2, helm.status("shop").inNamespace("hmc-shop").run());

        List<Release> history = helm.history("shop").inNamespace("hmc-shop").run();
        assertEquals(List.of(1, 2), revisions(history), "oldest first");
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED), statuses(history));
        assertEquals("Install complete", history.get(0).description());
        Release first = helm.status("shop").inNamespace("hmc-shop").atRevision(1).run();
        assertEquals(1, first.revision());
        assertEquals(ReleaseStatus.SUPERSEDED, first.status());

        assertEquals(Map.of("replicaCount", 2, "message", "v2"), helm.values("shop").inNamespace("hmc-shop").run());
        assertEquals(Map.of("replicaCount", 2, "message", "v1"), helm.values("shop").inNamespace("hmc-shop").atRevision(1).run());

        List<Release> listed = helm.list().inNamespace("hmc-shop").run();
        assertEquals(List.of("shop"), listed.stream().map(Release::name).toList());
        assertEquals(r2, listed.get(0), "list shows the latest revision");
    }

    @Test
    void uninstallRemovesTheReleaseAndItsHistory() {
        helm.install("gone").inNamespace("hmc-uninstall").createNamespace().chart(web()).run();
        helm.upgrade("gone").inNamespace("hmc-uninstall").chart(web()).set("message", "two").run();
        Release removed = helm.uninstall("gone").inNamespace("hmc-uninstall").run();
        assertEquals(2, removed.revision(), "uninstall returns the latest revision");
        assertThrows(ReleaseNotFoundException.class, () -> helm.status("gone").inNamespace("hmc-uninstall").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.history("gone").inNamespace("hmc-uninstall").run());
        assertEquals(Optional.empty(), helm.exists("gone").inNamespace("hmc-uninstall").run());
        assertEquals(List.of(), helm.list().inNamespace("hmc-uninstall").withStatus(ReleaseStatus.UNINSTALLED).run());
        assertTrue(helm.list().inNamespace("hmc-uninstall").run().isEmpty());
        assertEquals(1, helm.install("gone").inNamespace("hmc-uninstall").chart(web()).run().revision(),
                "the name is free again and starts over");
    }

    @Test
    void uninstallWithKeepHistoryKeepsTheRecords() {
        helm.install("kept").inNamespace("hmc-keep").createNamespace().chart(web()).run();
        helm.upgrade("kept").inNamespace("hmc-keep").chart(web()).set("message", "two").run();
        Release removed = helm.uninstall("kept").inNamespace("hmc-keep").keepHistory().run();
        assertEquals(2, removed.revision());
        Release status = helm.status("kept").inNamespace("hmc-keep").run();
        assertEquals(ReleaseStatus.UNINSTALLED, status.status());
        assertEquals(2, status.revision());
        assertEquals("Uninstallation complete", status.description());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.UNINSTALLED),
                statuses(helm.history("kept").inNamespace("hmc-keep").run()));
        assertTrue(helm.list().inNamespace("hmc-keep").run().isEmpty(), "uninstalled releases are hidden by default");
        assertEquals(List.of("kept"), helm.list().inNamespace("hmc-keep").withStatus(ReleaseStatus.UNINSTALLED).run()
                .stream().map(Release::name).toList());
        assertThrows(ReleaseAlreadyExistsException.class, () -> helm.install("kept").inNamespace("hmc-keep").chart(web()).run(),
                "the kept history still holds the name");
    }

    @Test
    void maxHistoryPrunesOldRevisionsButNeverTheDeployedOne() {
        try (HelmManager short3 = environment.managerWithMaxHistory(3)) {
            short3.install("hist").inNamespace("hmc-history").createNamespace().chart(web()).run();
            for (int i = 2; i <= 5; i++) {
                short3.upgrade("hist").inNamespace("hmc-history").chart(web()).set("message", "v" + i).run();
            }
            List<Release> history = short3.history("hist").inNamespace("hmc-history").run();
            assertEquals(List.of(3, 4, 5), revisions(history));
            assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED), statuses(history));
            assertThrows(ReleaseNotFoundException.class, () -> short3.status("hist").inNamespace("hmc-history").atRevision(2).run(),
                    "a pruned revision is gone");
            Release back = short3.rollback("hist").inNamespace("hmc-history").toRevision(3).run();
            assertEquals(6, back.revision());
            assertEquals(List.of(4, 5, 6), revisions(short3.history("hist").inNamespace("hmc-history").run()));
            assertEquals(List.of(4, 5, 6), revisions(helm.history("hist").inNamespace("hmc-history").run()),
                    "the other manager sees the same records");
        }
    }

    @Test
    void concurrentChangesToOneReleaseNeverInterleave() throws Exception {
        helm.install("busy").inNamespace("hmc-concurrent").createNamespace().chart(web()).run();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Integer> revisions = new ArrayList<>();
        try {
            List<Future<Release>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String msg = "parallel-" + i;
                results.add(pool.submit(() -> helm.upgrade("busy").inNamespace("hmc-concurrent").chart(web()).set("message", msg).run()));
            }
            for (Future<Release> f : results) {
                revisions.add(f.get().revision());
            }
        } finally {
            pool.shutdownNow();
        }
        Collections.sort(revisions);
        assertEquals(List.of(2, 3, 4, 5), revisions, "every upgrade ran, one after another, none refused");
        List<Release> history = helm.history("busy").inNamespace("hmc-concurrent").run();
        assertEquals(List.of(1, 2, 3, 4, 5), revisions(history));
        assertEquals(1, statuses(history).stream().filter(ReleaseStatus.DEPLOYED::equals).count(), "exactly one deployed: " + history);
        assertEquals(ReleaseStatus.DEPLOYED, history.get(4).status());
    }

    // ---------------------------------------------------------------- rollback

    @Test
    void rollbackRestoresAnEarlierRevisionAsANewOne() {
        helm.install("rb").inNamespace("hmc-rollback").createNamespace().chart(web()).set("message", "one").set("replicaCount", 1).run();
        helm.upgrade("rb").inNamespace("hmc-rollback").chart(web()).set("message", "two").set("replicaCount", 2).run();
        helm.upgrade("rb").inNamespace("hmc-rollback").chart(charts.webNext()).set("message", "three").set("replicaCount", 3).run();

        Release back = helm.rollback("rb").inNamespace("hmc-rollback").toRevision(1).run();
        assertEquals(4, back.revision());
        assertEquals(ReleaseStatus.DEPLOYED, back.status());
        assertEquals("Rollback to 1", back.description());
        assertEquals("1.0.0", back.chartVersion(), "the chart of revision 1 again");
        assertEquals(back, helm.status("rb").inNamespace("hmc-rollback").run());
        assertEquals(helm.values("rb").inNamespace("hmc-rollback").atRevision(1).run(), helm.values("rb").inNamespace("hmc-rollback").run());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED),
                statuses(helm.history("rb").inNamespace("hmc-rollback").run()));

        Release previous = helm.rollback("rb").inNamespace("hmc-rollback").run();
        assertEquals(5, previous.revision());
        assertEquals("Rollback to 3", previous.description(), "the default is the revision before the latest");
        assertEquals("1.1.0", previous.chartVersion());
        assertEquals(Map.of("message", "three", "replicaCount", 3), helm.values("rb").inNamespace("hmc-rollback").run());
    }

    @Test
    void rollbackRejectsWhatCannotBeRolledBackAndChangesNothing() {
        assertThrows(ReleaseNotFoundException.class, () -> helm.rollback("nobody").inNamespace("hmc-rollback-bad").run());
        helm.install("single").inNamespace("hmc-rollback-bad").createNamespace().chart(web()).run();
        InvalidRequestException single = assertThrows(InvalidRequestException.class,
                () -> helm.rollback("single").inNamespace("hmc-rollback-bad").run());
        assertTrue(single.getMessage().contains("single revision"), single.getMessage());
        helm.upgrade("single").inNamespace("hmc-rollback-bad").chart(web()).set("message", "two").run();
        ReleaseNotFoundException missing = assertThrows(ReleaseNotFoundException.class,
                () -> helm.rollback("single").inNamespace("hmc-rollback-bad").toRevision(7).run());
        assertTrue(missing.getMessage().contains("no revision 7") && missing.getMessage().contains("[1, 2]"), missing.getMessage());
        assertEquals(List.of(1, 2), revisions(helm.history("single").inNamespace("hmc-rollback-bad").run()), "nothing changed");
        assertEquals(Map.of("message", "two"), helm.values("single").inNamespace("hmc-rollback-bad").run());
    }

    // ---------------------------------------------------------------- namespaces and list

    @Test
    void listCoversOneOrAllNamespacesAndFiltersByStatus() {
        helm.install("alpha").inNamespace("hmc-list-b").createNamespace().chart(web()).run();
        helm.install("beta").inNamespace("hmc-list-a").createNamespace().chart(web()).run();
        helm.install("alpha").inNamespace("hmc-list-a").chart(web()).run();
        helm.upgrade("beta").inNamespace("hmc-list-a").chart(web()).set("message", "two").run();
        helm.install("gamma").inNamespace("hmc-list-a").chart(web()).run();
        helm.uninstall("gamma").inNamespace("hmc-list-a").keepHistory().run();

        assertEquals(List.of("alpha"), helm.list().inNamespace("hmc-list-b").run().stream().map(Release::name).toList());
        assertEquals(List.of("alpha", "beta"), helm.list().inNamespace("hmc-list-a").run().stream().map(Release::name).toList(),
                "sorted by name; the same name in another namespace is another release");
        List<Release> all = helm.list().allNamespaces().run().stream().filter(r -> r.namespace().startsWith("hmc-list-")).toList();
        assertEquals(List.of("hmc-list-a/alpha", "hmc-list-a/beta", "hmc-list-b/alpha"),
                all.stream().map(r -> r.namespace() + "/" + r.name()).toList(), "sorted by namespace, then name");
        assertEquals(2, all.get(1).revision(), "the latest revision of each release");
        assertEquals(List.of("gamma"), helm.list().inNamespace("hmc-list-a").withStatus(ReleaseStatus.UNINSTALLED).run()
                .stream().map(Release::name).toList());
        assertEquals(List.of("alpha", "beta"), helm.list().inNamespace("hmc-list-a").withStatus(ReleaseStatus.DEPLOYED).run()
                .stream().map(Release::name).toList());
        assertTrue(helm.list().allNamespaces().withStatus(ReleaseStatus.FAILED).run().stream()
                .noneMatch(r -> r.namespace().startsWith("hmc-list-")));
        assertEquals(List.of(), helm.list().inNamespace("hmc-list-empty").run(), "a namespace without releases lists none");
    }

    // ---------------------------------------------------------------- values

    @Test
    void valuesMergeWithTheChartsDefaults() {
        helm.install("vals").inNamespace("hmc-values").createNamespace().chart(web())
                .values(Map.of("image", Map.of("tag", "1.28"), "extra", Map.of("more", "x"))).set("replicaCount", 3).run();
        assertEquals(Map.of("image", Map.of("tag", "1.28"), "extra", Map.of("more", "x"), "replicaCount", 3),
                helm.values("vals").inNamespace("hmc-values").run(), "values() are what was given");
        Map<String, Object> all = helm.values("vals").inNamespace("hmc-values").allValues().run();
        assertEquals(Map.of("repository", "nginx", "tag", "1.28"), all.get("image"), "nested maps merge key by key");
        assertEquals(Map.of("keep", "default", "more", "x"), all.get("extra"));
        assertEquals(3, all.get("replicaCount"));
        assertEquals("hello", all.get("message"), "a default nobody overrode");
        assertEquals(Map.of(), all.get("podLabels"));
    }

    @Test
    void upgradeValuesFollowHelmsReuseAndResetRules() {
        String ns = "hmc-reuse";
        helm.install("rv").inNamespace(ns).createNamespace().chart(web()).set("message", "v1").set("replicaCount", 2).run();

        helm.upgrade("rv").inNamespace(ns).chart(web()).run();
        assertEquals(Map.of("message", "v1", "replicaCount", 2), helm.values("rv").inNamespace(ns).run(),
                "given no values, an upgrade keeps the release's");
        helm.upgrade("rv").inNamespace(ns).chart(web()).reuseValues().set("message", "v3").run();
        assertEquals(Map.of("message", "v3", "replicaCount", 2), helm.values("rv").inNamespace(ns).run(),
                "reuseValues merges the given values over the release's");
        helm.upgrade("rv").inNamespace(ns).chart(web()).set("message", "v4").run();
        assertEquals(Map.of("message", "v4"), helm.values("rv").inNamespace(ns).run(),
                "given values without reuseValues replace the release's");
        helm.upgrade("rv").inNamespace(ns).chart(web()).resetValues().run();
        assertEquals(Map.of(), helm.values("rv").inNamespace(ns).run(), "resetValues drops the release's values");
        assertEquals("hello", helm.values("rv").inNamespace(ns).allValues().run().get("message"), "back to the chart's default");
        assertEquals(5, helm.status("rv").inNamespace(ns).run().revision());
    }

    /** A values file whose top level comes from a YAML merge key, with a character outside the BMP. */
    private static Path mergeKeyAndEmojiValues(Path dir) throws IOException {
        return Files.writeString(dir.resolve("values.yaml"), """
                defaults: &defaults
                  message: "shipped \uD83D\uDE80 on"
                  replicaCount: 2
                <<: *defaults
                """);
    }

    @Test
    void aValuesFileWithAMergeKeyAndAnEmojiMeansWhatItSays(@TempDir Path tmp) throws IOException {
        Path values = mergeKeyAndEmojiValues(tmp);
        Release r = helm.install("yamlish").inNamespace("hmc-yaml").createNamespace().chart(web()).values(values).run();
        assertEquals(ReleaseStatus.DEPLOYED, r.status());
        Map<String, Object> all = helm.values("yamlish").inNamespace("hmc-yaml").allValues().run();
        assertEquals("shipped \uD83D\uDE80 on", all.get("message"), "the merge key and the emoji were read");
        assertEquals(2, all.get("replicaCount"));
    }

    // ---------------------------------------------------------------- exists and needsUpgrade

    @Test
    void existsAnswersForEveryStateWithoutAnException() {
        String ns = "hmc-exists";
        assertEquals(Optional.empty(), helm.exists("nothing").inNamespace(ns).run(), "a missing release is empty");
        helm.install("up").inNamespace(ns).createNamespace().chart(web()).run();
        helm.upgrade("up").inNamespace(ns).chart(web()).set("message", "two").run();
        Release up = helm.exists("up").inNamespace(ns).run().orElseThrow();
        assertEquals(ReleaseStatus.DEPLOYED, up.status());
        assertEquals(2, up.revision(), "the latest revision");
        assertEquals(helm.status("up").inNamespace(ns).run(), up);

        helm.install("kept").inNamespace(ns).chart(web()).run();
        helm.uninstall("kept").inNamespace(ns).keepHistory().run();
        assertEquals(ReleaseStatus.UNINSTALLED, helm.exists("kept").inNamespace(ns).run().orElseThrow().status(),
                "uninstalled with its history kept: the name is still in use");
        helm.uninstall("up").inNamespace(ns).run();
        assertEquals(Optional.empty(), helm.exists("up").inNamespace(ns).run(), "uninstalled: absent");
    }

    @Test
    void needsUpgradeComparesValuesAndChartVersion() {
        String ns = "hmc-cmp";
        helm.install("cmp").inNamespace(ns).createNamespace().chart(web()).set("message", "v1").run();

        UpgradeCheck same = helm.needsUpgrade("cmp").inNamespace(ns).chart(web()).set("message", "v1").run();
        assertEquals(Set.of(), beyondTheManifest(same), "right after the install nothing differs: " + same);
        assertEquals(1, same.current().revision());
        assertEquals(Set.of(Difference.VALUES), beyondTheManifest(helm.needsUpgrade("cmp").inNamespace(ns).chart(web())
                .set("message", "v2").run()));
        assertEquals(Set.of(Difference.CHART_VERSION), beyondTheManifest(helm.needsUpgrade("cmp").inNamespace(ns)
                .chart(charts.webNext()).set("message", "v1").run()));
        assertEquals(Set.of(), beyondTheManifest(helm.needsUpgrade("cmp").inNamespace(ns).chart(web()).run()),
                "given no values, Helm's upgrade keeps the release's");
        assertEquals(Set.of(Difference.VALUES), beyondTheManifest(helm.needsUpgrade("cmp").inNamespace(ns).chart(web())
                .resetValues().run()), "resetValues drops the release's values");
        assertEquals(Set.of(), beyondTheManifest(helm.needsUpgrade("cmp").inNamespace(ns).chart(web()).reuseValues()
                .set("message", "v1").run()));
        UpgradeCheck absent = helm.needsUpgrade("absent").inNamespace(ns).chart(web()).run();
        assertEquals(Set.of(Difference.NOT_INSTALLED), absent.differences());
        assertTrue(absent.needed() && absent.currentRevision().isEmpty());
        assertEquals(1, helm.status("cmp").inNamespace(ns).run().revision(), "needsUpgrade changes nothing");

        helm.upgrade("cmp").inNamespace(ns).chart(charts.webNext()).set("message", "v2").run();
        UpgradeCheck after = helm.needsUpgrade("cmp").inNamespace(ns).chart(charts.webNext()).set("message", "v2").run();
        assertEquals(Set.of(), after.differences(), "what an upgrade deployed is what the check compares with: " + after);
        assertFalse(after.needed());
        assertEquals(2, after.current().revision());
    }

    // ---------------------------------------------------------------- dry runs

    @Test
    void dryRunsChangeNothing() {
        String ns = "hmc-dry";
        DryRunResult client = helm.install("preview").inNamespace(ns).chart(web()).dryRun(DryRunMode.CLIENT);
        assertEquals(DryRunMode.CLIENT, client.mode());
        assertFalse(client.upgrade());
        DryRunResult server = helm.install("preview").inNamespace(ns).chart(web()).dryRun(DryRunMode.SERVER);
        assertEquals(DryRunMode.SERVER, server.mode());
        assertEquals("contract-web", server.chartName());
        assertEquals("1.0.0", server.chartVersion(), "the dry run says which chart version it would deploy");
        assertEquals(Optional.empty(), helm.exists("preview").inNamespace(ns).run(), "an install dry run installs nothing");

        helm.install("live").inNamespace(ns).createNamespace().chart(web()).run();
        DryRunResult upgrade = helm.upgrade("live").inNamespace(ns).chart(charts.webNext()).set("message", "next").dryRun();
        assertTrue(upgrade.upgrade());
        assertEquals("1.1.0", upgrade.chartVersion());
        Release live = helm.status("live").inNamespace(ns).run();
        assertEquals(1, live.revision(), "an upgrade dry run upgrades nothing");
        assertEquals("1.0.0", live.chartVersion());
        assertEquals(Map.of(), helm.values("live").inNamespace(ns).run());
        assertEquals(1, helm.history("live").inNamespace(ns).run().size());
        assertThrows(ReleaseNotFoundException.class,
                () -> helm.upgrade("absent").inNamespace(ns).chart(web()).dryRun(DryRunMode.SERVER));
    }

    // ---------------------------------------------------------------- typed mistakes

    @Test
    void readsOfAMissingReleaseRaiseNotFound() {
        ReleaseNotFoundException e = assertThrows(ReleaseNotFoundException.class, () -> helm.status("ghost").run());
        assertTrue(e.getMessage().contains("ghost") && e.getMessage().contains("default"), e.getMessage());
        assertFalse(e.retryable());
        assertThrows(ReleaseNotFoundException.class, () -> helm.history("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.values("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.manifest("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.uninstall("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.upgrade("ghost").chart(web()).run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.rollback("ghost").run());
    }

    @Test
    void aMissingRevisionIsNotFound() {
        String ns = "hmc-revision";
        helm.install("rev").inNamespace(ns).createNamespace().chart(web()).run();
        ReleaseNotFoundException status = assertThrows(ReleaseNotFoundException.class,
                () -> helm.status("rev").inNamespace(ns).atRevision(9).run());
        assertTrue(status.getMessage().contains("rev"), status.getMessage());
        assertThrows(ReleaseNotFoundException.class, () -> helm.values("rev").inNamespace(ns).atRevision(9).run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.manifest("rev").inNamespace(ns).atRevision(9).run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.rollback("rev").inNamespace(ns).toRevision(9).run());
        assertEquals(1, helm.history("rev").inNamespace(ns).run().size(), "nothing changed");
    }

    @Test
    void installTwiceIsATypedConflictAndUpgradeCanInstall() {
        String ns = "hmc-conflict";
        helm.install("twice").inNamespace(ns).createNamespace().chart(web()).set("replicaCount", 1).run();
        ReleaseAlreadyExistsException e = assertThrows(ReleaseAlreadyExistsException.class,
                () -> helm.install("twice").inNamespace(ns).chart(web()).set("replicaCount", 2).run());
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("'twice'")
                && e.getMessage().contains("'" + ns + "'"), e.getMessage());
        assertTrue(e.helmMessage().contains("cannot re-use a name that is still in use"), e.helmMessage());
        assertEquals(Operation.INSTALL, e.operation());
        assertFalse(e.retryable());
        assertEquals(1, helm.history("twice").inNamespace(ns).run().size(), "the failed install changed nothing");
        assertEquals(Map.of("replicaCount", 1), helm.values("twice").inNamespace(ns).run());

        Release fresh = helm.upgrade("upserted").inNamespace(ns).chart(web()).installIfAbsent().run();
        assertEquals(1, fresh.revision());
        assertEquals(ReleaseStatus.DEPLOYED, fresh.status());
        assertEquals("Install complete", fresh.description());
        assertEquals(2, helm.upgrade("upserted").inNamespace(ns).chart(web()).installIfAbsent().run().revision(),
                "present: installIfAbsent upgrades");
    }

    @Test
    void badInputIsATypedInvalidRequestAndChangesNothing(@TempDir Path tmp) throws IOException {
        Path broken = Files.writeString(tmp.resolve("values-prod.yaml"), "image:\n  tag: [1.0\nreplicas: 2\n");
        assertThrows(InvalidRequestException.class, () -> helm.install("Bad_Name"));
        assertThrows(InvalidRequestException.class, () -> helm.upgrade("bad/name"));
        assertThrows(InvalidRequestException.class, () -> helm.install("x".repeat(54)), "longer than Helm's 53 characters");
        InvalidRequestException values = assertThrows(InvalidRequestException.class,
                () -> helm.install("web").inNamespace("hmc-bad").chart(web()).values(broken).run());
        assertTrue(values.getMessage().contains("values-prod.yaml") && values.getMessage().contains("line"), values.getMessage());
        InvalidRequestException chart = assertThrows(InvalidRequestException.class,
                () -> helm.install("web").inNamespace("hmc-bad").chart(ChartRef.directory(tmp.resolve("no-such-chart"))).run());
        assertTrue(chart.getMessage().contains("no-such-chart"), chart.getMessage());
        assertThrows(InvalidRequestException.class,
                () -> helm.upgrade("web").inNamespace("hmc-bad").chart(ChartRef.archive(tmp.resolve("x.tgz"))).run());
        assertThrows(InvalidRequestException.class,
                () -> helm.install("web").inNamespace("hmc-bad").chart(web()).values(tmp.resolve("missing.yaml")).dryRun());
        assertEquals(Optional.empty(), helm.exists("web").inNamespace("hmc-bad").run(), "nothing was installed");
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

    private String liveMessage(String ns, String release) {
        return environment.liveConfigMap(ns, release + "-config").orElseThrow(() -> new AssertionError("no ConfigMap " + release
                + "-config in " + ns)).get("message");
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
        List<ReadinessProgress> seen = new CopyOnWriteArrayList<>();
        helm.install("watched").inNamespace("hmc-progress").createNamespace().chart(web()).set("replicaCount", 2)
                .onProgress(seen::add).waitReady(Duration.ofMinutes(1)).run();
        assertFalse(seen.isEmpty());
        ReadinessProgress last = seen.get(seen.size() - 1);
        assertEquals(last.resources().size(), last.readyCount(), last.toString());
        assertTrue(last.resources().stream().anyMatch(r -> r.id().equals("deployment/watched")), last.toString());
    }
}
