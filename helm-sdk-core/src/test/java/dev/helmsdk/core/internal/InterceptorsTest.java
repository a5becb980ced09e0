package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.api.spi.OperationOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner shows every operation to its interceptors, in order, with nested steps under their parent. */
class InterceptorsTest {

    /** Registered in this module's test resources, for discovery. */
    public static final class Discovered implements OperationInterceptor {
    }

    private static final class Recorder implements OperationInterceptor {
        final String name;
        final int order;
        final List<String> log;

        Recorder(String name, int order, List<String> log) {
            this.name = name;
            this.order = order;
            this.log = log;
        }

        @Override
        public int order() {
            return order;
        }

        @Override
        public void before(OperationEvent e) {
            log.add(name + " before " + e.operation().tag() + (e.remediation() ? " (remediation)" : ""));
        }

        @Override
        public void after(OperationEvent e, OperationOutcome o) {
            log.add(name + " after " + e.operation().tag() + " " + (o.succeeded() ? "ok" : o.failure().get().getClass().getSimpleName()));
        }
    }

    @Test
    void discoveryFindsRegisteredInterceptorsAndSkipsABrokenEntry() {
        List<OperationInterceptor> found = Interceptors.discover(getClass().getClassLoader());
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0) instanceof Discovered);
    }

    @Test
    void beforeRunsLowestOrderFirstAndAfterInReverseWithTheOutcome() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (OperationRunner runner = new OperationRunner(null, Interceptors.of(List.of(new Recorder("b", 2, log), new Recorder("a", 1, log))))) {
            runner.runInline(Operation.STATUS, "r", "ns", Duration.ofSeconds(5), () -> "ok");
            assertThrows(InvalidRequestException.class, () -> runner.run(Operation.INSTALL, "r", "ns", Duration.ofSeconds(5), () -> {
                throw new InvalidRequestException(Operation.INSTALL, "r", "bad");
            }));
        }
        assertEquals(List.of("a before status", "b before status", "b after status ok", "a after status ok",
                "a before install", "b before install", "b after install InvalidRequestException", "a after install InvalidRequestException"), log);
    }

    @Test
    void aNestedStepIsAnOperationWhoseParentIsTheRunningOne() {
        List<OperationEvent> before = new CopyOnWriteArrayList<>();
        OperationInterceptor seeing = new OperationInterceptor() {
            @Override
            public void before(OperationEvent e) {
                before.add(e);
            }
        };
        try (OperationRunner runner = new OperationRunner(null, Interceptors.of(List.of(seeing)))) {
            runner.run(Operation.UPGRADE, "r", "ns", Duration.ofSeconds(5),
                    () -> runner.runNested(Operation.ROLLBACK, "r", "ns", () -> "rolled back"));
        }
        assertEquals(2, before.size());
        OperationEvent upgrade = before.get(0);
        OperationEvent rollback = before.get(1);
        assertFalse(upgrade.remediation());
        assertEquals(Operation.ROLLBACK, rollback.operation());
        assertEquals(upgrade.id(), rollback.parentId().orElseThrow());
    }

    @Test
    void aVetoStopsTheOperationAndAnAfterThatThrowsIsIgnored() {
        List<String> log = new CopyOnWriteArrayList<>();
        HelmSdkException no = new InvalidRequestException(Operation.INSTALL, "r", "policy says no");
        OperationInterceptor veto = new OperationInterceptor() {
            @Override
            public int order() {
                return 5;
            }

            @Override
            public void before(OperationEvent e) {
                throw no;
            }
        };
        OperationInterceptor brokenAfter = new OperationInterceptor() {
            @Override
            public void after(OperationEvent e, OperationOutcome o) {
                throw new IllegalStateException("audit sink down");
            }
        };
        List<Boolean> ran = new CopyOnWriteArrayList<>();
        try (OperationRunner runner = new OperationRunner(null, Interceptors.of(List.of(new Recorder("a", 1, log), veto)))) {
            assertSame(no, assertThrows(InvalidRequestException.class,
                    () -> runner.run(Operation.INSTALL, "r", "ns", Duration.ofSeconds(5), () -> ran.add(true))));
        }
        assertTrue(ran.isEmpty(), "the vetoed operation did not run");
        assertEquals(List.of("a before install", "a after install InvalidRequestException"), log);
        try (OperationRunner runner = new OperationRunner(null, Interceptors.of(List.of(brokenAfter)))) {
            assertEquals("fine", runner.runInline(Operation.STATUS, "r", "ns", Duration.ofSeconds(5), () -> "fine"));
        }
    }
}
