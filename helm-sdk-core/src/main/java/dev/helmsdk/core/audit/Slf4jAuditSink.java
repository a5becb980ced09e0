package dev.helmsdk.core.audit;

import dev.helmsdk.api.audit.AuditEvent;
import dev.helmsdk.api.audit.AuditSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Writes each audit event as one INFO line on the logger {@value #LOGGER}, the event's JSON form
 * ({@value AuditEvent#SCHEMA_RESOURCE}) as the message, so a logging setup can route the trail to its own
 * appender. A logger not enabled for INFO counts as a failing sink (the {@link dev.helmsdk.api.audit.AuditPolicy}
 * decides), never as a silent drop. How durable a line is, is the logging backend's to say (an asynchronous appender may lose the
 * last lines when the JVM is killed): where the trail must survive, use {@link JsonLinesAuditSink} as well.
 */
public final class Slf4jAuditSink implements AuditSink {

    /** The logger's name. */
    public static final String LOGGER = "dev.helmsdk.audit";

    private final Logger log;

    /** A sink on the logger {@value #LOGGER}. */
    public Slf4jAuditSink() {
        this.log = LoggerFactory.getLogger(LOGGER);
    }

    @Override
    public void write(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (!log.isInfoEnabled()) {
            // An event logged below the threshold would be lost without a word: that is a failure of the sink.
            throw new IllegalStateException("logger " + LOGGER + " is not enabled for INFO: audit events would be dropped");
        }
        log.info("{}", AuditJson.write(event));
    }

    @Override
    public String toString() {
        return "Slf4jAuditSink[" + LOGGER + "]";
    }
}
