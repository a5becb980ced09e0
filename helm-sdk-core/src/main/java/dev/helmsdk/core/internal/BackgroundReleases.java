package dev.helmsdk.core.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the giving back of Leases off the callers' threads ({@link HeldRelease#close()}), and knows how many are
 * still running, so that closing the manager can wait for them.
 *
 * <p>Not daemon threads: a program that ends without closing its manager still gives its Leases back before the JVM
 * exits; idle threads end after a second.
 */
final class BackgroundReleases {

    private final ThreadPoolExecutor threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> new Thread(r, "helm-sdk-lease-release"));
    /** Guards {@link #running}; notified when it drops to zero. */
    private final Object lock = new Object();
    private int running;

    /** Runs {@code release} in the background; {@code false}, and nothing run, once {@link #close closed}. */
    boolean submit(Runnable release) {
        count(+1);
        try {
            threads.execute(() -> {
                try {
                    release.run();
                } finally {
                    count(-1);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            count(-1);
            return false;
        }
    }

    /** Waits at most {@code limit} until none is running; whether none is. */
    boolean await(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (running > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Takes no more releases, and waits at most {@code limit} for those running; whether none is left. */
    boolean close(Duration limit) {
        threads.shutdown();
        return await(limit);
    }

    private void count(int change) {
        synchronized (lock) {
            running += change;
            if (running == 0) {
                lock.notifyAll();
            }
        }
    }
}
