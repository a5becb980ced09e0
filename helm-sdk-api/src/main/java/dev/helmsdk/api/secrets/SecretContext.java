package dev.helmsdk.api.secrets;

import dev.helmsdk.api.Operation;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@link SecretResolver} knows of the operation it resolves for: which operation, on which
 * release and namespace, and how much of its time is left. A resolver that calls out ends its calls
 * within {@link #timeLeft()}; at the limit the SDK fails the operation with a {@code TIMEOUT}
 * whatever the resolver does, and interrupts the thread asking it.
 */
public final class SecretContext {

    private final Operation operation;
    private final String releaseName;
    private final String namespace;
    private final Supplier<Duration> timeLeft;
    private final List<Object> connections;

    /**
     * A context with no connections.
     *
     * @param operation   the operation resolving
     * @param releaseName its release, or {@code null}
     * @param namespace   its namespace, or {@code null}
     * @param timeLeft    what is left of its time at each call
     */
    public SecretContext(Operation operation, String releaseName, String namespace, Supplier<Duration> timeLeft) {
        this(operation, releaseName, namespace, timeLeft, List.of());
    }

    /**
     * @param operation   the operation resolving
     * @param releaseName its release, or {@code null}
     * @param namespace   its namespace, or {@code null}
     * @param timeLeft    what is left of its time at each call
     * @param connections the manager's connections a resolver may use, see {@link #connection(Class)}
     */
    public SecretContext(Operation operation, String releaseName, String namespace, Supplier<Duration> timeLeft,
                         List<?> connections) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.releaseName = releaseName;
        this.namespace = namespace;
        this.timeLeft = Objects.requireNonNull(timeLeft, "timeLeft");
        this.connections = List.copyOf(Objects.requireNonNull(connections, "connections"));
    }

    /**
     * One of the manager's own connections, by type, for a resolver that reads from a system the
     * manager is already connected to. A manager built by {@code HelmSdk} offers its cluster
     * connection as {@code io.fabric8.kubernetes.client.KubernetesClient}: the same credentials, and
     * every request bounded by the operation's time. Resolvers do not close what they get here.
     *
     * @param type the connection's type (or a supertype of it)
     * @param <T>  that type
     * @return the first connection of that type, or empty when the manager has none
     */
    public <T> Optional<T> connection(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return connections.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The operation resolving. */
    public Operation operation() {
        return operation;
    }

    /** The operation's release, if any. */
    public Optional<String> releaseName() {
        return Optional.ofNullable(releaseName);
    }

    /** The operation's namespace, if any. */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** The operation's time left, as it is at each call (never negative). */
    public Duration timeLeft() {
        Duration left = timeLeft.get();
        return left == null || left.isNegative() ? Duration.ZERO : left;
    }

    @Override
    public String toString() {
        return "SecretContext[" + operation.tag() + " " + releaseName + " in " + namespace + ", timeLeft=" + timeLeft().toMillis() + " ms]";
    }
}
