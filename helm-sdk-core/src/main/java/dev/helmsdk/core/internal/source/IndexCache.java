package dev.helmsdk.core.internal.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parsed repository indexes, kept for a time-to-live and then revalidated with a conditional GET.
 *
 * <p>An index is parsed once and shared: a public repository's index is megabytes of YAML that
 * takes far longer to fetch and parse than the lookup it serves. After the TTL the cache asks the
 * origin whether it changed ({@code If-None-Match} / {@code If-Modified-Since}); a 304 keeps the
 * parsed index, so the usual cost of staying current is one small round trip.
 *
 * <p>Entries are keyed by the index URL <em>and</em> a caller-supplied identity (for example a hash
 * of the credentials used): a private repository may serve different content per credential, and
 * content one credential could read must never be served to a caller holding another.
 *
 * <p>Thread-safe. Concurrent calls for the same key share one fetch; calls for different keys
 * never wait for each other's fetch. Failed fetches are not cached: the next call tries again.
 */
public final class IndexCache {

    /** What the origin said to a (conditional) GET of the index. */
    public sealed interface Fetched {
        /** 304 Not Modified: the cached index is still current. */
        record NotModified() implements Fetched {
        }

        /**
         * 200 OK with the index.
         *
         * @param body the response body; the cache reads and closes it
         * @param etag the {@code ETag} header, or null
         * @param lastModified the {@code Last-Modified} header as sent, or null
         */
        record Ok(InputStream body, String etag, String lastModified) implements Fetched {
            /**
             * Rejects a null body.
             *
             * @param body the response body
             * @param etag the {@code ETag} header, or null
             * @param lastModified the {@code Last-Modified} header, or null
             */
            public Ok {
                Objects.requireNonNull(body, "body");
            }
        }
    }

    /** Performs the GET of an index; supplied per call so that it carries that caller's credentials. */
    @FunctionalInterface
    public interface Fetcher {
        /**
         * Fetches the index, conditionally when validators are given.
         *
         * @param indexUrl the index URL
         * @param ifNoneMatch the ETag to send as {@code If-None-Match}, or null (first fetch, or none known)
         * @param ifModifiedSince the value to send as {@code If-Modified-Since}, or null
         * @return the origin's answer; {@link Fetched.NotModified} only when a validator was sent
         * @throws RuntimeException on IO or HTTP failures; the cache propagates it unchanged
         */
        Fetched fetch(URI indexUrl, String ifNoneMatch, String ifModifiedSince);
    }

    /** A parsed index with the validators it came with and when it must next be revalidated. */
    private record Cached(RepositoryIndex index, String etag, String lastModified, Instant freshUntil) {
    }

    private record Key(URI url, String identity) {
    }

    /** One key's state. Its monitor guards {@code inFlight}; {@code cached} is read without it. */
    private static final class Slot {
        volatile Cached cached;
        CompletableFuture<RepositoryIndex> inFlight;
    }

    private final Duration ttl;
    private final int maxIndexes;
    private final Clock clock;
    // Access-ordered, so iteration starts at the least recently used key. Guarded by itself; held
    // only for map operations, never during a fetch, so one slow origin does not block other keys.
    private final LinkedHashMap<Key, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong revalidations = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();

    /**
     * Creates an empty cache.
     *
     * @param ttl how long an index is used without asking the origin; zero revalidates with a
     *        conditional GET on every call
     * @param maxIndexes how many indexes (URL and identity pairs) to keep; the least recently used
     *        is dropped beyond that
     * @param clock the time source (a fixed or adjustable clock in tests)
     * @throws IllegalArgumentException if {@code ttl} is negative or {@code maxIndexes} below 1
     */
    public IndexCache(Duration ttl, int maxIndexes, Clock clock) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
        if (maxIndexes < 1) {
            throw new IllegalArgumentException("maxIndexes must be at least 1: " + maxIndexes);
        }
        this.ttl = ttl;
        this.maxIndexes = maxIndexes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The index at {@code indexUrl} as seen with {@code identity}. Within the TTL the cached index is
     * returned without a request. After it, the origin is asked with a conditional GET: 304 keeps the
     * parsed index and restarts the TTL, 200 parses the new content and replaces it. Concurrent calls
     * for the same URL and identity make one request; the others wait for its result (or failure).
     *
     * @param indexUrl the index's URL (the cache key, with {@code identity})
     * @param identity who is asking, e.g. a hash of the credentials; null counts as {@code ""}
     * @param fetcher performs the GET when one is needed
     * @return the parsed index
     * @throws IOException if the content is not a valid index, the origin answers 304 to an
     *         unconditional request, or the thread is interrupted while waiting for another call's fetch
     * @throws RuntimeException whatever the fetcher throws, unchanged; nothing is cached then
     */
    public RepositoryIndex get(URI indexUrl, String identity, Fetcher fetcher) throws IOException {
        Objects.requireNonNull(indexUrl, "indexUrl");
        Objects.requireNonNull(fetcher, "fetcher");
        Key key = new Key(indexUrl, identity == null ? "" : identity);
        Slot slot = slot(key);
        Cached c = slot.cached;
        if (c != null && isFresh(c)) {
            hits.incrementAndGet();
            return c.index();
        }
        CompletableFuture<RepositoryIndex> mine;
        CompletableFuture<RepositoryIndex> theirs;
        synchronized (slot) {
            theirs = slot.inFlight;
            if (theirs == null) {
                // Another call may have refreshed it between the check above and taking the lock.
                c = slot.cached;
                if (c != null && isFresh(c)) {
                    hits.incrementAndGet();
                    return c.index();
                }
                slot.inFlight = mine = new CompletableFuture<>();
            } else {
                mine = null;
            }
        }
        if (mine == null) {
            hits.incrementAndGet(); // served by another call's request, none of its own
            return await(theirs);
        }
        try {
            RepositoryIndex index = refresh(key, slot, c, fetcher);
            mine.complete(index);
            return index;
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            if (slot.cached == null) {
                // A failed first fetch leaves no empty slot behind to count against maxIndexes.
                synchronized (slots) {
                    slots.remove(key, slot);
                }
            }
            throw e;
        } finally {
            synchronized (slot) {
                slot.inFlight = null;
            }
        }
    }

