package dev.helmsdk.core.internal.readiness;

import dev.helmsdk.core.internal.readiness.ClusterReader.Group;
import dev.helmsdk.core.internal.readiness.ManifestResources.Declared;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One wait: polls until every declared resource is ready, a failure is certain, or the deadline passes. Not
 * thread-safe; one instance per wait.
 */
final class ReadinessLoop {

    /** Sleeps between polls; replaced in tests. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    static final Sleeper THREAD_SLEEP = nanos -> {
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger("dev.helmsdk.readiness");

    private final ClusterReader reader;
    private final List<Declared> declared;
    private final ReadinessOptions options;
    private final ReadinessListener listener;
    private final LongSupplier clock;
    private final Sleeper sleeper;

    private final Map<ResourceKey, ResourceStatus> statuses = new HashMap<>();
    /** Resources whose readiness is their existence, found: not read again. */
    private final Set<ResourceKey> settled = new HashSet<>();
    private final Map<String, ResourceDefinitionContext> discovered = new HashMap<>();
    /** When each pod problem was first seen, by {@link PodProblems.Problem#trackingKey()}, for the grace periods. */
    private final Map<String, Long> firstSeen = new HashMap<>();
    private boolean podsForbidden;
    private long start;
    private ReadinessSnapshot last;

    ReadinessLoop(ClusterReader reader, List<Declared> declared, ReadinessOptions options, ReadinessListener listener,
                  LongSupplier clock, Sleeper sleeper) {
        this.reader = reader;
        this.declared = declared;
        this.options = options;
        this.listener = listener == null ? ReadinessListener.NONE : listener;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    ReadinessSnapshot run(Duration deadline) {
        start = clock.getAsLong();
        long end = start + deadline.toNanos();
        for (Declared d : declared) {
            statuses.put(d.key(), new ResourceStatus(d.key(), ReadinessState.WAITING, "not checked yet", ""));
        }
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new ReadinessInterruptedException(last, null);
            }
            List<ReadinessFailure> failures = poll(clock.getAsLong());
            long now = clock.getAsLong();
            ReadinessSnapshot snapshot = snapshot(now);
            publish(snapshot);
            if (!failures.isEmpty()) {
                throw new ReadinessException(failures, snapshot);
            }
            if (snapshot.allReady()) {
                return snapshot;
            }
            if (now - end >= 0) {
                throw new ReadinessTimeoutException(deadline, snapshot);
            }
            try {
                sleeper.sleep(Math.min(options.pollInterval().toNanos(), end - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReadinessInterruptedException(last, e);
            }
        }
    }

    // ---- one poll ---------------------------------------------------------------------------------

    private record Workload(ResourceKey key, HasMetadata object) {
    }

    private List<ReadinessFailure> poll(long now) {
        List<ReadinessFailure> failures = new ArrayList<>();
        List<Workload> inspect = new ArrayList<>();
        Map<String, Group> groups = new LinkedHashMap<>();
        Map<String, List<Declared>> members = new LinkedHashMap<>();
        for (Declared d : declared) {
            if (settled.contains(d.key())) {
                continue;
            }
            Group group = group(d);
            if (group == null) {
                set(d.key(), ReadinessState.WAITING, "waiting for the API to serve " + d.key().apiVersion() + " " + d.key().kind(), "");
                continue;
            }
            String id = (group.context() == null ? group.type().getName() : d.key().apiVersion() + "|" + d.key().kind())
                    + "|" + group.namespace();
            groups.putIfAbsent(id, group);
            members.computeIfAbsent(id, k -> new ArrayList<>()).add(d);
        }
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            List<Declared> in = members.get(e.getKey());
            Map<String, HasMetadata> found;
            try {
                found = reader.read(e.getValue(), in.stream().map(d -> d.key().name()).toList());
            } catch (KubernetesClientException ex) {
                readFailed(ex, in);
                continue;
            }
            for (Declared d : in) {
                HasMetadata object = found.get(d.key().name());
                if (object == null) {
                    set(d.key(), ReadinessState.WAITING, "not found", "");
                    continue;
                }
                Evaluation ev = KindEvaluators.evaluate(object);
                set(d.key(), ev.state(), ev.reason(), ev.message());
                if (ev.state() == ReadinessState.FAILED) {
                    failures.add(new ReadinessFailure(d.key(), "", "", ev.reason(), ev.message()));
                } else if (ev.isReady() && !KindEvaluators.hasStatusRule(d.type())) {
                    settled.add(d.key());
                } else if (ev.state() == ReadinessState.WAITING && hasPods(object)) {
                    inspect.add(new Workload(d.key(), object));
                }
            }
        }
        if (!inspect.isEmpty() && !podsForbidden) {
            inspectPods(inspect, now, failures);
        }
        return failures;
    }

