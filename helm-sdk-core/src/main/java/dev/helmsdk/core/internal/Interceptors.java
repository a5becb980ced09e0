package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.api.spi.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The manager's {@link OperationInterceptor}s, in order: {@code before} lowest order first,
 * {@code after} in the reverse order, and only for those whose {@code before} ran.
 */
final class Interceptors {

    private static final Logger LOG = LoggerFactory.getLogger(Interceptors.class);

    /** None: what a runner without interceptors uses. */
    public static final Interceptors NONE = new Interceptors(List.of());

    private final List<OperationInterceptor> ordered;

    private Interceptors(List<OperationInterceptor> interceptors) {
        List<OperationInterceptor> sorted = new ArrayList<>(interceptors);
        sorted.sort(Comparator.comparingInt(OperationInterceptor::order)); // stable: ties keep their given order
        this.ordered = List.copyOf(sorted);
    }

    /** These interceptors, ordered. */
    public static Interceptors of(List<OperationInterceptor> interceptors) {
        return interceptors.isEmpty() ? NONE : new Interceptors(interceptors);
    }

    /**
     * The interceptors {@link ServiceLoader} finds through {@code loader}. One that cannot be loaded
     * is skipped with a warning naming it, so one broken jar does not stop the others.
     */
    public static List<OperationInterceptor> discover(ClassLoader loader) {
        return Services.discover(OperationInterceptor.class, loader, "an operation interceptor");
    }

    /** Runs every {@code before}; returns how many ran, or throws the first veto after undoing the others' {@code after}. */
    int before(OperationEvent event) {
        for (int i = 0; i < ordered.size(); i++) {
            try {
                ordered.get(i).before(event);
            } catch (RuntimeException e) {
                HelmSdkException veto = e instanceof HelmSdkException h ? h : new HelmSdkException(event.operation(),
                        event.releaseName().isEmpty() ? null : event.releaseName(), "operation interceptor "
                        + ordered.get(i).getClass().getName() + " stopped " + event.operation().tag() + ": " + e, e);
                after(event, new OperationOutcome(Duration.ZERO, Optional.of(veto)), i);
                throw veto;
            }
        }
        return ordered.size();
    }

    /** Runs {@code after} of the first {@code ran} interceptors, last first; their exceptions are logged and ignored. */
    void after(OperationEvent event, OperationOutcome outcome, int ran) {
        for (int i = ran - 1; i >= 0; i--) {
            try {
                ordered.get(i).after(event, outcome);
            } catch (RuntimeException e) {
                LOG.warn("operation interceptor {} failed after {} (ignored): {}", ordered.get(i).getClass().getName(),
                        event.operation().tag(), e.toString());
            }
        }
    }

    /**
     * Closes the SDK's own interceptors that hold resources (an audit interceptor's discovered sinks); the
     * user's are the user's to close.
     */
    void closeOwn() {
        for (OperationInterceptor i : ordered) {
            if (i instanceof AutoCloseable c && i.getClass().getName().startsWith("dev.helmsdk.core.internal.")) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed: {}", i.getClass().getName(), e.toString());
                }
            }
        }
    }

    /** Whether there are none. */
    boolean isEmpty() {
        return ordered.isEmpty();
    }

    /** Shows a secret access to every interceptor; their exceptions are logged and ignored. */
    void secretAccessed(OperationEvent event, dev.helmsdk.api.secrets.SecretAccess access) {
        each(event, "a secret access", i -> i.secretAccessed(event, access));
    }

    /** Shows a signal to every interceptor; their exceptions are logged and ignored. */
    void signal(OperationEvent event, dev.helmsdk.api.spi.OperationSignal signal) {
        each(event, "a signal", i -> i.signal(event, signal));
    }

    private void each(OperationEvent event, String what, java.util.function.Consumer<OperationInterceptor> call) {
        for (OperationInterceptor i : ordered) {
            try {
                call.accept(i);
            } catch (RuntimeException e) {
                LOG.warn("operation interceptor {} failed on {} of {} (ignored): {}", i.getClass().getName(), what,
                        event.operation().tag(), e.toString());
            }
        }
    }

    /** A new event for an operation starting now, for {@code actor} (empty: nobody named). */
    static OperationEvent event(Operation op, String release, String namespace, String parentId, String actor) {
        return new OperationEvent(java.util.UUID.randomUUID().toString(), op, release == null ? "" : release,
                namespace == null ? "" : namespace, java.time.Instant.now(),
                Optional.ofNullable(parentId), actor);
    }
}
