package dev.helmsdk.core.internal.source;

import dev.helmsdk.core.internal.source.IndexCache.Fetched;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexCacheTest {

    private static final URI A = URI.create("https://a.example/charts/index.yaml");
    private static final URI B = URI.create("https://b.example/index.yaml");
    private static final URI C = URI.create("https://c.example/index.yaml");
    private static final Duration TTL = Duration.ofSeconds(60);

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** Records every request and answers from a queue (or a default answer). */
    static final class FakeOrigin implements IndexCache.Fetcher {
        record Call(URI url, String ifNoneMatch, String ifModifiedSince) {
        }

        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final Deque<Supplier<Fetched>> answers = new ArrayDeque<>();

        FakeOrigin answer(Supplier<Fetched> s) {
            answers.add(s);
            return this;
        }

        @Override
        public synchronized Fetched fetch(URI indexUrl, String ifNoneMatch, String ifModifiedSince) {
            calls.add(new Call(indexUrl, ifNoneMatch, ifModifiedSince));
            Supplier<Fetched> next = answers.poll();
            if (next == null) {
                throw new AssertionError("unexpected request " + calls.get(calls.size() - 1));
            }
            return next.get();
        }
    }

    private final MutableClock clock = new MutableClock();

    private static Fetched.Ok ok(String chart, String etag, String lastModified) {
        return new Fetched.Ok(body(chart), etag, lastModified);
    }

    private static InputStream body(String chart) {
        String yaml = "apiVersion: v1\nentries:\n  " + chart + ":\n  - name: " + chart
                + "\n    version: 1.0.0\n    urls: [" + chart + "-1.0.0.tgz]\n";
        return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withinTheTtlTheCachedIndexIsUsedWithoutARequest() throws IOException {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        FakeOrigin origin = new FakeOrigin().answer(() -> ok("web", "\"v1\"", null));

        RepositoryIndex first = cache.get(A, "id", origin);
        clock.advance(Duration.ofSeconds(59));
        RepositoryIndex second = cache.get(A, "id", origin);

        assertSame(first, second);
        assertEquals(List.of(new FakeOrigin.Call(A, null, null)), origin.calls);
        assertEquals(1, cache.downloads());
        assertEquals(1, cache.hits());
        assertEquals(0, cache.revalidations());
        assertEquals(1, cache.size());
    }

    @Test
    void staleIndexIsRevalidatedAndNotModifiedKeepsItAndRestartsTheTtl() throws IOException {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        String lm = "Wed, 21 Oct 2015 07:28:00 GMT";
        FakeOrigin origin = new FakeOrigin()
                .answer(() -> ok("web", "\"v1\"", lm))
                .answer(Fetched.NotModified::new)
                .answer(Fetched.NotModified::new);

        RepositoryIndex first = cache.get(A, "id", origin);
        clock.advance(TTL); // exactly at the TTL counts as stale
        assertSame(first, cache.get(A, "id", origin));
        assertEquals(new FakeOrigin.Call(A, "\"v1\"", lm), origin.calls.get(1));
        assertEquals(1, cache.revalidations());

        clock.advance(Duration.ofSeconds(59)); // the 304 restarted the TTL
        assertSame(first, cache.get(A, "id", origin));
        assertEquals(2, origin.calls.size());
        clock.advance(Duration.ofSeconds(2));
        assertSame(first, cache.get(A, "id", origin));
        assertEquals(3, origin.calls.size());
        assertEquals(new FakeOrigin.Call(A, "\"v1\"", lm), origin.calls.get(2));
        assertEquals(2, cache.revalidations());
        assertEquals(1, cache.downloads());
    }

    @Test
    void okAnswerReplacesTheIndexAndItsValidators() throws IOException {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        FakeOrigin origin = new FakeOrigin()
                .answer(() -> ok("web", "\"v1\"", null))
                .answer(() -> ok("api", null, "Thu, 22 Oct 2015 07:28:00 GMT"))
                .answer(Fetched.NotModified::new);

        RepositoryIndex first = cache.get(A, "id", origin);
        clock.advance(TTL.plusSeconds(1));
        RepositoryIndex second = cache.get(A, "id", origin);
        assertNotSame(first, second);
        assertEquals(List.of("api"), List.copyOf(second.chartNames()));
        assertEquals(new FakeOrigin.Call(A, "\"v1\"", null), origin.calls.get(1));

        clock.advance(TTL.plusSeconds(1));
        assertSame(second, cache.get(A, "id", origin));
        assertEquals(new FakeOrigin.Call(A, null, "Thu, 22 Oct 2015 07:28:00 GMT"), origin.calls.get(2));
        assertEquals(2, cache.downloads());
        assertEquals(1, cache.revalidations());
    }

    @Test
    void ttlZeroRevalidatesOnEveryCall() throws IOException {
        IndexCache cache = new IndexCache(Duration.ZERO, 10, clock);
        FakeOrigin origin = new FakeOrigin()
                .answer(() -> ok("web", "\"v1\"", null))
                .answer(Fetched.NotModified::new)
                .answer(Fetched.NotModified::new);

        RepositoryIndex first = cache.get(A, "id", origin);
        assertSame(first, cache.get(A, "id", origin)); // no clock movement at all
        assertSame(first, cache.get(A, "id", origin));

        assertEquals(List.of(new FakeOrigin.Call(A, null, null), new FakeOrigin.Call(A, "\"v1\"", null),
                new FakeOrigin.Call(A, "\"v1\"", null)), origin.calls);
        assertEquals(0, cache.hits());
        assertEquals(2, cache.revalidations());
    }

    @Test
    void leastRecentlyUsedIndexIsEvictedBeyondMaxIndexes() throws IOException {
        IndexCache cache = new IndexCache(TTL, 2, clock);
        FakeOrigin origin = new FakeOrigin()
                .answer(() -> ok("a", null, null))
                .answer(() -> ok("b", null, null))
                .answer(() -> ok("c", null, null))
                .answer(() -> ok("b", null, null));

        cache.get(A, "", origin);
        cache.get(B, "", origin);
        cache.get(A, "", origin); // A is now more recently used than B
        cache.get(C, "", origin); // evicts B
        assertEquals(2, cache.size());
        assertEquals(3, origin.calls.size());

        cache.get(A, "", origin); // still cached
        assertEquals(3, origin.calls.size());
        cache.get(B, "", origin); // fetched again, evicting C
        assertEquals(4, origin.calls.size());
        assertEquals(B, origin.calls.get(3).url());
        assertEquals(2, cache.size());
        assertThrows(AssertionError.class, () -> cache.get(C, "", origin)); // C was evicted: a request
    }

    @Test
    void identitiesAreCachedSeparatelyAndInvalidateDropsThemAll() throws IOException {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        FakeOrigin origin = new FakeOrigin()
                .answer(() -> ok("public", null, null))
                .answer(() -> ok("private", null, null))
                .answer(() -> ok("other", null, null))
                .answer(() -> ok("public", null, null));

        RepositoryIndex anonymous = cache.get(A, null, origin);
        RepositoryIndex alice = cache.get(A, "sha256:alice", origin);
        assertEquals(List.of("public"), List.copyOf(anonymous.chartNames()));
        assertEquals(List.of("private"), List.copyOf(alice.chartNames()));
        assertSame(anonymous, cache.get(A, "", origin)); // null identity is ""
        assertSame(alice, cache.get(A, "sha256:alice", origin));
        cache.get(B, "sha256:alice", origin);
        assertEquals(3, cache.size());

        cache.invalidate(A);
        assertEquals(1, cache.size());
        assertEquals(List.of("public"), List.copyOf(cache.get(A, "", origin).chartNames()));
        assertEquals(4, origin.calls.size());

        cache.clear();
        assertEquals(0, cache.size());
    }

    @Test
    void fetcherExceptionPropagatesUnchangedAndNothingIsCached() throws IOException {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        UncheckedIOException failure = new UncheckedIOException(new IOException("connection refused"));
        FakeOrigin origin = new FakeOrigin()
                .answer(() -> {
                    throw failure;
                })
                .answer(() -> ok("web", "\"v1\"", null));

        assertSame(failure, assertThrows(UncheckedIOException.class, () -> cache.get(A, "id", origin)));
        assertEquals(0, cache.size());
        assertEquals(0, cache.downloads());

        cache.get(A, "id", origin); // tried again, not a cached failure
        assertEquals(2, origin.calls.size());
        assertEquals(1, cache.size());
    }

    @Test
    void failedRevalidationKeepsTheOldIndexButRetriesNextTime() throws IOException {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        IllegalStateException failure = new IllegalStateException("HTTP 503 from https://a.example");
        FakeOrigin origin = new FakeOrigin()
                .answer(() -> ok("web", "\"v1\"", null))
                .answer(() -> {
                    throw failure;
                })
                .answer(Fetched.NotModified::new);

        RepositoryIndex first = cache.get(A, "id", origin);
        clock.advance(TTL);
        assertSame(failure, assertThrows(IllegalStateException.class, () -> cache.get(A, "id", origin)));
        assertEquals(1, cache.size());
        assertSame(first, cache.get(A, "id", origin)); // stale, so asks again; the validators survived
        assertEquals(new FakeOrigin.Call(A, "\"v1\"", null), origin.calls.get(2));
    }

    @Test
    void malformedDownloadIsAnIOExceptionAndNotCached() throws IOException {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        boolean[] closed = {false};
        InputStream bad = new ByteArrayInputStream("apiVersion: v1\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        FakeOrigin origin = new FakeOrigin()
                .answer(() -> new Fetched.Ok(bad, "\"bad\"", null))
                .answer(() -> ok("web", null, null));

        IOException e = assertThrows(IOException.class, () -> cache.get(A, "id", origin));
        assertEquals("index has no 'entries' map", e.getMessage());
        assertTrue(closed[0], "the cache closes the body it was given");
        assertEquals(0, cache.size());
        cache.get(A, "id", origin);
        assertEquals(new FakeOrigin.Call(A, null, null), origin.calls.get(1)); // no validators of the bad body
    }

    @Test
    void notModifiedToAnUnconditionalRequestIsAnError() {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        FakeOrigin origin = new FakeOrigin().answer(Fetched.NotModified::new);
        IOException e = assertThrows(IOException.class, () -> cache.get(A, "id", origin));
        assertTrue(e.getMessage().contains("304"), e.getMessage());
        assertEquals(0, cache.size());
    }

    @Test
    void concurrentCallsForTheSameIndexMakeOneRequest() throws Exception {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        IndexCache.Fetcher slow = (url, inm, ims) -> {
            requests.incrementAndGet();
            entered.countDown();
            await(release);
            return ok("web", "\"v1\"", null);
        };
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
            List<Future<RepositoryIndex>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    threads.add(Thread.currentThread());
                    return cache.get(A, "id", slow);
                }));
            }
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            // Let the other callers reach the cache and park on the fetch under way before releasing.
            waitUntil(() -> threads.size() == callers
                    && threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count() >= callers - 1);
            release.countDown();
            RepositoryIndex first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<RepositoryIndex> f : results) {
                assertSame(first, f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, requests.get());
            assertEquals(1, cache.downloads());
            assertEquals(callers - 1, cache.hits());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCallersAllSeeTheFetchersFailure() throws Exception {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException failure = new IllegalStateException("HTTP 401");
        IndexCache.Fetcher failing = (url, inm, ims) -> {
            entered.countDown();
            await(release);
            throw failure;
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
            Future<RepositoryIndex> leader = pool.submit(() -> cache.get(A, "id", failing));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            Future<RepositoryIndex> waiter = pool.submit(() -> {
                threads.add(Thread.currentThread());
                return cache.get(A, "id", failing);
            });
            waitUntil(() -> threads.size() == 1 && threads.get(0).getState() == Thread.State.WAITING);
            release.countDown();
            for (Future<RepositoryIndex> f : Arrays.asList(leader, waiter)) {
                var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
                assertSame(failure, e.getCause());
            }
            assertEquals(0, cache.size());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void differentUrlsDoNotWaitForEachOther() throws Exception {
        IndexCache cache = new IndexCache(TTL, 10, clock);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IndexCache.Fetcher blocking = (url, inm, ims) -> {
            entered.countDown();
            await(release);
            return ok("slow", null, null);
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RepositoryIndex> slow = pool.submit(() -> cache.get(A, "id", blocking));
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            // A is mid-fetch; B (and A with another identity) must complete on this thread meanwhile.
            assertEquals(List.of("b"), List.copyOf(cache.get(B, "id", new FakeOrigin().answer(() -> ok("b", null, null)))
                    .chartNames()));
            assertEquals(List.of("a2"), List.copyOf(cache.get(A, "other", new FakeOrigin().answer(() -> ok("a2", null, null)))
                    .chartNames()));
            assertEquals(2, cache.size()); // A/id is not cached until its fetch completes
            release.countDown();
            assertEquals(List.of("slow"), List.copyOf(slow.get(10, TimeUnit.SECONDS).chartNames()));
            assertEquals(3, cache.size());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new IndexCache(Duration.ofSeconds(-1), 1, clock));
        assertThrows(IllegalArgumentException.class, () -> new IndexCache(TTL, 0, clock));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
    }
}
