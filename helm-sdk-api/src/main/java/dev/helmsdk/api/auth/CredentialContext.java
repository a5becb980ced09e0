package dev.helmsdk.api.auth;

import dev.helmsdk.api.Operation;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@link CredentialProvider} may use while resolving: the operation being performed and a
 * typed service registry. The API does not depend on any client library, so services (for
 * instance a fabric8 {@code KubernetesClient}) are looked up by class: a provider found by
 * ServiceLoader asks {@code ctx.service(KubernetesClient.class)}. Providers constructed in code
 * usually receive what they need in their constructor instead.
 *
 * <p>Within an operation the context also says how much of its time is left ({@link #timeLeft()}):
 * a provider that calls out (an API server, a vault, a cloud's token service) ends its calls
 * within it. At the operation's limit the caller gets its timeout whatever a provider does, and
 * the thread asking the provider is interrupted shortly after.
 */
public final class CredentialContext {

    private static final CredentialContext EMPTY = new CredentialContext(Operation.CONFIGURE, Map.of(), null);

    private final Operation operation;
    private final Map<Class<?>, Object> services;
    private final Supplier<Duration> timeLeft;

    private CredentialContext(Operation operation, Map<Class<?>, Object> services, Supplier<Duration> timeLeft) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.timeLeft = timeLeft;
        for (Map.Entry<Class<?>, Object> e : services.entrySet()) {
            if (!e.getKey().isInstance(e.getValue())) {
                throw new IllegalArgumentException("service registered for " + e.getKey().getName()
                        + " is a " + e.getValue().getClass().getName());
            }
        }
        this.services = Map.copyOf(services);
    }

    /** A context with no services, for {@link Operation#CONFIGURE}. */
    public static CredentialContext empty() {
        return EMPTY;
    }

    /** A context for {@code operation} with no services. */
    public static CredentialContext of(Operation operation) {
        return new CredentialContext(operation, Map.of(), null);
    }

    /** A context for {@code operation} with the given services (each value must be an instance of its key). */
    public static CredentialContext of(Operation operation, Map<Class<?>, Object> services) {
        Objects.requireNonNull(services, "services");
        return new CredentialContext(operation, services, null);
    }

    /** The operation credentials are resolved for. */
    public Operation operation() {
        return operation;
    }

    /** A service registered under {@code type}, if any. */
    public <T> Optional<T> service(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }

    /** A copy with one more service. */
    public <T> CredentialContext with(Class<T> type, T service) {
        Map<Class<?>, Object> copy = new java.util.HashMap<>(services);
        copy.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(service, "service"));
        return new CredentialContext(operation, copy, timeLeft);
    }

    /**
     * The time the operation has left, as it is at each call (never negative); empty outside an
     * operation with a time limit. A provider bounds what it sends by it.
     */
    public Optional<Duration> timeLeft() {
        if (timeLeft == null) {
            return Optional.empty();
        }
        Duration left = timeLeft.get();
        return Optional.of(left == null || left.isNegative() ? Duration.ZERO : left);
    }

    /** A copy whose {@link #timeLeft()} is what {@code timeLeft} answers at each call (the SDK gives its operation's). */
    public CredentialContext withTimeLeft(Supplier<Duration> timeLeft) {
        return new CredentialContext(operation, services, Objects.requireNonNull(timeLeft, "timeLeft"));
    }

    @Override
    public String toString() {
        return "CredentialContext[operation=" + operation.tag() + ", services=" + services.keySet().stream().map(Class::getName).sorted().toList()
                + (timeLeft == null ? "" : ", timeLeft=" + timeLeft().orElseThrow().toMillis() + " ms") + "]";
    }
}
