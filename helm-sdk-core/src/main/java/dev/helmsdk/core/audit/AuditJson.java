package dev.helmsdk.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.audit.AuditEvent;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * An {@link AuditEvent}'s JSON form, as the schema {@value AuditEvent#SCHEMA_RESOURCE} describes it: one line,
 * fields in the schema's order, absent when empty.
 */
final class AuditJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditJson() {
    }

    /** The event as one line of JSON (no line break: control characters are escaped). */
    static String write(AuditEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("schemaVersion", e.schemaVersion());
        o.put("eventId", e.eventId());
        o.put("time", e.time().toString());
        o.put("phase", e.phase().tag());
        o.put("type", e.type().tag());
        o.put("operationId", e.operationId());
        e.parentId().ifPresent(p -> o.put("parentId", p));
        o.put("actor", e.actor());
        o.put("operation", e.operation().tag());
        o.put("release", e.release());
        o.put("namespace", e.namespace());
        o.put("startedAt", e.startedAt().toString());
        e.outcome().ifPresent(v -> o.put("outcome", v));
        e.errorKind().ifPresent(v -> o.put("errorKind", v));
        e.duration().ifPresent(d -> o.put("durationMillis", d.toMillis()));
        e.chart().ifPresent(c -> o.putObject("chart").put("name", c.name()).put("version", c.version()).put("source", c.source()));
        e.revisions().ifPresent(r -> o.putObject("revisions").put("before", r.before()).put("after", r.after()));
        e.valuesDigest().ifPresent(v -> o.put("valuesDigest", v));
        e.remediation().ifPresent(r -> o.putObject("remediation").put("action", r.action()).put("targetRevision", r.targetRevision()));
        e.lockTakeover().ifPresent(l -> o.putObject("lockTakeover").put("previousHolder", l.previousHolder())
                .put("waitedMillis", l.waited().toMillis()));
        e.secret().ifPresent(s -> {
            ObjectNode n = o.putObject("secret").put("scheme", s.scheme()).put("resolver", s.resolver()).put("outcome", s.outcome());
            s.failure().ifPresent(f -> n.put("failure", f));
            n.put("referenceDigest", s.referenceDigest());
        });
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The event one line holds.
     *
     * @throws IllegalArgumentException when the line is not an event of this schema
     */
    static AuditEvent read(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getOriginalMessage(), ex);
        }
        if (o == null || !o.isObject() || !o.path("eventId").isTextual()) {
            throw new IllegalArgumentException("not an audit event");
        }
        try {
            return new AuditEvent(o.path("schemaVersion").asInt(), text(o, "eventId"), Instant.parse(text(o, "time")),
                    AuditEvent.Phase.valueOf(upper(text(o, "phase"))), AuditEvent.Type.valueOf(upper(text(o, "type"))),
                    text(o, "operationId"), optional(o, "parentId"), text(o, "actor"),
                    Operation.valueOf(upper(text(o, "operation"))), text(o, "release"), text(o, "namespace"),
                    Instant.parse(text(o, "startedAt")), optional(o, "outcome"), optional(o, "errorKind"),
                    node(o, "durationMillis", n -> Duration.ofMillis(n.asLong())),
                    node(o, "chart", n -> new AuditEvent.Chart(text(n, "name"), text(n, "version"), text(n, "source"))),
                    node(o, "revisions", n -> new AuditEvent.Revisions(n.path("before").asInt(), n.path("after").asInt())),
                    optional(o, "valuesDigest"),
                    node(o, "remediation", n -> new AuditEvent.Remediation(text(n, "action"), n.path("targetRevision").asInt())),
                    node(o, "lockTakeover", n -> new AuditEvent.LockTakeover(text(n, "previousHolder"),
                            Duration.ofMillis(n.path("waitedMillis").asLong()))),
                    node(o, "secret", n -> new AuditEvent.SecretRead(text(n, "scheme"), text(n, "resolver"), text(n, "outcome"),
                            optional(n, "failure"), text(n, "referenceDigest"))));
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("not an audit event of schema version " + AuditEvent.SCHEMA_VERSION + ": " + ex, ex);
        }
    }

    private static String upper(String word) {
        return word.toUpperCase(Locale.ROOT);
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("no text field '" + field + "'");
        }
        return n.asText();
    }

    private static Optional<String> optional(JsonNode o, String field) {
        return Optional.ofNullable(o.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    private static <T> Optional<T> node(JsonNode o, String field, Function<JsonNode, T> read) {
        return Optional.ofNullable(o.get(field)).filter(n -> !n.isNull()).map(read);
    }
}
