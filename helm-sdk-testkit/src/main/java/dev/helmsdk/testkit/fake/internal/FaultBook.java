package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.Operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** The faults waiting to happen; thread-safe, and a fault given once happens to one call only. */
public final class FaultBook {

    private final List<Fault> faults = new ArrayList<>();

    /** Adds a fault after those already waiting. */
    public synchronized void add(Fault fault) {
        faults.add(fault);
    }

    /** Forgets every waiting fault. */
    public synchronized void clear() {
        faults.clear();
    }

    /** The total slowdown for a call of {@code op} on {@code release} (consuming one-time slowdowns). */
    public synchronized Duration delay(Operation op, String release) {
        Duration total = Duration.ZERO;
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.kind() == Fault.Kind.SLOW && f.matches(op, release)) {
                total = total.plus(f.delay());
                if (f.once()) {
                    it.remove();
                }
            }
        }
        return total;
    }

    /** The first waiting fault of {@code kinds} for a call of {@code op} on {@code release}, consumed if given once. */
    public synchronized Optional<Fault> take(Operation op, String release, Fault.Kind... kinds) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.kind() != Fault.Kind.SLOW && f.matches(op, release) && List.of(kinds).contains(f.kind())) {
                if (f.once()) {
                    it.remove();
                }
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** What is waiting, for messages. */
    @Override
    public synchronized String toString() {
        return "FaultBook" + new ArrayList<>(faults);
    }
}