    private Group group(Declared d) {
        ResourceKey key = d.key();
        if (d.type() != GenericKubernetesResource.class) {
            return new Group(d.type(), null, Namespaced.class.isAssignableFrom(d.type()) ? key.namespace() : null);
        }
        String kindId = key.apiVersion() + "|" + key.kind();
        ResourceDefinitionContext context = discovered.get(kindId);
        if (context == null) {
            try {
                context = reader.discover(key.apiVersion(), key.kind()).orElse(null);
            } catch (KubernetesClientException e) {
                rethrowIfFatal(e);
                return null;
            }
            if (context == null) {
                return null;
            }
            discovered.put(kindId, context);
        }
        return new Group(GenericKubernetesResource.class, context, context.isNamespaceScoped() ? key.namespace() : null);
    }

    private void readFailed(KubernetesClientException e, List<Declared> in) {
        rethrowIfFatal(e);
        String error = "cannot read it: " + describe(e);
        for (Declared d : in) {
            ResourceStatus before = statuses.get(d.key());
            set(d.key(), ReadinessState.WAITING, before.reason(), error);
        }
        LOG.debug("readiness: reading {} failed, will retry: {}", in.get(0).key().kind(), describe(e));
    }

    /** An interrupt ends the wait; so does a refusal (401, 403): the status will never be readable. */
    private void rethrowIfFatal(KubernetesClientException e) {
        if (isInterrupt(e)) {
            Thread.currentThread().interrupt();
            throw new ReadinessInterruptedException(last, e);
        }
        if (e.getCode() == 401 || e.getCode() == 403) {
            throw e;
        }
    }

    private static boolean hasPods(HasMetadata o) {
        return o instanceof Deployment || o instanceof StatefulSet || o instanceof DaemonSet || o instanceof ReplicaSet
                || o instanceof Job || o instanceof Pod;
    }

    // ---- pods -------------------------------------------------------------------------------------

    private void inspectPods(List<Workload> workloads, long now, List<ReadinessFailure> failures) {
        Map<String, List<Workload>> byNamespace = new LinkedHashMap<>();
        for (Workload w : workloads) {
            byNamespace.computeIfAbsent(w.key().namespace(), k -> new ArrayList<>()).add(w);
        }
        Set<String> seen = new HashSet<>();
        boolean complete = true;
        for (Map.Entry<String, List<Workload>> e : byNamespace.entrySet()) {
            List<Workload> in = e.getValue();
            List<Workload> controllers = in.stream().filter(w -> !(w.object() instanceof Pod)).toList();
            // One workload: only its pods (its selector). Several: every pod of the namespace, in one LIST.
            LabelSelector selector = controllers.size() == 1 ? PodOwnership.selector(controllers.get(0).object()) : null;
            List<Pod> pods = List.of();
            List<ReplicaSet> replicaSets = List.of();
            try {
                if (!controllers.isEmpty()) {
                    pods = reader.pods(e.getKey(), selector);
                }
                if (controllers.stream().anyMatch(w -> w.object() instanceof Deployment)) {
                    replicaSets = reader.replicaSets(e.getKey(), selector);
                }
            } catch (KubernetesClientException ex) {
                if (isInterrupt(ex)) {
                    Thread.currentThread().interrupt();
                    throw new ReadinessInterruptedException(last, ex);
                }
                complete = false;
                if (ex.getCode() == 401 || ex.getCode() == 403) {
                    podsForbidden = true;
                    // Once per wait, and it costs the operator the early failure report: a warning, not a poll's note.
                    LOG.warn("readiness: cannot list pods in namespace {} ({}); failures will show only at the deadline",
                            e.getKey(), describe(ex));
                    return;
                }
                LOG.debug("readiness: listing pods in {} failed, will retry: {}", e.getKey(), describe(ex));
                continue;
            }
            for (Workload w : in) {
                inspect(w, PodOwnership.owned(w.object(), pods, replicaSets), now, failures, seen);
            }
        }
        if (complete) {
            firstSeen.keySet().retainAll(seen);
        }
    }

