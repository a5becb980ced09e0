package dev.helmsdk.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dry run result made by an engine of one's own: a wrong operation is the SDK's typed error, naming what to give. */
class DryRunResultTest {

    private static final RenderedManifest NOTHING = new RenderedManifest("", List.of());

    private static DryRunResult of(boolean upgrade, Operation op) {
        return new DryRunResult("web", "apps", DryRunMode.CLIENT, upgrade, "web", "1.0.0", NOTHING, "", List.of(), List.of(), op);
    }

    @Test
    void anOperationThatIsNoDeployChangeIsAnInvalidRequestNamingTheOnesAllowed() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> of(false, Operation.LIST));
        assertTrue(e.getMessage().contains("not LIST") && e.getMessage().contains("INSTALL, UPGRADE or ROLLBACK"), e.getMessage());
        assertEquals("web", e.releaseName().orElseThrow());
    }

    @Test
    void anUpgradeFlagThatContradictsTheOperationIsAnInvalidRequest() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> of(true, Operation.ROLLBACK));
        assertTrue(e.getMessage().contains("upgrade must be true exactly for Operation.UPGRADE"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> of(false, Operation.UPGRADE));
        assertEquals(Operation.ROLLBACK, of(false, Operation.ROLLBACK).operation());
        assertEquals(Operation.UPGRADE, of(true, Operation.UPGRADE).operation());
    }
}
