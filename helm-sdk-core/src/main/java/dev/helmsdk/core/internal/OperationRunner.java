package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.OperationTimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one place operations are bounded: each gets one {@link Deadline}, from its time limit, that
 * every bounded call inside it takes its remaining time from ({@link #currentDeadline()},
 * {@link #bound}), and that this runner enforces; it also logs each operation's outcome and shows it to
 * the interceptors (which is where its meters are recorded: {@code telemetry.MeterInterceptor}).
 *
 * <ul>
 *   <li>{@link #run}: for native Helm calls, which cannot be interrupted. The call runs on a worker
 *       thread; when the deadline passes the caller gets an {@link OperationTimeoutException} at
 *       once, while the native call goes on in the background until Helm's own timeout (always
 *       passed to Helm too) or the API server ends it.</li>
 *   <li>{@link #runInline}: for reads done in Java, whose blocking calls (fabric8's) are
 *       interruptible. They run on the caller's thread, and a watchdog interrupts it when the deadline
 *       passes: no thread hand-off on the fast path, which for a 2 ms read is a large share.</li>
 * </ul>
 * A timeout names the phase the operation was in ({@link Deadline#during}).
 */
final class OperationRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.helmsdk.operations");

    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor watchdogs;
    private final MeterRegistry registry;
    /** The deadline of the operation each thread is running: the context its requests are bounded by. */
    private final ThreadLocal<Deadline> deadlines = new ThreadLocal<>();
    /** The operation each thread is running: the parent of the steps it runs with {@link #runNested}. */
    private final ThreadLocal<dev.helmsdk.api.spi.OperationEvent> running = new ThreadLocal<>();
    private final Interceptors interceptors;
    /** Who the operations a thread starts are for, while an {@link ActingEngine} call runs on it. */
    private final ThreadLocal<String> actors = new ThreadLocal<>();
    /** Who operations are for when no {@link ActingEngine} names anyone: the builder's actor, or empty. */
    private final String defaultActor;

    /** The registry the manager's meters go to (chart sources record theirs there), or {@code null}. */
    public MeterRegistry registry() {
        return registry;
    }

    public OperationRunner(MeterRegistry registry) {
        this(registry, Interceptors.NONE);
    }

    public OperationRunner(MeterRegistry registry, Interceptors interceptors) {
        this(registry, interceptors, "");
    }

    public OperationRunner(MeterRegistry registry, Interceptors interceptors, String defaultActor) {
        this.registry = registry;
        this.interceptors = interceptors;
        this.defaultActor = defaultActor;
        this.workers = Executors.newCachedThreadPool(daemons("helm-sdk-op-"));
        this.watchdogs = new ScheduledThreadPoolExecutor(1, daemons("helm-sdk-watchdog-"));
        this.watchdogs.setRemoveOnCancelPolicy(true);
        // A watchdog wakes its thread only when it becomes the earliest one queued. With this heartbeat
        // always due within a second, scheduling the usual minutes-long watchdog wakes nobody, so a
        // read costs no context switch on a busy machine; the price is one wake-up a second.
        this.watchdogs.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS);
    }

    /** The manager's timer thread, for small periodic chores (Lease renewal). */
    public ScheduledExecutorService scheduler() {
        return watchdogs;
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs {@code body} on a worker within {@code limit}; every failure leaves as a {@link HelmSdkException}. */
    public <T> T run(Operation op, String release, String namespace, Duration limit, Supplier<T> body) {
        return run(op, release, namespace, limit, body, worker -> { });
    }

    /**
     * As {@link #run(Operation, String, String, Duration, Supplier)}, calling {@code onTimeout} with
     * the worker thread when the limit passes, so work that can be stopped for real (an isolated Helm
     * process) is stopped. The worker is then given {@link Deadline#CLEANUP} to finish (to give back
     * its release's Lease, bounded by that window), and interrupted if it has not, before the caller gets the timeout;
     * every request of the body is bounded by the limit through {@link #bound}, so once the caller
     * has its answer the body sends nothing more, even if it runs on (an abandoned native call).
     */
    public <T> T run(Operation op, String release, String namespace, Duration limit, Supplier<T> body,
                     java.util.function.Consumer<Thread> onTimeout) {
        return observe(op, release, namespace, null, event -> {
            Deadline deadline = Deadline.after(limit, phases(event));
            AtomicReference<Thread> worker = new AtomicReference<>();
            // The worker logs with the caller's MDC (the operation's keys), and gives the pooled thread's back after.
            Future<T> submitted = workers.submit(dev.helmsdk.core.internal.telemetry.LogContext.carried(() -> {
                worker.set(Thread.currentThread());
                Deadline outer = deadlines.get();
                deadlines.set(deadline);
                running.set(event);
                try {
                    return body.get();
                } finally {
                    restore(outer);
                    running.remove();
                    worker.set(null);
                }
            }));
            try {
                return submitted.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                Thread stuck = worker.get();
                if (stuck != null) {
                    onTimeout.accept(stuck);
                }
                // Not interrupted yet: its requests end at the deadline by themselves, and the window lets it give back its Lease undisturbed.
                if (!awaitCleanup(submitted, deadline.cleanup()) && stuck != null) {
                    stuck.interrupt(); // still busy: wake it from whatever Java wait it is in; it can send nothing now
                }
                throw timeout(op, release, namespace, limit, deadline, e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof DeadlinePassedException || deadline.expired() && e.getCause() instanceof RuntimeException) {
                    // Whatever failed, it failed because the limit passed (a request cut off at the deadline).
                    throw timeout(op, release, namespace, limit, deadline, e.getCause());
                }
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HelmSdkException(op, release, op.tag() + describe(release, namespace) + " was interrupted", e);
            }
        });
    }

    /** Waits, at most until {@code until}, for a timed-out body to finish its cleanup; whether it finished. */
    private static boolean awaitCleanup(Future<?> body, Deadline until) {
        if (body == null) {
            return true;
        }
        try {
            body.get(until.remaining().toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return true; // its outcome no longer matters: the caller gets the timeout
        }
    }

    /** Runs an interruptible {@code body} on the caller's thread within {@code limit}. */
    public <T> T runInline(Operation op, String release, String namespace, Duration limit, Supplier<T> body) {
        return observe(op, release, namespace, null, event -> {
            Thread caller = Thread.currentThread();
            AtomicBoolean done = new AtomicBoolean();
            Deadline outer = deadlines.get();
            Deadline deadline = Deadline.after(limit, phases(event));
            deadlines.set(deadline);
            dev.helmsdk.api.spi.OperationEvent outerId = running.get();
            running.set(event);
            ScheduledFuture<?> watchdog = watchdogs.schedule(() -> {
                if (done.compareAndSet(false, true)) {
                    caller.interrupt();
                }
            }, limit.toNanos(), TimeUnit.NANOSECONDS);
            try {
                return body.get();
            } catch (RuntimeException e) {
                // Set here only by the watchdog: whatever failed, it failed because the limit passed.
                if (done.get() || e instanceof DeadlinePassedException || deadline.expired()) {
                    throw timeout(op, release, namespace, limit, deadline, e);
                }
                throw e;
            } finally {
                restore(outer);
                restoreRunning(outerId);
                watchdog.cancel(false);
                if (!done.compareAndSet(false, true)) {
                    // The watchdog fired: let its interrupt land, then clear it so the caller's thread stays usable.
                    try {
                        watchdog.get();
                    } catch (Exception ignored) {
                        // cancelled or finished: either way it will not interrupt again
                    }
                    Thread.interrupted();
                }
            }
        });
    }

    /**
     * Runs a step that an operation takes on its own behalf (an automatic rollback's rollback or
     * uninstall) on the calling thread, inside that operation: bounded by its deadline, and timed,
     * logged and seen by the interceptors as an operation of its own whose parent is the running one.
     */
    public <T> T runNested(Operation op, String release, String namespace, Supplier<T> body) {
        dev.helmsdk.api.spi.OperationEvent parent = running.get();
        // The remediation is a phase of the change it undoes, and the step it takes an operation of its own inside it.
        return Deadline.during(currentDeadline(), dev.helmsdk.api.spi.OperationPhase.REMEDIATE, "undoing the failed change ("
                + op.tag() + ")", () -> observe(op, release, namespace, parent == null ? null : parent.id(), event -> {
                    running.set(event);
                    try {
                        return body.get();
                    } finally {
                        restoreRunning(parent);
                    }
                }));
    }

    /**
     * Runs {@code call} on the calling thread with the operations it starts attributed to {@code actor}
     * (an {@link ActingEngine}'s calls); a step an operation runs on its own behalf keeps its parent's actor.
     */
    <T> T actingFor(String actor, Supplier<T> call) {
        String outer = actors.get();
        actors.set(actor);
        try {
            return call.get();
        } finally {
            if (outer == null) {
                actors.remove();
            } else {
                actors.set(outer);
            }
        }
    }

    /**
     * Shows {@code signal} to the interceptors, as part of the operation running on the calling thread;
     * nothing when none runs there or there are no interceptors.
     */
    public void signal(dev.helmsdk.api.spi.OperationSignal signal) {
        dev.helmsdk.api.spi.OperationEvent event = running.get();
        if (event != null && !interceptors.isEmpty()) {
            interceptors.signal(event, signal);
        }
    }

    /**
     * The typed phases of the operation {@code owner}'s deadline bounds, shown to the interceptors as
     * signals of the operation running on the thread where each phase runs (a remediation's own steps
     * are its own), else of {@code owner}.
     */
    private Deadline.PhaseListener phases(dev.helmsdk.api.spi.OperationEvent owner) {
        if (interceptors.isEmpty()) {
            return Deadline.PhaseListener.NONE;
        }
        return new Deadline.PhaseListener() {
            @Override
            public void started(dev.helmsdk.api.spi.OperationPhase phase) {
                interceptors.signal(current(owner), new dev.helmsdk.api.spi.OperationSignal.PhaseStarted(phase));
            }

            @Override
            public void ended(dev.helmsdk.api.spi.OperationPhase phase, Duration took, Throwable failure) {
                interceptors.signal(current(owner), new dev.helmsdk.api.spi.OperationSignal.PhaseEnded(phase, took,
                        failure == null ? Optional.empty() : Optional.of(MetricTags.failureKind(failure))));
            }
        };
    }

    private dev.helmsdk.api.spi.OperationEvent current(dev.helmsdk.api.spi.OperationEvent owner) {
        dev.helmsdk.api.spi.OperationEvent e = running.get();
        return e != null ? e : owner;
    }

    private void restoreRunning(dev.helmsdk.api.spi.OperationEvent outer) {
        if (outer == null) {
            running.remove();
        } else {
            running.set(outer);
        }
    }

    private void restore(Deadline outer) {
        if (outer == null) {
            deadlines.remove();
        } else {
            deadlines.set(outer);
        }
    }

    /**
     * Where the operation running on the calling thread reports its secret accesses: to the
     * interceptors, with that operation's event, from whichever thread resolves them.
     */
    public java.util.function.Consumer<dev.helmsdk.api.secrets.SecretAccess> secretAudit() {
        dev.helmsdk.api.spi.OperationEvent event = running.get();
        return event == null || interceptors.isEmpty() ? access -> { } : access -> interceptors.secretAccessed(event, access);
    }

    /** The deadline of the operation this runner runs on the calling thread, if any. */
    public Optional<Deadline> currentDeadline() {
        return Optional.ofNullable(deadlines.get());
    }

    /** {@code client}, with every request bounded by the deadline of the operation that sends it. */
    public BoundedClient bound(KubernetesClient client) {
        return new BoundedClient(client, this::currentDeadline);
    }

    private OperationTimeoutException timeout(Operation op, String release, String namespace, Duration limit, Deadline deadline,
                                              Throwable cause) {
        return new OperationTimeoutException(op, release, limit, deadline.phaseKind().orElse(null), op.tag() + describe(release, namespace)
                + " did not finish within " + limit + deadline.phase().map(p -> " (it was " + p + ")").orElse("")
                + "; the call was abandoned, but a change already sent"
                + " to the cluster may still complete: check the release's status before retrying", cause);
    }

    /**
     * Times the call, logs failures, turns anything unexpected into a {@link HelmSdkException}, and
     * shows the operation to the interceptors before and after.
     */
    private <T> T observe(Operation op, String release, String namespace, String parentId,
                          java.util.function.Function<dev.helmsdk.api.spi.OperationEvent, T> call) {
        long start = System.nanoTime();
        dev.helmsdk.api.spi.OperationEvent parent = parentId == null ? null : running.get();
        String actor = parent != null ? parent.actor() : java.util.Objects.requireNonNullElse(actors.get(), defaultActor);
        dev.helmsdk.api.spi.OperationEvent event = Interceptors.event(op, release, namespace, parentId, actor);
        // Every line logged for this operation carries its keys, the interceptors' too; a nested one gives back its parent's.
        try (dev.helmsdk.core.internal.telemetry.LogContext.Scope ignored = dev.helmsdk.core.internal.telemetry.LogContext.open(event)) {
            return observed(op, release, namespace, event, start, call);
        }
    }

    private <T> T observed(Operation op, String release, String namespace, dev.helmsdk.api.spi.OperationEvent event, long start,
                           java.util.function.Function<dev.helmsdk.api.spi.OperationEvent, T> call) {
        int ran = interceptors.before(event);
        String outcome = MetricTags.SUCCESS;
        HelmSdkException failure = null;
        try {
            return call.apply(event);
        } catch (HelmSdkException e) {
            outcome = MetricTags.outcome(e);
            failure = e;
            throw e;
        } catch (RuntimeException e) {
            outcome = MetricTags.ERROR;
            failure = new HelmSdkException(op, release, op.tag() + describe(release, namespace) + " failed unexpectedly: " + e, e);
            throw failure;
        } finally {
            long took = System.nanoTime() - start;
            logEnd(op, release, namespace, outcome, took);
            if (ran > 0) {
                interceptors.after(event, new dev.helmsdk.api.spi.OperationOutcome(Duration.ofNanos(took), Optional.ofNullable(failure)), ran);
            }
        }
    }

    /**
     * One INFO line per change (install, upgrade, rollback, uninstall, push, ...), whatever its outcome; reads and
     * renders, which controllers run in loops, at DEBUG. No message text: the outcome is the error's kind.
     */
    private static void logEnd(Operation op, String release, String namespace, String outcome, long tookNanos) {
        // An operation of no release (a chart lifecycle's push, a list across namespaces) names none rather than "null".
        String subject = (release == null ? "" : " release=" + release) + (namespace == null ? "" : " namespace=" + namespace);
        if (dev.helmsdk.core.internal.telemetry.AuditInterceptor.isChange(op)) {
            LOG.info("{}{} outcome={} took {} ms", op.tag(), subject, outcome, tookNanos / 1_000_000);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{}{} outcome={} took {} ms", op.tag(), subject, outcome, tookNanos / 1_000_000);
        }
    }

    private static String describe(String release, String namespace) {
        return release == null ? "" : " of release '" + release + "' in namespace '" + namespace + "'";
    }

    @Override
    public void close() {
        workers.shutdownNow();
        watchdogs.shutdownNow();
        interceptors.closeOwn();
    }
}