    private void inspect(Workload w, List<Pod> pods, long now, List<ReadinessFailure> failures, Set<String> seen) {
        boolean crashLoopIsFailure = !(w.object() instanceof Job);
        ReadinessFailure failure = null;
        String detail = "";
        for (Pod pod : pods) {
            for (PodProblems.Problem p : PodProblems.find(pod, crashLoopIsFailure)) {
                seen.add(p.trackingKey());
                long first = firstSeen.computeIfAbsent(p.trackingKey(), k -> now);
                Duration lasted = Duration.ofNanos(now - first);
                Duration grace = switch (p.certainty()) {
                    case CERTAIN -> Duration.ZERO;
                    case AFTER_IMAGE_PULL_GRACE -> options.imagePullGrace();
                    case AFTER_CONFIG_ERROR_GRACE -> options.configErrorGrace();
                    case AFTER_UNSCHEDULABLE_GRACE -> options.unschedulableGrace();
                };
                if (failure == null && lasted.compareTo(grace) >= 0) {
                    String message = p.certainty() == PodProblems.Certainty.CERTAIN ? p.message()
                            : (p.message().isEmpty() ? "" : p.message() + " ") + "(for " + Durations.format(lasted) + ")";
                    failure = new ReadinessFailure(w.key(), p.pod(), p.container(), p.reason(), message);
                }
            }
            if (detail.isEmpty()) {
                detail = PodProblems.whyNotReady(pod);
            }
        }
        ResourceStatus before = statuses.get(w.key());
        if (failure != null) {
            failures.add(failure);
            String where = failure.pod().isEmpty() ? "" : "pod " + failure.pod()
                    + (failure.container().isEmpty() ? "" : " container " + failure.container()) + ": ";
            set(w.key(), ReadinessState.FAILED, failure.reason(), where + failure.message());
        } else if (pods.isEmpty() && !(w.object() instanceof Pod)) {
            set(w.key(), ReadinessState.WAITING, before.reason(), before.detail().isEmpty() ? "no pods yet" : before.detail());
        } else if (!detail.isEmpty()) {
            set(w.key(), ReadinessState.WAITING, before.reason(), detail);
        }
    }

    // ---- bookkeeping ------------------------------------------------------------------------------

    private void set(ResourceKey key, ReadinessState state, String reason, String detail) {
        statuses.put(key, new ResourceStatus(key, state, reason, detail));
    }

    private ReadinessSnapshot snapshot(long now) {
        List<ResourceStatus> list = new ArrayList<>(declared.size());
        for (Declared d : declared) {
            list.add(statuses.get(d.key()));
        }
        return new ReadinessSnapshot(list, Duration.ofNanos(Math.max(0, now - start)));
    }

    private void publish(ReadinessSnapshot snapshot) {
        boolean changed = last == null || !last.resources().equals(snapshot.resources());
        last = snapshot;
        if (!changed) {
            return;
        }
        LOG.debug("readiness: {}", snapshot);
        try {
            listener.progress(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("readiness listener failed; ignoring it", e);
        }
    }

    static boolean isInterrupt(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + message;
    }
}
