package dev.helmsdk.core.internal.telemetry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** (Here, not in core: core tests log through slf4j-simple, which keeps no MDC.) A pooled thread runs carried work with the submitter's MDC and keeps none of it afterwards. */
class LogContextTest {

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        pool.shutdownNow();
        MDC.clear();
    }

    @Test
    void carriedWorkHasTheSubmittersMdcAndThePooledThreadGetsItsOwnBack() throws Exception {
        pool.submit(() -> MDC.put("pool", "own")).get();
        MDC.put(LogContext.OPERATION_ID, "op-1");
        assertEquals(Map.of(LogContext.OPERATION_ID, "op-1"), pool.submit(LogContext.carried(MDC::getCopyOfContextMap)).get());
        assertEquals(Map.of("pool", "own"), pool.submit(MDC::getCopyOfContextMap).get(), "nothing stale left on the pooled thread");
        MDC.clear();
        pool.submit(LogContext.carried(() -> MDC.put("leak", "x"))).get();
        assertEquals(Map.of("pool", "own"), pool.submit(MDC::getCopyOfContextMap).get(), "not even what the work itself put");
    }
}
