package dev.helmsdk.core.internal;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The managers waiting for a release's Lease, in the order they started waiting, recorded on the Lease itself
 * (annotation {@value #ANNOTATION}, one line per waiter: {@code <since-ms> <seen-ms> <identity>}, wall-clock
 * epoch milliseconds). A waiter refreshes its {@code seen} time while it polls; an entry not refreshed for
 * {@link #STALE_MILLIS} belongs to a waiter that gave up or died and is ignored (and dropped by the next writer),
 * so a dead waiter never blocks the others. Immutable: changes return a new queue, written back with
 * {@link #writeTo} in an update that carries the Lease's resourceVersion.
 */
record LeaseQueue(List<Waiter> waiters) {

    static final String ANNOTATION = "helm-sdk.dev/waiters";
    /** How often a waiter refreshes its entry: a write per second at most while it waits. */
    static final long REFRESH_MILLIS = 1_000;
    /** An entry older than this is a waiter that is gone: a few refresh periods, so a slow poll is not mistaken for it. */
    static final long STALE_MILLIS = 3_000;

    record Waiter(String identity, long sinceMillis, long seenMillis) {
        boolean fresh(long nowMillis) {
            return nowMillis - seenMillis < STALE_MILLIS;
        }
    }

    LeaseQueue {
        waiters = List.copyOf(waiters);
    }

    /** The queue recorded on {@code lease}; lines that cannot be read are ignored. */
    static LeaseQueue of(Lease lease) {
        Map<String, String> annotations = lease.getMetadata() == null ? null : lease.getMetadata().getAnnotations();
        String text = annotations == null ? null : annotations.get(ANNOTATION);
        List<Waiter> list = new ArrayList<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                String[] f = line.trim().split(" ", 3);
                try {
                    if (f.length == 3 && !f[2].isBlank()) {
                        list.add(new Waiter(f[2], Long.parseLong(f[0]), Long.parseLong(f[1])));
                    }
                } catch (NumberFormatException e) {
                    // Not ours to interpret: skip it.
                }
            }
        }
        return new LeaseQueue(list);
    }

    /** Records this queue on {@code lease} (without stale entries), or removes the annotation when none is left. */
    void writeTo(Lease lease, long nowMillis) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (lease.getMetadata().getAnnotations() != null) {
            annotations.putAll(lease.getMetadata().getAnnotations());
        }
        StringBuilder text = new StringBuilder();
        for (Waiter w : waiters) {
            if (w.fresh(nowMillis)) {
                text.append(text.isEmpty() ? "" : "\n").append(w.sinceMillis()).append(' ').append(w.seenMillis())
                        .append(' ').append(w.identity());
            }
        }
        if (text.isEmpty()) {
            annotations.remove(ANNOTATION);
        } else {
            annotations.put(ANNOTATION, text.toString());
        }
        lease.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    }

    Optional<Waiter> find(String identity) {
        return waiters.stream().filter(w -> w.identity().equals(identity)).findFirst();
    }

    /** The longest-waiting waiter whose entry is fresh, other than {@code except}. */
    Optional<Waiter> oldestFresh(long nowMillis, String except) {
        return waiters.stream().filter(w -> w.fresh(nowMillis) && !w.identity().equals(except)).findFirst();
    }

    /** Whether a live waiter started waiting before {@code identity} (any live waiter, if it is not queued). */
    boolean liveWaiterAhead(String identity, long nowMillis) {
        for (Waiter w : waiters) {
            if (w.identity().equals(identity)) {
                return false;
            }
            if (w.fresh(nowMillis)) {
                return true;
            }
        }
        return false;
    }

    /** {@code identity} queued (at the end if new, in its place if already there) and seen now. */
    LeaseQueue with(String identity, long nowMillis) {
        List<Waiter> list = new ArrayList<>(waiters);
        Optional<Waiter> mine = find(identity);
        if (mine.isPresent()) {
            list.set(list.indexOf(mine.get()), new Waiter(identity, mine.get().sinceMillis(), nowMillis));
        } else {
            list.add(new Waiter(identity, nowMillis, nowMillis));
        }
        return new LeaseQueue(list);
    }

    LeaseQueue without(String identity) {
        return new LeaseQueue(waiters.stream().filter(w -> !w.identity().equals(identity)).toList());
    }
}
