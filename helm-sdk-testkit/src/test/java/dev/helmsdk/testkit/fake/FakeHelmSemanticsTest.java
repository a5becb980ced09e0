package dev.helmsdk.testkit.fake;

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
import dev.helmsdk.api.ChartRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.helmsdk.testkit.fake.FakeCharts.PREVIEW;
import static dev.helmsdk.testkit.fake.FakeCharts.PREVIEW_2;
import static dev.helmsdk.testkit.fake.FakeCharts.WEB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helm's semantics on the fake, through the public {@link HelmManager} API only (the cases mirror
 * the real manager's HelmManagerContract, so they can be lifted into a contract run against both).
 */
class FakeHelmSemanticsTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    HelmManager helm;

    /** The manager under test; a contract would run these cases against the real one too. */
    HelmManager manager() {
        return FakeHelmManager.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    @BeforeEach
    void start() {
        helm = manager();
    }

    @AfterEach
    void stop() {
        helm.close();
    }

    @Test
    void installUpgradeHistoryValuesAndUninstall() {
        Release r1 = helm.install("shop").inNamespace("shop").createNamespace().chart(WEB)
                .set("replicaCount", 2).set("message", "v1").run();
        assertEquals(1, r1.revision());
        assertEquals(ReleaseStatus.DEPLOYED, r1.status());
        assertEquals("shop", r1.namespace());
        assertEquals("sdk-web", r1.chartName());
        assertEquals("0.3.0", r1.chartVersion());
        assertEquals("2.1", r1.appVersion());
        assertEquals("Install complete", r1.description());
        assertEquals(NOW, r1.lastDeployed());
        assertEquals(r1, helm.status("shop").inNamespace("shop").run(), "the result is the record as stored");

        Release r2 = helm.upgrade("shop").inNamespace("shop").chart(WEB).set("replicaCount", 2).set("message", "v2").run();
        assertEquals(2, r2.revision());
        assertEquals("Upgrade complete", r2.description());
        List<Release> history = helm.history("shop").inNamespace("shop").run();
        assertEquals(List.of(1, 2), history.stream().map(Release::revision).toList());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED), history.stream().map(Release::status).toList());
        assertEquals(ReleaseStatus.SUPERSEDED, helm.status("shop").inNamespace("shop").atRevision(1).run().status());

        assertEquals(Map.of("replicaCount", 2, "message", "v2"), helm.values("shop").inNamespace("shop").run());
        assertEquals(Map.of("replicaCount", 2, "message", "v1"), helm.values("shop").inNamespace("shop").atRevision(1).run());
        Map<String, Object> all = helm.values("shop").inNamespace("shop").allValues().run();
        assertEquals("v2", all.get("message"));
        assertEquals(Map.of("keep", "default"), all.get("extra"), "chart defaults are merged in");
        assertEquals(Map.of("repository", "nginx", "tag", "1.27"), all.get("image"));

        assertEquals(List.of("shop"), helm.list().inNamespace("shop").run().stream().map(Release::name).toList());
        Release removed = helm.uninstall("shop").inNamespace("shop").run();
        assertEquals(2, removed.revision());
        assertEquals(ReleaseStatus.DEPLOYED, removed.status(), "the last revision as it stood before removal");
        assertThrows(ReleaseNotFoundException.class, () -> helm.status("shop").inNamespace("shop").run());
        assertTrue(helm.list().inNamespace("shop").run().isEmpty());
        assertEquals(Optional.empty(), helm.exists("shop").inNamespace("shop").run());
    }

    @Test
    void uninstallWithKeepHistoryKeepsTheRecordsAndTheName() {
        helm.install("kept").inNamespace("keep").chart(WEB).run();
        helm.upgrade("kept").inNamespace("keep").chart(WEB).set("message", "two").run();
        helm.uninstall("kept").inNamespace("keep").keepHistory().run();
        Release status = helm.status("kept").inNamespace("keep").run();
        assertEquals(ReleaseStatus.UNINSTALLED, status.status());
        assertEquals("Uninstallation complete", status.description());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.UNINSTALLED),
                helm.history("kept").inNamespace("keep").run().stream().map(Release::status).toList());
        assertTrue(helm.list().inNamespace("keep").run().isEmpty(), "uninstalled releases are hidden by default");
        assertEquals(List.of("kept"), helm.list().inNamespace("keep").withStatus(ReleaseStatus.UNINSTALLED).run()
                .stream().map(Release::name).toList());
        assertEquals(ReleaseStatus.UNINSTALLED, helm.exists("kept").inNamespace("keep").run().orElseThrow().status());
        assertThrows(ReleaseAlreadyExistsException.class, () -> helm.install("kept").inNamespace("keep").chart(WEB).run(),
                "the name is still in use, as in Helm");
        Release back = helm.rollback("kept").inNamespace("keep").toRevision(1).run();
        assertEquals(3, back.revision());
        assertEquals(ReleaseStatus.DEPLOYED, back.status());
        helm.uninstall("kept").inNamespace("keep").run();
        assertEquals(Optional.empty(), helm.exists("kept").inNamespace("keep").run(), "uninstalled without history: gone");
    }

    @Test
    void dryRunsTemplatesAndChecksChangeNothing() {
        DryRunResult install = helm.install("preview").inNamespace("dry").chart(WEB).set("message", "planned").dryRun(DryRunMode.SERVER);
        assertEquals("sdk-web", install.chartName());
        assertEquals("0.3.0", install.chartVersion());
        assertFalse(install.upgrade());
        assertEquals(Optional.empty(), helm.exists("preview").inNamespace("dry").run());

        helm.install("live").inNamespace("dry").chart(WEB).run();
        DryRunResult upgrade = helm.upgrade("live").inNamespace("dry").chart(WEB).set("message", "next").dryRun();
        assertTrue(upgrade.upgrade());
        helm.template("live").inNamespace("dry").chart(WEB).set("message", "t").run();
        helm.needsUpgrade("live").inNamespace("dry").chart(WEB).set("message", "n").run();
        assertEquals(1, helm.status("live").inNamespace("dry").run().revision());
        assertEquals(Map.of(), helm.values("live").inNamespace("dry").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.upgrade("absent").inNamespace("dry").chart(WEB).dryRun(DryRunMode.SERVER));
    }

    @Test
    void badInputIsTypedAndChangesNothing(@TempDir Path tmp) throws Exception {
        Path broken = Files.writeString(tmp.resolve("values-prod.yaml"), "image:\n  tag: [1.0\nreplicas: 2\n");
        assertThrows(InvalidRequestException.class, () -> helm.install("Bad_Name"));
        InvalidRequestException values = assertThrows(InvalidRequestException.class,
                () -> helm.install("web").chart(WEB).values(broken).run());
        assertTrue(values.getMessage().contains("values-prod.yaml") && values.getMessage().contains("line"), values.getMessage());
        InvalidRequestException chart = assertThrows(InvalidRequestException.class,
                () -> helm.install("web").chart(ChartRef.directory(tmp.resolve("no-such-chart"))).run());
        assertTrue(chart.getMessage().contains("no-such-chart"), chart.getMessage());
        assertThrows(InvalidRequestException.class, () -> helm.upgrade("web").chart(ChartRef.archive(tmp.resolve("x.tgz"))).run());
        assertThrows(InvalidRequestException.class, () -> helm.install("web").chart(WEB).values(tmp.resolve("missing.yaml")).dryRun());
        assertEquals(Optional.empty(), helm.exists("web").run(), "nothing was installed");
    }

    @Test
    void readsOfAMissingReleaseRaiseNotFound() {
        ReleaseNotFoundException e = assertThrows(ReleaseNotFoundException.class, () -> helm.status("ghost").run());
        assertTrue(e.getMessage().contains("ghost") && e.getMessage().contains("default"), e.getMessage());
        assertFalse(e.retryable());
        assertThrows(ReleaseNotFoundException.class, () -> helm.history("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.values("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.manifest("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.uninstall("ghost").run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.upgrade("ghost").chart(WEB).run());
        assertThrows(ReleaseNotFoundException.class, () -> helm.test("ghost").run());
        helm.install("one").chart(WEB).run();
        ReleaseNotFoundException revision = assertThrows(ReleaseNotFoundException.class, () -> helm.status("one").atRevision(4).run());
        assertTrue(revision.getMessage().contains("no revision 4"), revision.getMessage());
    }

    @Test
    void installTwiceIsATypedConflictAndUpgradeCanInstall() {
        helm.install("twice").inNamespace("conflict").chart(WEB).set("replicaCount", 1).run();
        ReleaseAlreadyExistsException e = assertThrows(ReleaseAlreadyExistsException.class,
                () -> helm.install("twice").inNamespace("conflict").chart(WEB).set("replicaCount", 2).run());
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("'twice'")
                && e.getMessage().contains("'conflict'"), e.getMessage());
        assertTrue(e.helmMessage().contains("cannot re-use a name that is still in use"), e.helmMessage());
        assertEquals(Operation.INSTALL, e.operation());
        assertEquals(1, helm.history("twice").inNamespace("conflict").run().size(), "the failed install changed nothing");
        assertEquals(Map.of("replicaCount", 1), helm.values("twice").inNamespace("conflict").run());

        Release fresh = helm.upgrade("upserted").inNamespace("conflict").chart(WEB).installIfAbsent().run();
        assertEquals(1, fresh.revision());
        assertEquals("Install complete", fresh.description());
        assertEquals(2, helm.upgrade("upserted").inNamespace("conflict").chart(WEB).installIfAbsent().run().revision());
    }

    @Test
    void anUpgradeWithoutValuesKeepsTheReleasesReuseMergesResetDrops() {
        helm.install("v").chart(WEB).set("message", "one").set("replicaCount", 3).run();
        helm.upgrade("v").chart(WEB).run();
        assertEquals(Map.of("message", "one", "replicaCount", 3), helm.values("v").run(), "no values given: Helm 3 keeps the release's");
        helm.upgrade("v").chart(WEB).set("message", "two").run();
        assertEquals(Map.of("message", "two"), helm.values("v").run(), "values given: only those");
        helm.upgrade("v").chart(WEB).reuseValues().set("image.tag", "1.28").run();
        assertEquals(Map.of("message", "two", "image", Map.of("tag", "1.28")), helm.values("v").run(), "reuse: merged over the release's");
        assertEquals(Map.of("repository", "nginx", "tag", "1.28"), helm.values("v").allValues().run().get("image"));
        helm.upgrade("v").chart(WEB).resetValues().run();
        assertEquals(Map.of(), helm.values("v").run(), "reset: only the new ones, here none");
        assertEquals("hello", helm.values("v").allValues().run().get("message"), "the chart's default again");
        helm.upgrade("v").chart(WEB).set("extra.keep", null).run();
        assertFalse(((Map<?, ?>) helm.values("v").allValues().run().get("extra")).containsKey("keep"), "a null removes a default");
    }

    @Test
    void rollbackRestoresAnEarlierRevisionAsANewOne() {
        helm.install("rb").inNamespace("rollback").chart(WEB).set("message", "one").run();
        helm.upgrade("rb").inNamespace("rollback").chart(PREVIEW).set("message", "two").run();
        helm.upgrade("rb").inNamespace("rollback").chart(WEB).set("message", "three").run();
        Release back = helm.rollback("rb").inNamespace("rollback").toRevision(1).run();
        assertEquals(4, back.revision());
        assertEquals(ReleaseStatus.DEPLOYED, back.status());
        assertEquals("Rollback to 1", back.description());
        assertEquals(helm.values("rb").inNamespace("rollback").atRevision(1).run(), helm.values("rb").inNamespace("rollback").run());
        assertEquals(List.of(ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.SUPERSEDED, ReleaseStatus.DEPLOYED),
                helm.history("rb").inNamespace("rollback").run().stream().map(Release::status).toList());
        Release previous = helm.rollback("rb").inNamespace("rollback").run();
        assertEquals(5, previous.revision());
        assertEquals("Rollback to 3", previous.description(), "the default is the revision before the latest");
        Release toTwo = helm.rollback("rb").inNamespace("rollback").toRevision(2).run();
        assertEquals("sdk-preview", toTwo.chartName(), "the chart of revision 2");
    }

    @Test
    void rollbackRejectsWhatCannotBeRolledBackAndChangesNothing() {
        assertThrows(ReleaseNotFoundException.class, () -> helm.rollback("nobody").inNamespace("rollback-bad").run());
        helm.install("single").inNamespace("rollback-bad").chart(WEB).run();
        InvalidRequestException single = assertThrows(InvalidRequestException.class,
                () -> helm.rollback("single").inNamespace("rollback-bad").run());
        assertTrue(single.getMessage().contains("single revision"), single.getMessage());
        helm.upgrade("single").inNamespace("rollback-bad").chart(WEB).set("message", "two").run();
        ReleaseNotFoundException missing = assertThrows(ReleaseNotFoundException.class,
                () -> helm.rollback("single").inNamespace("rollback-bad").toRevision(7).run());
        assertTrue(missing.getMessage().contains("no revision 7") && missing.getMessage().contains("[1, 2]"), missing.getMessage());
        assertEquals(2, helm.history("single").inNamespace("rollback-bad").run().size(), "nothing changed");
    }

    @Test
    void listCoversOneOrAllNamespacesAndFiltersByStatus() {
        helm.install("alpha").inNamespace("list-b").chart(WEB).run();
        helm.install("beta").inNamespace("list-a").chart(WEB).run();
        helm.upgrade("beta").inNamespace("list-a").chart(WEB).set("message", "two").run();
        helm.install("gamma").inNamespace("list-a").chart(WEB).run();
        helm.uninstall("gamma").inNamespace("list-a").keepHistory().run();
        assertEquals(List.of("alpha"), helm.list().inNamespace("list-b").run().stream().map(Release::name).toList());
        List<Release> all = helm.list().allNamespaces().run();
        assertEquals(List.of("list-a/beta", "list-b/alpha"), all.stream().map(r -> r.namespace() + "/" + r.name()).toList(),
                "sorted by namespace, then name; uninstalled hidden");
        assertEquals(2, all.get(0).revision(), "the latest revision of each release");
        assertTrue(helm.list().allNamespaces().withStatus(ReleaseStatus.FAILED).run().isEmpty());
        assertEquals(List.of("gamma"), helm.list().allNamespaces().withStatus(ReleaseStatus.UNINSTALLED).run().stream()
                .map(Release::name).toList());
        assertEquals(List.of(), helm.list().run(), "the default namespace has none");
    }

    @Test
    void maxHistoryPrunesOldRevisionsButNeverTheDeployedOne() {
        HelmManager short3 = FakeHelmManager.builder().maxHistory(3).build();
        short3.install("hist").inNamespace("history").chart(WEB).run();
        for (int i = 2; i <= 5; i++) {
            short3.upgrade("hist").inNamespace("history").chart(WEB).set("message", "v" + i).run();
        }
        assertEquals(List.of(3, 4, 5), short3.history("hist").inNamespace("history").run().stream().map(Release::revision).toList());
        Release back = short3.rollback("hist").inNamespace("history").toRevision(3).run();
        assertEquals(6, back.revision());
        assertEquals(List.of(4, 5, 6), short3.history("hist").inNamespace("history").run().stream().map(Release::revision).toList());
        assertEquals(Map.of("message", "v3"), short3.values("hist").inNamespace("history").run());
    }

    @Test
    void existsAnswersForEveryStateWithoutAnException() {
        assertEquals(Optional.empty(), helm.exists("nothing").inNamespace("exists").run());
        helm.install("up").inNamespace("exists").chart(WEB).run();
        helm.upgrade("up").inNamespace("exists").chart(WEB).set("message", "two").run();
        Release up = helm.exists("up").inNamespace("exists").run().orElseThrow();
        assertEquals(2, up.revision());
        assertEquals(helm.status("up").inNamespace("exists").run(), up);
    }

    @Test
    void needsUpgradeComparesChartAndValuesWithTheDeployedRevision() {
        helm.install("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v1").run();
        UpgradeCheck same = helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v1").run();
        assertFalse(same.needed(), same.toString());
        assertEquals(1, same.current().revision());
        assertEquals(Set.of(Difference.VALUES), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v2").run().differences());
        assertEquals(Set.of(Difference.CHART_VERSION), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW_2).set("message", "v1").run().differences());
        assertEquals(Set.of(Difference.CHART_NAME, Difference.CHART_VERSION),
                helm.needsUpgrade("cmp").inNamespace("cmp").chart(WEB).set("message", "v1").run().differences());
        assertEquals(Set.of(), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).run().differences(),
                "given no values, Helm's upgrade copies the release's");
        assertEquals(Set.of(Difference.VALUES), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).resetValues().run().differences());
        assertEquals(Set.of(), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).reuseValues().set("message", "v1").run().differences());
        assertEquals(Set.of(), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW).set("message", "v1.0").set("message", "v1").run().differences());
        UpgradeCheck absent = helm.needsUpgrade("absent").inNamespace("cmp").chart(PREVIEW).run();
        assertEquals(Set.of(Difference.NOT_INSTALLED), absent.differences());
        assertTrue(absent.needed() && absent.currentRevision().isEmpty());
        helm.upgrade("cmp").inNamespace("cmp").chart(PREVIEW_2).set("message", "v2").run();
        assertEquals(Set.of(), helm.needsUpgrade("cmp").inNamespace("cmp").chart(PREVIEW_2).set("message", "v2").run().differences());
    }
}
