package dev.helmsdk.core.internal;

import dev.helmsdk.api.ReleaseStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.helmsdk.api.ReleaseStatus.DEPLOYED;
import static dev.helmsdk.api.ReleaseStatus.FAILED;
import static dev.helmsdk.api.ReleaseStatus.PENDING_UPGRADE;
import static dev.helmsdk.api.ReleaseStatus.SUPERSEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helm's rules (rollback.go, upgrade.go) for the statuses earlier revisions keep. */
class HistoryRulesTest {

    @Test
    void aRollbackSupersedesDeployedRevisionsOnly() {
        assertEquals(Map.of(1, SUPERSEDED, 2, SUPERSEDED, 3, FAILED, 4, PENDING_UPGRADE),
                HistoryRules.afterRollback(Map.of(1, SUPERSEDED, 2, DEPLOYED, 3, FAILED, 4, PENDING_UPGRADE)));
    }

    @Test
    void aRollbackWhoseApplyFailedSupersedesTheLatestEarlierRevision() {
        assertEquals(Map.of(1, DEPLOYED, 2, SUPERSEDED),
                HistoryRules.afterFailedRollbackApply(Map.of(1, DEPLOYED, 2, FAILED)));
    }

    @Test
    void aFailedWaitChangesNothingEarlier() {
        Map<Integer, ReleaseStatus> before = Map.of(1, SUPERSEDED, 2, DEPLOYED);
        assertEquals(before, HistoryRules.afterFailedWait(before));
    }

    @Test
    void theDeployedRevisionIsTheNewestMarkedDeployed() {
        assertEquals(3, HistoryRules.deployed(Map.of(1, DEPLOYED, 2, FAILED, 3, DEPLOYED)));
        assertEquals(0, HistoryRules.deployed(Map.of(1, SUPERSEDED, 2, FAILED)));
    }
}