    /**
     * The last index cached for {@code indexUrl} and {@code identity}, however old, without asking
     * the origin: for callers that prefer a stale index to none while the origin is down.
     *
     * @param indexUrl the index URL
     * @param identity who is asking, as for {@link #get}
     * @return the cached index, or empty when there is none
     */
    public java.util.Optional<RepositoryIndex> stale(URI indexUrl, String identity) {
        Slot s;
        synchronized (slots) {
            s = slots.get(new Key(indexUrl, identity == null ? "" : identity));
        }
        Cached c = s == null ? null : s.cached;
        return c == null ? java.util.Optional.empty() : java.util.Optional.of(c.index());
    }

    /**
     * Drops the cached indexes of {@code indexUrl}, for every identity. A fetch under way is not
     * stopped, but its result is not kept.
     *
     * @param indexUrl the index URL
     */
    public void invalidate(URI indexUrl) {
        synchronized (slots) {
            slots.keySet().removeIf(k -> k.url().equals(indexUrl));
        }
    }

    /** Drops every cached index. Fetches under way complete, but their results are not kept. */
    public void clear() {
        synchronized (slots) {
            slots.clear();
        }
    }

    /**
     * How many parsed indexes the cache holds.
     *
     * @return the number of cached indexes (URL and identity pairs)
     */
    public int size() {
        synchronized (slots) {
            int n = 0;
            for (Slot s : slots.values()) {
                n += s.cached == null ? 0 : 1; // not a slot whose first fetch is still under way
            }
            return n;
        }
    }

    /**
     * Calls answered without a request of their own: from a fresh cached index, or by sharing a
     * concurrent call's request.
     *
     * @return the count since creation
     */
    public long hits() {
        return hits.get();
    }

    /**
     * Conditional requests the origin answered with 304, keeping the cached index.
     *
     * @return the count since creation
     */
    public long revalidations() {
        return revalidations.get();
    }

    /**
     * Indexes downloaded and parsed (200 answers).
     *
     * @return the count since creation
     */
    public long downloads() {
        return downloads.get();
    }

    private Slot slot(Key key) {
        synchronized (slots) {
            Slot s = slots.get(key); // also marks it most recently used
            if (s == null) {
                s = new Slot();
                slots.put(key, s);
                Iterator<Slot> eldest = slots.values().iterator();
                while (slots.size() > maxIndexes && eldest.hasNext()) {
                    // Callers holding an evicted slot still finish with it; it is just not found again.
                    eldest.next();
                    eldest.remove();
                }
            }
            return s;
        }
    }

    private boolean isFresh(Cached c) {
        return clock.instant().isBefore(c.freshUntil());
    }

    private RepositoryIndex refresh(Key key, Slot slot, Cached prior, Fetcher fetcher) throws IOException {
        Fetched answer = prior == null
                ? fetcher.fetch(key.url(), null, null)
                : fetcher.fetch(key.url(), prior.etag(), prior.lastModified());
        if (answer instanceof Fetched.NotModified) {
            if (prior == null || (prior.etag() == null && prior.lastModified() == null)) {
                // Nothing to keep: the origin (or a proxy) broke the protocol.
                throw new IOException("origin answered 304 Not Modified to an unconditional GET of " + key.url());
            }
            slot.cached = new Cached(prior.index(), prior.etag(), prior.lastModified(), clock.instant().plus(ttl));
            revalidations.incrementAndGet();
            return prior.index();
        }
        if (answer instanceof Fetched.Ok ok) {
            RepositoryIndex index;
            try (InputStream body = ok.body()) {
                index = RepositoryIndex.parse(body);
            }
            slot.cached = new Cached(index, ok.etag(), ok.lastModified(), clock.instant().plus(ttl));
            downloads.incrementAndGet();
            return index;
        }
        throw new IOException("fetcher returned " + answer + " for " + key.url());
    }

    private static RepositoryIndex await(CompletableFuture<RepositoryIndex> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException iioe = new InterruptedIOException("interrupted while waiting for the index");
            iioe.initCause(e);
            throw iioe;
        } catch (ExecutionException e) {
            // The fetching call's own exception, so every waiter sees what the fetcher threw.
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(cause));
        }
    }
}
