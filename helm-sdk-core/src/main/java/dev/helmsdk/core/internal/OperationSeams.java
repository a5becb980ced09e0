package dev.helmsdk.core.internal;

import dev.helmsdk.api.audit.AuditPolicy;
import dev.helmsdk.api.audit.AuditSink;
import dev.helmsdk.api.spi.OperationInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a builder collected about who sees its operations: interceptors, the audit trail, meters and
 * observations. The one place they become the ordered interceptors an {@link OperationRunner} shows each
 * operation to, for a manager and a chart lifecycle alike, so both record the same meters, the same audit
 * events and call interceptors the same way.
 *
 * @param interceptors         interceptors given on the builder
 * @param discoverInterceptors whether {@code ServiceLoader} interceptors are added (before the given ones)
 * @param auditSinks           audit sinks given on the builder
 * @param discoverAuditSinks   whether {@code ServiceLoader} audit sinks are added
 * @param auditPolicy          what a sink failure does to a change
 * @param meterRegistry        where meters go, or {@code null} for none
 * @param meterReleaseNames    whether meters carry a {@code release} tag
 * @param observationRegistry  where operations are observed (spans), or {@code null} for nowhere
 * @param actor                who operations are for; empty for nobody
 */
public record OperationSeams(List<OperationInterceptor> interceptors, boolean discoverInterceptors, List<AuditSink> auditSinks,
                             boolean discoverAuditSinks, AuditPolicy auditPolicy, MeterRegistry meterRegistry, boolean meterReleaseNames,
                             ObservationRegistry observationRegistry, String actor) {

    /** Copies the lists; requires the policy and actor. */
    public OperationSeams {
        interceptors = List.copyOf(Objects.requireNonNull(interceptors, "interceptors"));
        auditSinks = List.copyOf(Objects.requireNonNull(auditSinks, "auditSinks"));
        Objects.requireNonNull(auditPolicy, "auditPolicy");
        Objects.requireNonNull(actor, "actor");
    }

    /** Found interceptors, then the given ones, then the audit trail's, the meters' and the observations'. */
    Interceptors assemble() {
        List<OperationInterceptor> all = new ArrayList<>();
        if (discoverInterceptors) {
            all.addAll(Interceptors.discover(contextLoader()));
        }
        all.addAll(interceptors);
        audit().ifPresent(all::add);
        if (meterRegistry != null) {
            all.add(new dev.helmsdk.core.internal.telemetry.MeterInterceptor(meterRegistry, meterReleaseNames));
        }
        if (observationRegistry != null) {
            all.add(new dev.helmsdk.core.internal.telemetry.ObservationInterceptor(observationRegistry, MetricTags::failureKind));
        }
        return Interceptors.of(all);
    }

    /** A runner showing every operation to {@link #assemble()}'s interceptors. */
    OperationRunner runner() {
        return new OperationRunner(meterRegistry, assemble(), actor);
    }

    /** The audit trail's interceptor, when there is a sink to write it to. */
    private Optional<OperationInterceptor> audit() {
        List<AuditSink> found = discoverAuditSinks ? Services.discover(AuditSink.class, contextLoader(), "an audit sink") : List.of();
        List<AuditSink> sinks = new ArrayList<>(found);
        sinks.addAll(auditSinks);
        return sinks.isEmpty() ? Optional.empty() : Optional.of(new dev.helmsdk.core.internal.telemetry.AuditInterceptor(
                sinks, found, auditPolicy, meterRegistry, MetricTags::outcome));
    }

    /** Where {@code ServiceLoader} looks: the context class loader, as containers and plugins expect. */
    static ClassLoader contextLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : OperationSeams.class.getClassLoader();
    }
}
