package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseAlreadyExistsException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The cases of {@link HelmManagerContract} about a release's revisions, every manager must pass them: numbering,
 * statuses and descriptions, uninstall with and without history, history limits, concurrent changes, rollback.
 */
abstract class RevisionCases extends ContractSupport {

    /** For the contract. */
    RevisionCases() {
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
            // Changes of another manager: one that keeps a release cache shows them once its watch has delivered them.
            long until = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            List<Integer> seen = revisions(helm.history("hist").inNamespace("hmc-history").run());
            while (!seen.equals(List.of(4, 5, 6)) && System.nanoTime() < until) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                seen = revisions(helm.history("hist").inNamespace("hmc-history").run());
            }
            assertEquals(List.of(4, 5, 6), seen, "the other manager sees the same records");
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
}
