package dev.helmsdk.it;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.spi.OperationEvent;
import dev.helmsdk.api.spi.OperationInterceptor;
import dev.helmsdk.api.spi.OperationOutcome;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records every event and outcome an interceptor is shown; checks that each after matches a before, once. */
public final class RecordingInterceptor implements OperationInterceptor {
    /** Every operation's event, in the order they started. */
    public final List<OperationEvent> before = new CopyOnWriteArrayList<>();
    /** Every operation's outcome, by its event's id. */
    public final Map<String, OperationOutcome> after = new ConcurrentHashMap<>();

    @Override
    public void before(OperationEvent event) {
        before.add(event);
    }

    @Override
    public void after(OperationEvent event, OperationOutcome outcome) {
        assertTrue(before.contains(event), "after without before: " + event);
        assertNull(after.put(event.id(), outcome), "after twice: " + event);
    }

    /** The events of {@code op}. */
    public List<OperationEvent> of(Operation op) {
        return before.stream().filter(e -> e.operation() == op).toList();
    }
}
