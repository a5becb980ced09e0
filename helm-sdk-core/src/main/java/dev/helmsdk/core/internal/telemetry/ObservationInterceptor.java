package dev.helmsdk.core.internal.telemetry;

import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.api.spi.OperationOutcome;
import dev.helmsdk.api.spi.OperationPhase;
import dev.helmsdk.api.spi.OperationSignal;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One Micrometer {@link Observation} per operation ({@value #OPERATION}, contextual name {@code helm install}) and
 * one per phase inside it ({@value #PHASE}), so a tracing bridge shows the lock wait, the apply and the readiness
 * wait as spans under the operation, and an automatic rollback as an operation under its change's remediate phase.
 *
 * <p>Low-cardinality keys: {@code operation}, {@code outcome} ({@code success} or the error's kind),
 * {@code remediation}, and {@code phase} on phases; high-cardinality: only the release's and namespace's names. A
 * failure is recorded as a {@link Failure} naming its kind and class, never its message (which may quote user
 * input). What an operation has open is kept by its event's id and dropped when it ends, failed or vetoed.
 */
public final class ObservationInterceptor implements OperationInterceptor {

    /** The name of an operation's observation. */
    public static final String OPERATION = "helm.sdk.operation";
    /** The name of a phase's observation. */
    public static final String PHASE = "helm.sdk.phase";
    static final String SUCCESS = "success";

    private final ObservationRegistry registry;
    private final Function<Throwable, String> kinds;
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    /**
     * @param registry where observations go
     * @param kinds    a failure's kind in the meters' words ({@code operation_timeout}, {@code auto_rollback})
     */
    public ObservationInterceptor(ObservationRegistry registry, Function<Throwable, String> kinds) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.kinds = Objects.requireNonNull(kinds, "kinds");
    }

    /** Before every other interceptor and after them all: the span covers what they do too. */
    @Override
    public int order() {
        return Integer.MIN_VALUE;
    }

    @Override
    public void before(OperationEvent event) {
        String op = event.operation().tag();
        Observation observation = Observation.createNotStarted(OPERATION, registry)
                .contextualName("helm " + op)
                .lowCardinalityKeyValue("operation", op)
                .lowCardinalityKeyValue("remediation", String.valueOf(event.remediation()))
                .highCardinalityKeyValue("release", event.releaseName())
                .highCardinalityKeyValue("namespace", event.namespace());
        // A remediation's step runs inside the remediate phase of the change it undoes.
        event.parentId().map(running::get).map(Running::innermost).ifPresent(observation::parentObservation);
        running.put(event.id(), new Running(observation.start()));
    }

    @Override
    public void signal(OperationEvent event, OperationSignal signal) {
        Running r = running.get(event.id());
        if (r == null) {
            return; // ended already (a worker still going after its caller's timeout)
        }
        if (signal instanceof OperationSignal.PhaseStarted started) {
            r.start(started.phase(), event.operation().tag());
        } else if (signal instanceof OperationSignal.PhaseEnded ended) {
            r.end(ended.phase(), ended.errorKind());
        }
    }

    @Override
    public void after(OperationEvent event, OperationOutcome outcome) {
        Running r = running.remove(event.id());
        if (r == null) {
            return;
        }
        Optional<String> kind = outcome.failure().map(kinds);
        r.finish(kind, outcome.failure().map(f -> f.getClass().getName()));
    }

    /** How many operations are open now: for tests that no state is left behind. */
    int open() {
        return running.size();
    }

    /** A failure as spans record it: its kind and class, without the message, the cause or a stack. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String kind, String type) {
            super(type == null ? kind : kind + " (" + type + ")", null, false, false);
        }
    }

    /** One operation's observation and its open phases, innermost first; used from one thread at a time, but guarded. */
    private final class Running {
        private final Observation operation;
        private final Deque<Open> phases = new ArrayDeque<>();

        private record Open(OperationPhase phase, Observation observation) {
        }

        Running(Observation operation) {
            this.operation = operation;
        }

        synchronized Observation innermost() {
            return phases.isEmpty() ? operation : phases.peek().observation();
        }

        synchronized void start(OperationPhase phase, String op) {
            Observation child = Observation.createNotStarted(PHASE, registry)
                    .contextualName("helm " + op + " " + phase.tag())
                    .lowCardinalityKeyValue("phase", phase.tag())
                    .lowCardinalityKeyValue("operation", op)
                    .parentObservation(innermost());
            phases.push(new Open(phase, child.start()));
        }

        synchronized void end(OperationPhase phase, Optional<String> errorKind) {
            for (Iterator<Open> i = phases.iterator(); i.hasNext(); ) {
                Open open = i.next();
                if (open.phase() == phase) {
                    i.remove();
                    stop(open.observation(), errorKind, Optional.empty());
                    return;
                }
            }
        }

        /** Ends the phases still open (their thread was given up on at a timeout) with the operation's outcome, then it. */
        synchronized void finish(Optional<String> kind, Optional<String> type) {
            while (!phases.isEmpty()) {
                stop(phases.pop().observation(), kind, type);
            }
            stop(operation, kind, type);
        }

        private void stop(Observation o, Optional<String> kind, Optional<String> type) {
            o.lowCardinalityKeyValue("outcome", kind.orElse(SUCCESS));
            kind.ifPresent(k -> o.error(new Failure(k, type.orElse(null))));
            o.stop();
        }
    }
}
