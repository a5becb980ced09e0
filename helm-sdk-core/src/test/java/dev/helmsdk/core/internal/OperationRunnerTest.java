package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReleaseNotFoundException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationRunnerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OperationRunner runner = new OperationRunner(registry, Interceptors.of(java.util.List.of(
            new dev.helmsdk.core.internal.telemetry.MeterInterceptor(registry, false))));

    @AfterEach
    void close() {
        runner.close();
    }

    // The slow call under test: the runner's bound must cut it short, so it really takes its time.
    private static String sleepInterruptibly(long millis) {
        try {
            Thread.sleep(millis);
            return "slept";
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Test
    void inlineCallsRunOnTheCallersThreadAndLeaveNoInterrupt() {
        Thread caller = Thread.currentThread();
        assertSame(caller, runner.runInline(Operation.STATUS, "web", "apps", Duration.ofSeconds(5), Thread::currentThread));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(1, registry.get("helm.sdk.operations").tag("operation", "status").tag("outcome", "success").timer().count());
    }

    @Test
    void inlineCallsAreInterruptedAtTheirLimit() {
        long start = System.nanoTime();
        OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> runner.runInline(Operation.STATUS,
                "web", "apps", Duration.ofMillis(200), () -> sleepInterruptibly(10_000)));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 2_000, "returned after " + tookMs + " ms");
        assertEquals(Duration.ofMillis(200), e.timeout());
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is cleared after the timeout");
        assertEquals("slept", runner.runInline(Operation.STATUS, "web", "apps", Duration.ofSeconds(5), () -> sleepInterruptibly(10)),
                "the thread is usable afterwards");
        assertEquals(1, registry.get("helm.sdk.operations").tag("outcome", "operation_timeout").timer().count());
    }

    @Test
    void typedFailuresPassThroughUntouched() {
        ReleaseNotFoundException nf = new ReleaseNotFoundException(Operation.STATUS, "web", "no");
        assertSame(nf, assertThrows(ReleaseNotFoundException.class, () -> runner.runInline(Operation.STATUS, "web", "apps",
                Duration.ofSeconds(5), () -> {
                    throw nf;
                })));
        assertSame(nf, assertThrows(ReleaseNotFoundException.class, () -> runner.run(Operation.STATUS, "web", "apps",
                Duration.ofSeconds(5), () -> {
                    throw nf;
                })));
    }

    @Test
    void workerCallsReturnAtTheirLimitEvenWhenTheWorkCannotBeInterrupted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        long start = System.nanoTime();
        assertThrows(OperationTimeoutException.class, () -> runner.run(Operation.INSTALL, "web", "apps", Duration.ofMillis(200), () -> {
            // Stands for a native call: ignores interrupts until released.
            while (true) {
                try {
                    release.await();
                    return "done";
                } catch (InterruptedException ignored) {
                    // like native code, carries on
                }
            }
        }));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        release.countDown();
        assertTrue(tookMs < 2_000, "returned after " + tookMs + " ms");
    }

    @Test
    void aTimeoutNamesThePhaseTheWorkWasIn() {
        CountDownLatch release = new CountDownLatch(1);
        OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> runner.run(Operation.INSTALL, "web", "apps",
                Duration.ofMillis(300), () -> runner.currentDeadline().orElseThrow().during(null, "asking the vault", () -> {
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    return "done";
                })));
        release.countDown();
        assertTrue(e.getMessage().contains("did not finish within PT0.3S (it was asking the vault)"), e.getMessage());
    }

    /** An interruptible read unwinds its phases before the runner reports: the phase named is the one the time ran out in. */
    @Test
    void anInlineTimeoutNamesTheInnermostPhaseTheTimeRanOutIn() {
        OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> runner.runInline(Operation.STATUS, "web", "apps",
                Duration.ofMillis(200), () -> {
                    Deadline d = runner.currentDeadline().orElseThrow();
                    d.during(null, "reading records", () -> "read");
                    return d.during(dev.helmsdk.api.spi.OperationPhase.WAIT, "waiting", () -> d.during(dev.helmsdk.api.spi.OperationPhase.CREDENTIALS, "running the plugin", () -> sleepInterruptibly(10_000)));
                }));
        assertTrue(e.getMessage().contains("(it was running the plugin)"), e.getMessage());
        assertEquals(java.util.Optional.of(dev.helmsdk.api.spi.OperationPhase.CREDENTIALS), e.phase(), "the typed phase too");
    }

    /** What a body is bounded by is the deadline the runner enforces: no second clock. */
    @Test
    void theBodysDeadlineIsTheOneTheRunnerEnforces() {
        Duration left = runner.run(Operation.INSTALL, "web", "apps", Duration.ofSeconds(3),
                () -> runner.currentDeadline().orElseThrow().remaining());
        assertTrue(left.compareTo(Duration.ofSeconds(3)) <= 0 && left.compareTo(Duration.ofMillis(2500)) > 0, left.toString());
        assertTrue(runner.currentDeadline().isEmpty(), "outside an operation there is none");
        DeadlinePassedException passed = assertThrows(DeadlinePassedException.class, () -> Deadline.after(Duration.ZERO).remainingFor("a request"));
        assertTrue(passed.getMessage().contains("before a request; nothing was sent"), passed.getMessage());
    }
}
