package dev.helmsdk.core.internal.secrets;

import dev.helmsdk.api.secrets.SecretReference;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Values resolved earlier, per reference, kept for their scheme's time to live; a scheme without
 * one is resolved on every operation (the default). Failures are never kept. Thread-safe. The
 * values live only in this manager's memory, for at most their TTL.
 */
final class SecretCache {

    /** Caches nothing. */
    static final SecretCache NONE = new SecretCache(Map.of(), System::nanoTime);

    private record Entry(Object value, long expiresAtNanos) {
    }

    private final Map<String, Duration> ttlByScheme;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    SecretCache(Map<String, Duration> ttlByScheme, LongSupplier nanoTime) {
        this.ttlByScheme = Map.copyOf(ttlByScheme);
        this.nanoTime = nanoTime;
    }

    /** A cache keeping each scheme's values for its TTL. */
    static SecretCache of(Map<String, Duration> ttlByScheme) {
        return ttlByScheme.isEmpty() ? NONE : new SecretCache(ttlByScheme, System::nanoTime);
    }

    /** The value kept for {@code ref}, if still fresh. */
    Optional<Object> get(SecretReference ref) {
        if (!ttlByScheme.containsKey(ref.scheme())) {
            return Optional.empty();
        }
        Entry e = entries.get(ref.text());
        if (e == null) {
            return Optional.empty();
        }
        if (nanoTime.getAsLong() - e.expiresAtNanos() >= 0) {
            entries.remove(ref.text(), e);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    /** Keeps {@code value} for {@code ref}'s scheme's TTL, if it has one. */
    void put(SecretReference ref, Object value) {
        Duration ttl = ttlByScheme.get(ref.scheme());
        if (ttl != null) {
            entries.put(ref.text(), new Entry(value, nanoTime.getAsLong() + ttl.toNanos()));
        }
    }

    @Override
    public String toString() {
        return "SecretCache" + ttlByScheme.keySet() + "[" + entries.size() + " kept]";
    }
}
