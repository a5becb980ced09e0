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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cases of {@link HelmManagerContract} every manager must pass, whatever its capabilities: list, values,
 * exists, needsUpgrade, dry runs and the typed exceptions of mistakes; those about revisions, history and
 * rollback are inherited from {@link RevisionCases}.
 */
abstract class CoreCases extends RevisionCases {

    /** For the contract. */
    CoreCases() {
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
    void aFreshReleaseHasNotDriftedAndCorrectingItWritesNoRevision() {
        String ns = "hmc-drift";
        Release installed = helm.install("steady").inNamespace(ns).createNamespace().chart(web()).run();
        dev.helmsdk.api.report.DriftReport drift = helm.drift("steady").inNamespace(ns).run();
        assertFalse(drift.hasDrift(), "what was just deployed is what is live: " + drift);
        assertEquals(installed.revision(), drift.revision(), "compared with the deployed revision");
        assertEquals("steady", drift.releaseName());
        assertEquals(ns, drift.namespace());
        dev.helmsdk.api.report.DriftReport corrected = helm.drift("steady").inNamespace(ns).correct();
        assertEquals(List.of(), corrected.corrected(), "nothing drifted, nothing re-applied");
        assertEquals(1, helm.history("steady").inNamespace(ns).run().size(), "a correction records no revision");
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
        assertThrows(ReleaseNotFoundException.class, () -> helm.test("ghost").results());
        assertThrows(ReleaseNotFoundException.class, () -> helm.test("ghost").lastResults());
        assertThrows(ReleaseNotFoundException.class, () -> helm.drift("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.drift("ghost").correct());
    }

    @Test
    void aReleaseWithoutTestHooksReportsNoTestsAndPasses() {
        String ns = "hmc-tests";
        helm.install("untested").inNamespace(ns).createNamespace().chart(web()).run();
        dev.helmsdk.api.TestReport report = helm.test("untested").inNamespace(ns).results();
        assertEquals(new dev.helmsdk.api.TestReport("untested", ns, 1, java.util.List.of()), report);
        assertTrue(report.passed(), "no test hooks pass, as in Helm");
        assertEquals(report, helm.test("untested").inNamespace(ns).lastResults());
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
