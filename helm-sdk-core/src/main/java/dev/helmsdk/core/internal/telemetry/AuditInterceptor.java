package dev.helmsdk.core.internal.telemetry;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.audit.AuditEvent;
import dev.helmsdk.api.audit.AuditPolicy;
import dev.helmsdk.api.audit.AuditSink;
import dev.helmsdk.api.audit.AuditUnavailableException;
import dev.helmsdk.api.secrets.SecretAccess;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.api.spi.OperationOutcome;
import dev.helmsdk.api.spi.OperationSignal;
import dev.helmsdk.core.internal.source.Digests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Writes the audit trail to the manager's {@link AuditSink}s: for every change ({@link #isChange}: install, upgrade,
 * rollback, uninstall, a chart lifecycle's package, push, pull and dependency updates; reads, dry runs and templates
 * change nothing) an intent before it starts and an
 * outcome when it ended, with what its {@link OperationSignal.Changed} said; the undo of a failed change
 * as a {@code remediation_decision} naming it; every lock takeover and every secret access.
 *
 * <p>Under {@link AuditPolicy#FAIL_CLOSED} an intent that cannot be written vetoes the change from
 * {@link #before} (nothing has happened yet). Every other write failure (an outcome, a takeover, a
 * secret access, and under {@link AuditPolicy#FAIL_OPEN} an intent too) is logged and counted and never
 * changes the operation's result: what it records already happened, refusing it then would only hide it.
 * Durations are kept to the millisecond, as the JSON form has them.
 * A remediation goes on when its intent cannot be written whatever the policy: it undoes a change whose
 * intent is on record, and refusing it would leave the release failed.
 */
public final class AuditInterceptor implements OperationInterceptor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditInterceptor.class);
    /**
     * What changes something someone else sees: a release, or an artifact a chart lifecycle writes (a pushed
     * tag, a packaged or pulled archive, a chart's {@code Chart.lock} and {@code charts/}). Reads, dry runs,
     * templates and verifications change nothing.
     */
    private static final Set<Operation> CHANGES = Set.of(Operation.INSTALL, Operation.UPGRADE, Operation.ROLLBACK, Operation.UNINSTALL,
            Operation.DRIFT_CORRECTION, Operation.PACKAGE, Operation.PUSH, Operation.PULL, Operation.DEPENDENCY_UPDATE,
            Operation.DEPENDENCY_BUILD);
    /** The counter of sink failures, tagged {@code sink} by the sink's class simple name. */
    public static final String FAILURES = "helm.sdk.audit.failures";

    private final List<AuditSink> sinks;
    private final AuditPolicy policy;
    private final MeterRegistry registry;
    private final Function<HelmSdkException, String> kinds;
    /** The sinks this interceptor closes: the ones the manager found, not the ones it was given. */
    private final List<AuditSink> owned;
    /** What each running change said it did, by operation id, until its outcome is written. */
    private final Map<String, OperationSignal.Changed> changes = new ConcurrentHashMap<>();
    /** Remediations decided, by the id of the change they undo until their own operation starts, then by theirs. */
    private final Map<String, OperationSignal.RemediationDecided> decisions = new ConcurrentHashMap<>();

    /**
     * @param sinks    where events go; at least one
     * @param policy   what an unwritable intent does
     * @param registry where failures are counted, or {@code null}
     * @param kinds    the kind of a failure in the meters' words ({@code release_not_found}, ...)
     */
    public AuditInterceptor(List<AuditSink> sinks, AuditPolicy policy, MeterRegistry registry,
                            Function<HelmSdkException, String> kinds) {
        this(sinks, List.of(), policy, registry, kinds);
    }

    /**
     * As {@link #AuditInterceptor(List, AuditPolicy, MeterRegistry, Function)}, owning {@code owned} (the sinks
     * {@code ServiceLoader} made for this manager), which {@link #close()} closes; the others are the caller's.
     */
    public AuditInterceptor(List<AuditSink> sinks, List<AuditSink> owned, AuditPolicy policy, MeterRegistry registry,
                            Function<HelmSdkException, String> kinds) {
        this.owned = List.copyOf(owned);
        this.sinks = List.copyOf(sinks);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.registry = registry;
        this.kinds = Objects.requireNonNull(kinds, "kinds");
        if (this.sinks.isEmpty()) {
            throw new IllegalArgumentException("an audit interceptor needs a sink");
        }
    }

    /** Whether {@code op} changes something, so the audit trail records it (and its end is logged at INFO). */
    public static boolean isChange(Operation op) {
        return CHANGES.contains(op);
    }

    /** First before every other interceptor, last after: a veto by another is recorded as the change's outcome. */
    @Override
    public int order() {
        return Integer.MIN_VALUE;
    }

    @Override
    public void before(OperationEvent event) {
        if (!CHANGES.contains(event.operation())) {
            return;
        }
        Optional<OperationSignal.RemediationDecided> decided = event.parentId().map(decisions::remove);
        decided.ifPresent(d -> decisions.put(event.id(), d));
        AuditEvent intent = event(event, AuditEvent.Phase.INTENT, type(event), Optional.empty(), Optional.empty(),
                Optional.empty(), null, remediation(event, decided));
        List<AuditSink> wrote = new ArrayList<>();
        for (AuditSink sink : sinks) {
            try {
                sink.write(intent);
                wrote.add(sink);
            } catch (RuntimeException e) {
                failed(sink, intent, e);
                if (policy == AuditPolicy.FAIL_CLOSED && !event.remediation()) {
                    AuditUnavailableException refused = new AuditUnavailableException(event.operation(),
                            event.releaseName().isEmpty() ? null : event.releaseName(), sink.getClass().getName(), e);
                    // The sinks that took the intent learn it came to nothing: no intent is left without an outcome.
                    AuditEvent outcome = event(event, AuditEvent.Phase.OUTCOME, type(event), Optional.of(kinds.apply(refused)),
                            Optional.of(kinds.apply(refused)), Optional.of(Duration.ZERO), null, Optional.empty());
                    wrote.forEach(s -> write(s, outcome));
                    decisions.remove(event.id());
                    throw refused;
                }
            }
        }
    }

    @Override
    public void after(OperationEvent event, OperationOutcome outcome) {
        if (!CHANGES.contains(event.operation())) {
            return;
        }
        OperationSignal.Changed changed = changes.remove(event.id());
        Optional<OperationSignal.RemediationDecided> decided = Optional.ofNullable(decisions.remove(event.id()));
        Optional<String> kind = outcome.failure().map(kinds);
        Optional<String> errorKind = outcome.failure().map(f -> f instanceof AutoRollbackException a ? kinds.apply(a.failure()) : kinds.apply(f));
        AuditEvent done = event(event, AuditEvent.Phase.OUTCOME, type(event), Optional.of(kind.orElse("success")), errorKind,
                Optional.of(outcome.duration().truncatedTo(ChronoUnit.MILLIS)), changed, remediation(event, decided));
        sinks.forEach(s -> write(s, done));
    }

    @Override
    public void signal(OperationEvent event, OperationSignal signal) {
        if (signal instanceof OperationSignal.Changed c) {
            changes.put(event.id(), c);
        } else if (signal instanceof OperationSignal.RemediationDecided d) {
            decisions.put(event.id(), d);
        } else if (signal instanceof OperationSignal.LockAcquired lock && lock.takenOver()) {
            AuditEvent e = base(event, AuditEvent.Phase.OUTCOME, AuditEvent.Type.LOCK_TAKEOVER, Optional.empty(), Optional.empty(),
                    Optional.empty(), null, Optional.empty(),
                    Optional.of(new AuditEvent.LockTakeover(lock.previousHolder().orElse(""), lock.waited().truncatedTo(ChronoUnit.MILLIS))),
                    Optional.empty());
            sinks.forEach(s -> write(s, e));
        }
    }

    @Override
    public void secretAccessed(OperationEvent event, SecretAccess access) {
        AuditEvent.SecretRead read = new AuditEvent.SecretRead(access.scheme(), access.resolver(),
                access.outcome().name().toLowerCase(Locale.ROOT),
                access.failure().map(r -> r.name().toLowerCase(Locale.ROOT)), "sha256:" + Digests.sha256(access.reference()));
        AuditEvent e = base(event, AuditEvent.Phase.OUTCOME, AuditEvent.Type.SECRET_ACCESS, Optional.empty(), Optional.empty(),
                Optional.empty(), null, Optional.empty(), Optional.empty(), Optional.of(read));
        sinks.forEach(s -> write(s, e));
    }

    private static AuditEvent.Type type(OperationEvent event) {
        return event.remediation() ? AuditEvent.Type.REMEDIATION_DECISION : AuditEvent.Type.CHANGE;
    }

    /** What a remediation does: as the change it undoes decided, else as its own kind says. */
    private static Optional<AuditEvent.Remediation> remediation(OperationEvent event, Optional<OperationSignal.RemediationDecided> decided) {
        if (!event.remediation()) {
            return Optional.empty();
        }
        return Optional.of(decided.map(d -> new AuditEvent.Remediation(d.action(), d.targetRevision()))
                .orElseGet(() -> new AuditEvent.Remediation(event.operation().tag(), 0)));
    }

    private AuditEvent event(OperationEvent event, AuditEvent.Phase phase, AuditEvent.Type type, Optional<String> outcome,
                             Optional<String> errorKind, Optional<Duration> duration, OperationSignal.Changed changed,
                             Optional<AuditEvent.Remediation> remediation) {
        return base(event, phase, type, outcome, errorKind, duration, changed, remediation, Optional.empty(), Optional.empty());
    }

    private static AuditEvent base(OperationEvent event, AuditEvent.Phase phase, AuditEvent.Type type, Optional<String> outcome,
                                   Optional<String> errorKind, Optional<Duration> duration, OperationSignal.Changed changed,
                                   Optional<AuditEvent.Remediation> remediation, Optional<AuditEvent.LockTakeover> lock,
                                   Optional<AuditEvent.SecretRead> secret) {
        Optional<AuditEvent.Chart> chart = Optional.ofNullable(changed).filter(c -> !c.chartName().isEmpty() || !c.chartSource().isEmpty())
                .map(c -> new AuditEvent.Chart(c.chartName(), c.chartVersion(), c.chartSource()));
        Optional<AuditEvent.Revisions> revisions = Optional.ofNullable(changed)
                .map(c -> new AuditEvent.Revisions(c.revisionBefore(), c.revisionAfter()));
        Optional<String> digest = Optional.ofNullable(changed).map(OperationSignal.Changed::valuesDigest).filter(d -> !d.isEmpty());
        return new AuditEvent(AuditEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), Instant.now(), phase, type, event.id(),
                event.parentId(), event.actor(), event.operation(), event.releaseName(), event.namespace(), event.startedAt(),
                outcome, errorKind, duration, chart, revisions, digest, remediation, lock, secret);
    }

    /** Writes what cannot be refused any more: a failure is logged and counted. */
    private void write(AuditSink sink, AuditEvent event) {
        try {
            sink.write(event);
        } catch (RuntimeException e) {
            failed(sink, event, e);
        }
    }

    /** The sink's class simple name; an anonymous class's full name (it has no simple one). */
    private static String sinkName(AuditSink sink) {
        String simple = sink.getClass().getSimpleName();
        return simple.isEmpty() ? sink.getClass().getName() : simple;
    }

    /** Logs a failure with the sink and the event's kind only, and counts it. */
    private void failed(AuditSink sink, AuditEvent event, RuntimeException e) {
        LOG.warn("audit sink {} could not record the {} {} event of {} (operation {}): {}", sink.getClass().getName(),
                event.type().tag(), event.phase().tag(), event.operation().tag(), event.operationId(), e.toString());
        if (registry != null) {
            Counter.builder(FAILURES).description("Audit events a sink could not record")
                    .tag("sink", sinkName(sink)).register(registry).increment();
        }
    }

    /** Closes the sinks the manager found on the class path; a failure is logged, the others still closed. */
    @Override
    public void close() {
        for (AuditSink sink : owned) {
            try {
                sink.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(AuditInterceptor.class).warn("closing audit sink {} failed: {}",
                        sink.getClass().getName(), e.toString());
            }
        }
    }
}
