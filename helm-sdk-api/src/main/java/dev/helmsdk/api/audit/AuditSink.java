package dev.helmsdk.api.audit;

/**
 * Where audit events go: a file, a log, a compliance service. Found by {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.helmsdk.api.audit.AuditSink}, public no-argument constructor) and given
 * on the manager's builder ({@code HelmSdk.builder().auditSink(sink)}); a manager writes every event to
 * each of its sinks, on the thread of the operation it belongs to.
 *
 * <p>What a sink that throws does to a change is the {@link AuditPolicy}'s to say. The manager never
 * closes a sink: close it after the managers that write to it.
 *
 * <p>Implementations must be thread-safe: operations on different releases run concurrently.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * Records {@code event}, durably: when this returns, the event survives the JVM being killed (a file
     * is flushed and forced to disk, a remote service has acknowledged it). A change's intent is written
     * before the change starts, so an interrupted change leaves an intent without an outcome.
     *
     * @param event the event
     * @throws RuntimeException when it could not be recorded (any exception counts as a failure)
     */
    void write(AuditEvent event);

    /**
     * Releases what the sink holds (a file, a connection). A manager closes the sinks it found through
     * {@code ServiceLoader} when it closes; a sink given on the builder is the caller's to close. Default: nothing.
     */
    @Override
    default void close() {
    }
}
