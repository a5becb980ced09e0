package dev.helmsdk.testkit.spi;

import dev.helmsdk.api.audit.AuditEvent;
import dev.helmsdk.api.audit.AuditSink;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An {@link AuditSink} keeping the trail in memory, for tests: what the SDK wrote, in order, with helpers to
 * assert it, and a switch that makes it fail (to test {@link dev.helmsdk.api.audit.AuditPolicy}).
 *
 * <pre>{@code
 * InMemoryAuditSink audit = InMemoryAuditSink.create();
 * try (HelmManager helm = HelmSdk.builder().kubeConfig(Path.of("kubeconfig")).auditSink(audit).build()) {
 *     helm.install("shop").chart(ChartRef.local(Path.of("charts/shop"))).run();
 * }
 * assertEquals(List.of("intent change install shop", "outcome change install shop success"), audit.trail());
 * audit.assertEveryChangeEnded();
 * }</pre>
 *
 * <p>Thread-safe; it can be switched to failing and back while in use.
 */
public final class InMemoryAuditSink implements AuditSink {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();

    private InMemoryAuditSink() {
    }

    /** An empty sink that records. */
    public static InMemoryAuditSink create() {
        return new InMemoryAuditSink();
    }

    /**
     * Records {@code event}, or fails when {@link #failing(boolean)} says so.
     *
     * @throws IllegalStateException while failing
     */
    @Override
    public void write(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (failing) {
            failures.incrementAndGet();
            throw new IllegalStateException("InMemoryAuditSink is failing, as the test asked (failing(true))");
        }
        events.add(event);
    }

    /**
     * Makes every write fail ({@code true}) or record again ({@code false}).
     *
     * @param fail whether writes fail
     * @return this sink
     */
    public InMemoryAuditSink failing(boolean fail) {
        this.failing = fail;
        return this;
    }

    /** How many writes failed because the sink was failing. */
    public int failedWrites() {
        return failures.get();
    }

    /** Every event recorded, in the order written. */
    public List<AuditEvent> events() {
        return List.copyOf(events);
    }

    /**
     * The events of one type, in order.
     *
     * @param type which
     * @return those events
     */
    public List<AuditEvent> events(AuditEvent.Type type) {
        Objects.requireNonNull(type, "type");
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /**
     * The trail in words, one string an event: {@code <phase> <type> <operation> <release>}, and for outcomes
     * {@code  <outcome>} ({@code "outcome change upgrade shop auto_rollback"}), for assertEquals.
     */
    public List<String> trail() {
        List<String> out = new ArrayList<>();
        for (AuditEvent e : events) {
            out.add(e.phase().tag() + " " + e.type().tag() + " " + e.operation().tag() + " " + e.release()
                    + e.outcome().map(o -> " " + o).orElse(""));
        }
        return out;
    }

    /** Forgets every event recorded. */
    public void clear() {
        events.clear();
    }

    /**
     * Asserts that every intent recorded has its outcome: no change was left unaccounted for.
     *
     * @throws AssertionError naming the operations whose intent has no outcome
     */
    public void assertEveryChangeEnded() {
        Set<String> ended = events.stream().filter(e -> e.phase() == AuditEvent.Phase.OUTCOME).map(AuditEvent::operationId)
                .collect(Collectors.toSet());
        List<String> open = events.stream().filter(e -> e.phase() == AuditEvent.Phase.INTENT && !ended.contains(e.operationId()))
                .map(e -> e.operation().tag() + " " + e.release() + " (" + e.operationId() + ")").toList();
        if (!open.isEmpty()) {
            throw new AssertionError("changes with an intent and no outcome in the audit trail: " + open);
        }
    }

    /**
     * Asserts that no recorded event mentions any of {@code canaries} (a secret value, a release value) in
     * any of its fields.
     *
     * @param canaries texts that must not appear
     * @throws AssertionError naming the first event and canary found
     */
    public void assertNoneMention(String... canaries) {
        Objects.requireNonNull(canaries, "canaries");
        for (AuditEvent e : events) {
            String text = e.toString();
            for (String c : canaries) {
                if (c != null && !c.isEmpty() && text.contains(c)) {
                    throw new AssertionError("audit event " + e.eventId() + " (" + e.type().tag() + ") holds a canary text");
                }
            }
        }
    }

    @Override
    public String toString() {
        return "InMemoryAuditSink[" + events.size() + " events" + (failing ? ", failing" : "") + "]";
    }
}
