package dev.helmsdk.it;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.api.spi.OperationPhase;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.api.spi.OperationSignal.Changed;
import dev.helmsdk.api.spi.OperationSignal.LockAcquired;
import dev.helmsdk.api.spi.OperationSignal.PhaseEnded;
import dev.helmsdk.api.spi.OperationSignal.PhaseStarted;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What interceptors see inside an operation ({@link OperationInterceptor#signal}) with the manager's defaults
 * (cluster locks on): its phases in order, paired on one thread; the lock taken; what each change did to its
 * release (revisions before and after, a digest of the values as given); who asked; and the phase a timeout
 * cut short.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class OperationSignalsTest {

    private static final ChartRef TESTED = ChartRef.local(TestCharts.local("sdk-tested"));
    private static final String CRASH = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");

    /** Every signal with the event it came with, and the thread it came on. */
    static final class Signals implements OperationInterceptor {
        record Seen(OperationEvent event, OperationSignal signal, Thread thread) {
        }

        final List<Seen> seen = new CopyOnWriteArrayList<>();
        final Map<String, OperationEvent> before = new ConcurrentHashMap<>();

        @Override
        public void before(OperationEvent event) {
            before.put(event.id(), event);
        }

        @Override
        public void signal(OperationEvent event, OperationSignal signal) {
            assertTrue(before.containsKey(event.id()), "a signal before its operation: " + signal);
            seen.add(new Seen(event, signal, Thread.currentThread()));
        }

        List<Seen> of(Operation op) {
            return seen.stream().filter(s -> s.event().operation() == op).toList();
        }

        /** The phases of one operation as started/ended words, in order: "+lock", "-lock", ... */
        static List<String> phases(List<Seen> signals) {
            List<String> out = new ArrayList<>();
            for (Seen s : signals) {
                if (s.signal() instanceof PhaseStarted p) {
                    out.add("+" + p.phase().tag());
                } else if (s.signal() instanceof PhaseEnded p) {
                    out.add("-" + p.phase().tag() + (p.succeeded() ? "" : "!" + p.errorKind().orElseThrow()));
                }
            }
            return out;
        }

        static <T extends OperationSignal> List<T> only(List<Seen> signals, Class<T> type) {
            return signals.stream().map(Seen::signal).filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Test
    void aChangeShowsItsPhasesItsLockAndWhatItDid(EmbeddedKubernetes cluster) {
        Signals signals = new Signals();
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).interceptor(signals).build()) {
            helm.install("app").inNamespace("sig").createNamespace().chart(TESTED).set("message", "one")
                    .waitReady(Duration.ofMinutes(1)).run();
            List<Signals.Seen> install = signals.of(Operation.INSTALL);
            assertEquals(List.of("+lock", "-lock", "+apply", "-apply", "+wait", "-wait"), Signals.phases(install));
            for (Signals.Seen s : install) {
                if (s.signal() instanceof PhaseStarted || s.signal() instanceof PhaseEnded) {
                    assertEquals(install.get(0).thread(), s.thread(), "a phase starts and ends on the operation's thread");
                }
            }
            LockAcquired lock = Signals.only(install, LockAcquired.class).get(0);
            assertFalse(lock.takenOver());
            assertTrue(lock.previousHolder().isEmpty());
            Changed installed = Signals.only(install, Changed.class).get(0);
            assertEquals(0, installed.revisionBefore());
            assertEquals(1, installed.revisionAfter());
            assertEquals("sdk-tested", installed.chartName());
            assertTrue(installed.chartSource().endsWith("sdk-tested"), installed.chartSource());
            assertTrue(installed.valuesDigest().matches("sha256:[0-9a-f]{64}"), installed.valuesDigest());
            assertEquals("", install.get(0).event().actor(), "nobody named");

            helm.withActor("ci:deploy#7").upgrade("app").inNamespace("sig").chart(TESTED).set("message", "one").run();
            Changed same = Signals.only(signals.of(Operation.UPGRADE), Changed.class).get(0);
            assertEquals(1, same.revisionBefore());
            assertEquals(2, same.revisionAfter());
            assertEquals(installed.valuesDigest(), same.valuesDigest(), "the same values, the same digest");
            assertEquals("ci:deploy#7", signals.of(Operation.UPGRADE).get(0).event().actor());

            helm.template("app").chart(TESTED).run();
            assertEquals(List.of("+render", "-render"), Signals.phases(signals.of(Operation.TEMPLATE)));
            assertTrue(Signals.only(signals.of(Operation.TEMPLATE), Changed.class).isEmpty(), "a template changes nothing");
        }
    }

    @Test
    void anAutomaticRollbackShowsItsStepsUnderRemediateWithTheCallersActor(EmbeddedKubernetes cluster) {
        Signals signals = new Signals();
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).interceptor(signals)
                .actor("controller:shop").build()) {
            helm.install("rb").inNamespace("sig-rb").createNamespace().chart(TESTED).waitReady(Duration.ofMinutes(1)).run();
            assertThrows(AutoRollbackException.class, () -> helm.upgrade("rb").inNamespace("sig-rb").chart(TESTED)
                    .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(1)).rollbackOnFailure().run());
            List<Signals.Seen> upgrade = signals.of(Operation.UPGRADE);
            List<String> phases = Signals.phases(upgrade);
            assertEquals(List.of("+lock", "-lock", "+apply", "-apply", "+wait", "-wait!readiness_failed", "+remediate", "-remediate"),
                    phases);
            List<Signals.Seen> rollback = signals.of(Operation.ROLLBACK);
            assertEquals(List.of("+apply", "-apply", "+wait", "-wait"), Signals.phases(rollback),
                    "the rollback's own phases are its own; it waits, as the upgrade it undoes did");
            assertTrue(rollback.get(0).event().remediation());
            assertEquals("controller:shop", rollback.get(0).event().actor(), "a step on the caller's behalf keeps its actor");
            Changed failed = Signals.only(upgrade, Changed.class).get(0);
            assertEquals(1, failed.revisionBefore());
            assertEquals(0, failed.revisionAfter(), "the upgrade failed: it returned no revision");
            Changed back = Signals.only(rollback, Changed.class).get(0);
            assertEquals(3, back.revisionAfter());
            assertEquals("revision 1", back.chartSource());
        }
    }

    @Test
    void aTimeoutNamesThePhaseItCutShort(EmbeddedKubernetes cluster) {
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
            helm.install("slow").inNamespace("sig-t").createNamespace().chart(TESTED).run();
            OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> helm.upgrade("slow")
                    .inNamespace("sig-t").chart(TESTED).set(CRASH, WorkloadFailure.NEVER_READY.markerValue())
                    .waitReady(Duration.ofSeconds(2)).run());
            assertEquals(OperationPhase.WAIT, e.phase().orElseThrow(), e.getMessage());
        }
    }

    @Test
    void anActorIsOneLineOfAtMost256Characters() {
        assertThrows(InvalidRequestException.class, () -> HelmSdk.builder().actor(" "));
        assertThrows(InvalidRequestException.class, () -> HelmSdk.builder().actor("ci\nforged: entry"));
        assertThrows(InvalidRequestException.class, () -> HelmSdk.builder().actor("x".repeat(257)));
        HelmSdk.builder().actor("x".repeat(256));
    }
}
