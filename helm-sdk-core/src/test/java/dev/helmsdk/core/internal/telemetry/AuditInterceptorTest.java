package dev.helmsdk.core.internal.telemetry;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.audit.AuditEvent;
import dev.helmsdk.api.audit.AuditPolicy;
import dev.helmsdk.api.audit.AuditSink;
import dev.helmsdk.api.audit.AuditUnavailableException;
import dev.helmsdk.api.secrets.SecretAccess;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationOutcome;
import dev.helmsdk.api.spi.OperationSignal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the audit interceptor writes for each kind of operation and signal, and what a failing sink does under each policy. */
class AuditInterceptorTest {

    /** Records, or fails while {@code down}. */
    static final class Sink implements AuditSink {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public void write(AuditEvent event) {
            if (down) {
                throw new IllegalStateException("disk full");
            }
            events.add(event);
        }
    }

    static OperationEvent op(String id, Operation kind, String parent) {
        return new OperationEvent(id, kind, "shop", "apps", Instant.now(), Optional.ofNullable(parent), "ci");
    }

    static AuditInterceptor audit(Sink sink, AuditPolicy policy, SimpleMeterRegistry meters) {
        return new AuditInterceptor(List.of(sink), policy, meters, e -> "kind_of_" + e.getClass().getSimpleName().toLowerCase());
    }

    @Test
    void aChangeGivesAnIntentAndAnOutcomeWithWhatItDid() {
        Sink sink = new Sink();
        AuditInterceptor audit = audit(sink, AuditPolicy.FAIL_CLOSED, null);
        OperationEvent install = op("1", Operation.INSTALL, null);
        audit.before(install);
        audit.signal(install, new OperationSignal.Changed("shop", "1.0.0", "/charts/shop", 0, 1, "sha256:" + "0".repeat(64)));
        audit.after(install, new OperationOutcome(Duration.ofMillis(5), Optional.empty()));
        assertEquals(2, sink.events.size());
        AuditEvent intent = sink.events.get(0);
        AuditEvent outcome = sink.events.get(1);
        assertEquals(AuditEvent.Phase.INTENT, intent.phase());
        assertTrue(intent.chart().isEmpty() && intent.outcome().isEmpty());
        assertEquals("success", outcome.outcome().orElseThrow());
        assertEquals(new AuditEvent.Revisions(0, 1), outcome.revisions().orElseThrow());
        assertEquals("ci", outcome.actor());
    }

    @Test
    void readsDryRunsAndTemplatesWriteNothing() {
        Sink sink = new Sink();
        AuditInterceptor audit = audit(sink, AuditPolicy.FAIL_CLOSED, null);
        for (Operation kind : List.of(Operation.STATUS, Operation.DRY_RUN, Operation.TEMPLATE, Operation.LIST)) {
            OperationEvent e = op(kind.tag(), kind, null);
            audit.before(e);
            audit.after(e, new OperationOutcome(Duration.ZERO, Optional.empty()));
        }
        assertEquals(List.of(), sink.events);
    }

    @Test
    void aRemediationNamesTheChangeItUndoesAndWhatItDoes() {
        Sink sink = new Sink();
        AuditInterceptor audit = audit(sink, AuditPolicy.FAIL_CLOSED, null);
        OperationEvent upgrade = op("u", Operation.UPGRADE, null);
        audit.before(upgrade);
        audit.signal(upgrade, new OperationSignal.RemediationDecided("rollback", 2));
        OperationEvent rollback = op("r", Operation.ROLLBACK, "u");
        audit.before(rollback);
        audit.after(rollback, new OperationOutcome(Duration.ZERO, Optional.empty()));
        AuditEvent decision = sink.events.get(1);
        assertEquals(AuditEvent.Type.REMEDIATION_DECISION, decision.type());
        assertEquals(Optional.of("u"), decision.parentId());
        assertEquals(new AuditEvent.Remediation("rollback", 2), decision.remediation().orElseThrow());
        assertEquals(decision.remediation(), sink.events.get(2).remediation());
    }

