package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The MDC an operation's lines carry: on its worker thread, in a nested operation, and the caller's own given back.
 * Here, not in core: core's tests log through slf4j-simple, which keeps no MDC.
 */
class OperationRunnerMdcTest {

    private final OperationRunner runner = new OperationRunner(null);

    @AfterEach
    void close() {
        runner.close();
        MDC.clear();
    }

    @Test
    void anOperationsLinesCarryItsMdcOnTheWorkerAndANestedOneGivesTheOuterBack() {
        MDC.put("request", "caller's own");
        List<Map<String, String>> seen = runner.run(Operation.UPGRADE, "web", "apps", Duration.ofSeconds(5), () -> {
            Map<String, String> outer = MDC.getCopyOfContextMap();
            Map<String, String> inner = runner.runNested(Operation.ROLLBACK, "web", "apps", MDC::getCopyOfContextMap);
            return List.of(outer, inner, MDC.getCopyOfContextMap());
        });
        assertEquals("upgrade", seen.get(0).get("helm.operation"));
        assertEquals("web", seen.get(0).get("helm.release"));
        assertEquals("apps", seen.get(0).get("helm.namespace"));
        assertEquals("caller's own", seen.get(0).get("request"), "the worker has the caller's MDC");
        assertEquals("rollback", seen.get(1).get("helm.operation"));
        assertNotEquals(seen.get(0).get("helm.operation_id"), seen.get(1).get("helm.operation_id"), "the nested one has its own id");
        assertEquals(seen.get(0), seen.get(2), "the nested operation gave the outer's keys back");
        assertEquals(Map.of("request", "caller's own"), MDC.getCopyOfContextMap(), "the caller's MDC as it was");
        // The inline path, on the caller's thread.
        Map<String, String> inline = runner.runInline(Operation.STATUS, "web", "apps", Duration.ofSeconds(5), MDC::getCopyOfContextMap);
        assertEquals("status", inline.get("helm.operation"));
        assertEquals(Map.of("request", "caller's own"), MDC.getCopyOfContextMap());
    }
}
