package dev.helmsdk.core.internal.telemetry;

import dev.helmsdk.api.spi.OperationEvent;
import org.slf4j.MDC;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The MDC keys of the operation a thread works for ({@value #RELEASE}, {@value #NAMESPACE},
 * {@value #OPERATION}, {@value #OPERATION_ID}), set around each operation and carried to the worker
 * threads it hands work to. Whatever a thread had before is put back afterwards, so a pooled thread
 * never keeps an operation's keys and a nested operation gives its parent's back.
 */
public final class LogContext {

    /** The release's name (empty for operations across releases). */
    public static final String RELEASE = "helm.release";
    /** The release's namespace. */
    public static final String NAMESPACE = "helm.namespace";
    /** The operation's tag: {@code install}, {@code upgrade}, ... */
    public static final String OPERATION = "helm.operation";
    /** The operation's id, as interceptors see it ({@link OperationEvent#id()}). */
    public static final String OPERATION_ID = "helm.operation_id";

    private LogContext() {
    }

    /** Puts back what the thread had before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Sets {@code event}'s keys on the calling thread until the scope is closed. */
    public static Scope open(OperationEvent event) {
        Map<String, String> before = MDC.getCopyOfContextMap();
        MDC.put(RELEASE, event.releaseName());
        MDC.put(NAMESPACE, event.namespace());
        MDC.put(OPERATION, event.operation().tag());
        MDC.put(OPERATION_ID, event.id());
        return () -> restore(before);
    }

    /** Sets {@code context} (as {@link #capture()} took it) on the calling thread until the scope is closed. */
    public static Scope adopt(Map<String, String> context) {
        Map<String, String> before = MDC.getCopyOfContextMap();
        restore(context);
        return () -> restore(before);
    }

    /** The calling thread's MDC now, to carry to another thread; {@code null} when it has none. */
    public static Map<String, String> capture() {
        return MDC.getCopyOfContextMap();
    }

    /** {@code task}, run with the MDC the calling thread has now and the running thread's own put back after. */
    public static Runnable carried(Runnable task) {
        Map<String, String> context = capture();
        return () -> {
            try (Scope ignored = adopt(context)) {
                task.run();
            }
        };
    }

    /** {@code task}, run with the MDC the calling thread has now and the running thread's own put back after. */
    public static <T> Callable<T> carried(Callable<T> task) {
        Map<String, String> context = capture();
        return () -> {
            try (Scope ignored = adopt(context)) {
                return task.call();
            }
        };
    }

    private static void restore(Map<String, String> context) {
        if (context == null || context.isEmpty()) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
