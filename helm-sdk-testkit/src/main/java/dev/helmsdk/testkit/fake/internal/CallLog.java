package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import dev.helmsdk.testkit.fake.RecordedCall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The calls in the order they started (so an automatic rollback comes after the change that caused
 * it), each completed with its outcome when it ends. Thread-safe.
 */
public final class CallLog {

    private final List<RecordedCall> calls = new ArrayList<>();

    /** Notes a call that starts now; returns its slot for {@link #end}. */
    public synchronized int begin(Operation op, String release, String namespace, ChartRef chart, Values given,
                                  Map<String, Object> values, boolean automatic, String actor) {
        calls.add(new RecordedCall(op, release, namespace, chart, given, ValueMaps.frozen(values), automatic, null, actor));
        return calls.size() - 1;
    }

    /** Notes how the call in {@code slot} ended: {@code error}, or {@code null} for success. */
    public synchronized void end(int slot, HelmSdkException error) {
        if (error != null && slot < calls.size()) {
            RecordedCall c = calls.get(slot);
            calls.set(slot, new RecordedCall(c.operation(), c.release(), c.namespace(), c.chart(), c.given(), c.values(),
                    c.automatic(), error, c.actor()));
        }
    }

    /** A copy of the calls so far. */
    public synchronized List<RecordedCall> snapshot() {
        return List.copyOf(calls);
    }

    /** Forgets the calls so far. */
    public synchronized void clear() {
        calls.clear();
    }
}
