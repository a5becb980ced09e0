package dev.helmsdk.core.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Runs one request per item on a few threads of its own, for checks that ask the API server many small questions
 * (each review one round trip): the threads live only for the call, so nothing outlives the dry run.
 */
final class Parallel {

    /** Requests in flight at once: enough to hide the round trips, few enough to stay clear of client-side throttling. */
    static final int BOUND = 8;

    private Parallel() {
    }

    /** {@code request} applied to every item, in the items' order; the first failure is thrown as it was. */
    static <T, R> List<R> map(List<T> items, Function<T, R> request) {
        if (items.size() <= 1) {
            return items.stream().map(request).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(BOUND, items.size()), r -> {
            Thread t = new Thread(r, "helm-sdk-dry-run-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<R>> futures = new ArrayList<>();
            for (T item : items) {
                // each request logs with the operation's MDC, as every other SDK worker thread does
                futures.add(CompletableFuture.supplyAsync(() -> request.apply(item),
                        task -> pool.execute(dev.helmsdk.core.internal.telemetry.LogContext.carried(task))));
            }
            List<R> out = new ArrayList<>();
            for (CompletableFuture<R> f : futures) {
                try {
                    out.add(f.join());
                } catch (CompletionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw e;
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