    @Test
    void failClosedVetoesTheChangeWhenTheIntentCannotBeWritten() {
        Sink sink = new Sink();
        sink.down = true;
        AuditInterceptor audit = audit(sink, AuditPolicy.FAIL_CLOSED, null);
        AuditUnavailableException e = assertThrows(AuditUnavailableException.class, () -> audit.before(op("1", Operation.UPGRADE, null)));
        assertEquals(Operation.UPGRADE, e.operation());
        assertTrue(e.retryable());
        assertFalse(e.getMessage().contains("ci"), "no event content in the message");
    }

    @Test
    void failClosedTellsTheSinksThatTookTheIntentThatTheChangeWasRefused() {
        Sink up = new Sink();
        Sink down = new Sink();
        down.down = true;
        AuditInterceptor audit = new AuditInterceptor(List.of(up, down), AuditPolicy.FAIL_CLOSED, null, e -> "audit_unavailable");
        assertThrows(AuditUnavailableException.class, () -> audit.before(op("1", Operation.INSTALL, null)));
        assertEquals(List.of(AuditEvent.Phase.INTENT, AuditEvent.Phase.OUTCOME), up.events.stream().map(AuditEvent::phase).toList());
        assertEquals(Optional.of("audit_unavailable"), up.events.get(1).outcome());
    }

    @Test
    void anOutcomeThatCannotBeWrittenNeverChangesTheResultAndIsCounted() {
        Sink sink = new Sink();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AuditInterceptor audit = audit(sink, AuditPolicy.FAIL_CLOSED, meters);
        OperationEvent e = op("1", Operation.UNINSTALL, null);
        audit.before(e);
        sink.down = true;
        audit.after(e, new OperationOutcome(Duration.ZERO, Optional.of(new HelmSdkException(Operation.UNINSTALL, "shop", "x", null))));
        assertEquals(1.0, meters.get(AuditInterceptor.FAILURES).tag("sink", "Sink").counter().count());
    }

    @Test
    void failOpenGoesOnAndCountsEachFailure() {
        Sink sink = new Sink();
        sink.down = true;
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AuditInterceptor audit = audit(sink, AuditPolicy.FAIL_OPEN, meters);
        OperationEvent e = op("1", Operation.INSTALL, null);
        audit.before(e);
        audit.after(e, new OperationOutcome(Duration.ZERO, Optional.empty()));
        assertEquals(2.0, meters.get(AuditInterceptor.FAILURES).tag("sink", "Sink").counter().count());
    }

    @Test
    void aRemediationGoesOnUnderFailClosedWhenItsIntentCannotBeWritten() {
        Sink sink = new Sink();
        AuditInterceptor audit = audit(sink, AuditPolicy.FAIL_CLOSED, null);
        audit.before(op("u", Operation.INSTALL, null));
        sink.down = true;
        audit.before(op("r", Operation.UNINSTALL, "u"));   // does not throw: undoing the failed change must not be refused
    }

    @Test
    void takeoversAndSecretAccessesAreOneEventEachWithoutTheReference() {
        Sink sink = new Sink();
        AuditInterceptor audit = audit(sink, AuditPolicy.FAIL_CLOSED, null);
        OperationEvent e = op("1", Operation.DRY_RUN, null);
        audit.signal(e, new OperationSignal.LockAcquired(Duration.ofSeconds(2), false, Optional.empty()));
        audit.signal(e, new OperationSignal.LockAcquired(Duration.ofSeconds(2), true, Optional.of("7@old")));
        audit.secretAccessed(e, new SecretAccess("ref+vault://secret/shop#/password", "vault", "x.Vault",
                SecretAccess.Outcome.CACHED, Optional.empty(), Duration.ZERO));
        assertEquals(List.of(AuditEvent.Type.LOCK_TAKEOVER, AuditEvent.Type.SECRET_ACCESS), sink.events.stream().map(AuditEvent::type).toList());
        assertEquals("7@old", sink.events.get(0).lockTakeover().orElseThrow().previousHolder());
        AuditEvent.SecretRead read = sink.events.get(1).secret().orElseThrow();
        assertEquals("cached", read.outcome());
        assertTrue(read.referenceDigest().matches("sha256:[0-9a-f]{64}"));
        assertFalse(sink.events.get(1).toString().contains("secret/shop"), "the reference's text is not in the trail");
    }
}
