package dev.helmsdk.core.internal.cache;

import dev.helmsdk.api.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The release cache's meter, registered on first use (so a manager without a cache has none). */
public final class CacheMeters {

    /** Read cache lookups: counter; tags {@code operation}, {@code result} ({@code hit}, {@code miss}). */
    public static final String READS = "helm.sdk.reads.cache";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** @param registry where the counter goes, or {@code null} for nowhere */
    public CacheMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts a read of a cached namespace that the cache answered ({@code hit}) or sent to the API. */
    public void read(Operation op, boolean hit) {
        if (registry == null) {
            return;
        }
        String result = hit ? "hit" : "miss";
        counters.computeIfAbsent(op.tag() + " " + result, k -> Counter.builder(READS)
                .description("Reads of release records the cache answered (hit) or sent to the API (miss)")
                .tag("operation", op.tag()).tag("result", result).register(registry)).increment();
    }
}
