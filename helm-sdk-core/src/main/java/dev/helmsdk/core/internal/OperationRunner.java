package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs every operation on a worker thread bounded by a resilience4j {@link TimeLimiter}, and
 * records its duration and outcome (Micrometer timer {@code helm.sdk.operations}, SLF4J log).
 *
 * <p>A native Helm call cannot be interrupted: when the limit passes, the caller gets an
 * {@link OperationTimeoutException} at once, while the native call goes on in the background
 * until Helm's own timeout (which is always passed to Helm too) or the API server ends it.
 */
public final class OperationRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.helmsdk.operations");
    static final String TIMER = "helm.sdk.operations";

    private final ExecutorService workers;
    private final MeterRegistry registry;

    public OperationRunner(MeterRegistry registry) {
        this.registry = registry;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "helm-sdk-op-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newCachedThreadPool(factory);
    }

    /** Runs {@code body} within {@code limit}; every failure leaves as a {@link HelmSdkException}. */
    public <T> T run(Operation op, String release, String namespace, Duration limit, Supplier<T> body) {
        long start = System.nanoTime();
        String outcome = "success";
        TimeLimiter limiter = TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(limit).cancelRunningFuture(true).build());
        try {
            T result = limiter.executeFutureSupplier(() -> workers.submit(body::get));
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} release={} namespace={} took {} ms", op.tag(), release, namespace, millis(start));
            }
            return result;
        } catch (TimeoutException e) {
            outcome = "timeout";
            throw new OperationTimeoutException(op, release, limit, op.tag() + describe(release, namespace)
                    + " did not finish within " + limit + "; the call was abandoned, but a change already sent"
                    + " to the cluster may still complete: check the release's status before retrying", e);
        } catch (ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            outcome = outcome(cause);
            throw cause instanceof HelmSdkException h ? h : new HelmSdkException(op, release,
                    op.tag() + describe(release, namespace) + " failed unexpectedly: " + cause, false, cause);
        } catch (RuntimeException e) {
            outcome = outcome(e);
            throw e;
        } catch (Exception e) {
            outcome = "error";
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new HelmSdkException(op, release, op.tag() + describe(release, namespace) + " was interrupted", true, e);
        } finally {
            if (registry != null) {
                Timer.builder(TIMER).tag("operation", op.tag()).tag("outcome", outcome)
                        .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            if (!"success".equals(outcome)) {
                LOG.info("{} release={} namespace={} outcome={} after {} ms", op.tag(), release, namespace, outcome, millis(start));
            }
        }
    }

    private static String outcome(RuntimeException e) {
        return e instanceof HelmSdkException ? e.getClass().getSimpleName().replace("Exception", "") : "error";
    }

    private static String describe(String release, String namespace) {
        return release == null ? "" : " of release '" + release + "' in namespace '" + namespace + "'";
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
