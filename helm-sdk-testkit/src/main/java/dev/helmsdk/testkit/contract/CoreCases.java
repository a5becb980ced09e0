package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseAlreadyExistsException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cases of {@link HelmManagerContract} every manager must pass, whatever its capabilities: revisions,
 * statuses, descriptions, history, rollback, list, values, exists, needsUpgrade, dry runs and the typed
 * exceptions of mistakes.
 */
abstract class CoreCases extends ContractSupport {

    /** For the contract. */
    CoreCases() {
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

        Release back = helm.rollback("kept").inNamespace("hmc-keep").toRevision(1).run();
        assertEquals(3, back.revision(), "an uninstalled release with its history can be rolled back");
        assertEquals(ReleaseStatus.DEPLOYED, back.status());
        assertEquals("Rollback to 1", back.description());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.UNINSTALLED, ReleaseStatus.DEPLOYED),
                statuses(helm.history("kept").inNamespace("hmc-keep").run()));
        assertEquals(List.of("kept"), helm.list().inNamespace("hmc-keep").run().stream().map(Release::name).toList());
        helm.uninstall("kept").inNamespace("hmc-keep").run();
        assertEquals(Optional.empty(), helm.exists("kept").inNamespace("hmc-keep").run(), "uninstalled without history: gone");
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
        helm.upgrade("rv").inNamespace(ns).chart(web()).set("extra.keep", null).run();
        Map<?, ?> extra = (Map<?, ?>) helm.values("rv").inNamespace(ns).allValues().run().get("extra");
        assertFalse(extra != null && extra.containsKey("keep"), "a null removes the chart's default: " + extra);
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

    @Test
    void anActorsViewSharesTheReleasesAndClosingItClosesNothing() {
        String ns = "hmc-actor";
        HelmManager ci = helm.withActor("ci:deploy#7");
        Release r = ci.install("acted").inNamespace(ns).createNamespace().chart(web()).run();
        ci.close();
        assertEquals(r, helm.status("acted").inNamespace(ns).run(), "the view changed the manager's releases");
        assertEquals(2, helm.withActor("someone-else").upgrade("acted").inNamespace(ns).chart(web()).set("message", "two")
                .run().revision(), "closing a view closed nothing");
        assertThrows(InvalidRequestException.class, () -> helm.withActor(" "));
        assertThrows(InvalidRequestException.class, () -> helm.withActor("one\nforged line"));
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
        assertThrows(ReleaseNotFoundException.class, () -> helm.test("ghost").run());
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
}
