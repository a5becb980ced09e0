package dev.helmsdk.core.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Hands out fabric8 clients whose requests end at a deadline: fabric8's own per-request timeout,
 * set to the time the operation has left, so the HTTP client itself abandons the exchange and
 * closes its connection at the deadline. (Interrupting a thread blocked in fabric8 does not do
 * that: fabric8 stops waiting but leaves the request running.) Once the deadline has passed no
 * client is handed out and nothing is sent.
 *
 * <p>The deadline comes from the operation running on the calling thread ({@link #current()}, set
 * by {@link OperationRunner}) or is given explicitly (Lease renewal runs on a timer thread).
 * Outside any operation the base client is used as it is.
 */
final class BoundedClient {

    private final KubernetesClient base;
    private final Supplier<Optional<Deadline>> current;

    public BoundedClient(KubernetesClient base, Supplier<Optional<Deadline>> current) {
        this.base = base;
        this.current = current;
    }

    /** Unbounded: for clients used outside operations (tests, tools). */
    public static BoundedClient unbounded(KubernetesClient base) {
        return new BoundedClient(base, Optional::empty);
    }

    /** The client as configured, for what sends nothing (serialization, configuration). */
    public KubernetesClient base() {
        return base;
    }

    /** The deadline of the operation on this thread, if any. */
    public Optional<Deadline> current() {
        return current.get();
    }

    /** A client bounded by the current operation's deadline. */
    public KubernetesClient get() {
        Optional<Deadline> d = current.get();
        return d.isPresent() ? within(d.get()) : base;
    }

    /** A client whose requests end at {@code deadline}; none once it has passed. */
    public KubernetesClient within(Deadline deadline) {
        long millis = Math.max(1, deadline.remainingFor("a request to the Kubernetes API").toMillis());
        RequestConfig rc = new RequestConfigBuilder(base.getConfiguration().getRequestConfig())
                .withRequestTimeout((int) Math.min(Integer.MAX_VALUE, millis)).build();
        return base.newClient(rc).adapt(KubernetesClient.class);
    }
}
