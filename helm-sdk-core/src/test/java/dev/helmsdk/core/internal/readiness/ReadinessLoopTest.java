package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wait loop against a scripted cluster and a fake clock: time passes only in the sleeper. */
class ReadinessLoopTest {

    private static final String NS = "apps";
    private static final ReadinessOptions OPTIONS = ReadinessOptions.ofDefaults();

    /** A cluster held in maps; {@link #onSleep} lets a test change it as (fake) time passes. */
    static final class FakeCluster implements ClusterReader {
        final Map<String, HasMetadata> objects = new LinkedHashMap<>();
        final List<Pod> pods = new ArrayList<>();
        final List<ReplicaSet> replicaSets = new ArrayList<>();
        final Set<String> served = new HashSet<>();
        final List<String> requests = new ArrayList<>();
        RuntimeException failReads;
        long nanos;
        LongConsumer onSleep = t -> { };

        void put(HasMetadata o) {
            objects.put(o.getKind() + "/" + o.getMetadata().getName(), o);
        }

        @Override
        public Optional<ResourceDefinitionContext> discover(String apiVersion, String kind) {
            requests.add("discover " + kind);
            if (!served.contains(kind)) {
                return Optional.empty();
            }
            return Optional.of(ResourceDefinitionContext.fromApiResource(apiVersion, new APIResourceBuilder().withKind(kind)
                    .withName(kind.toLowerCase() + "s").withNamespaced(true).build()));
        }

        @Override
        public Map<String, HasMetadata> read(Group group, Collection<String> names) {
            String kind = group.context() != null ? group.context().getKind() : group.type().getSimpleName();
            requests.add((names.size() == 1 ? "get " : "list ") + kind);
            if (failReads != null) {
                throw failReads;
            }
            Map<String, HasMetadata> out = new LinkedHashMap<>();
            for (String n : names) {
                HasMetadata o = objects.get(kind + "/" + n);
                if (o != null) {
                    out.put(n, o);
                }
            }
            return out;
        }

        @Override
        public List<Pod> pods(String namespace, LabelSelector selector) {
            requests.add("list Pod");
            return List.copyOf(pods);
        }

        @Override
        public List<ReplicaSet> replicaSets(String namespace, LabelSelector selector) {
            requests.add("list ReplicaSet");
            return List.copyOf(replicaSets);
        }

        long count(String request) {
            return requests.stream().filter(request::equals).count();
        }
    }

    private final FakeCluster cluster = new FakeCluster();
    private final List<ReadinessSnapshot> progress = new ArrayList<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private ReadinessSnapshot run(String manifest, Duration deadline) {
        return run(manifest, deadline, OPTIONS);
    }

    private ReadinessSnapshot run(String manifest, Duration deadline, ReadinessOptions options) {
        var declared = ManifestResources.parse(NS, manifest, new KubernetesSerialization());
        return new ReadinessLoop(cluster, declared, options, progress::add, () -> cluster.nanos, nanos -> {
            cluster.nanos += nanos;
            cluster.onSleep.accept(cluster.nanos);
        }).run(deadline);
    }

    private static long seconds(long nanos) {
        return nanos / 1_000_000_000L;
    }

    static String doc(String apiVersion, String kind, String name) {
        return "---\napiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n";
    }

    static final String WEB = doc("v1", "ConfigMap", "web-config") + doc("apps/v1", "Deployment", "web");

    static Deployment deployment(int ready) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(NS).withUid("dep-uid").withGeneration(1L)
                .endMetadata().withNewSpec().withReplicas(2).endSpec().withNewStatus().withObservedGeneration(1L)
                .withReplicas(2).withUpdatedReplicas(2).withReadyReplicas(ready).withAvailableReplicas(ready).endStatus().build();
    }

    static ReplicaSet replicaSet(String name, String uid, int revision) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withUid(uid)
                .addToAnnotations("deployment.kubernetes.io/revision", String.valueOf(revision))
                .addNewOwnerReference().withUid("dep-uid").withKind("Deployment").withName("web").withController(true).endOwnerReference()
                .endMetadata().build();
    }

    static Pod pod(String name, String ownerUid, String waitingReason) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withUid("uid-" + name).addNewOwnerReference()
                .withUid(ownerUid).withController(true).endOwnerReference().endMetadata().withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady")
                .withMessage("containers with unready status: [web]").endCondition().endStatus();
        if (waitingReason != null) {
            b.editStatus().addNewContainerStatus().withName("web").withNewState().withNewWaiting().withReason(waitingReason)
                    .withMessage(waitingReason.equals("CrashLoopBackOff")
                            ? "back-off 10s restarting failed container=web pod=" + name + "_apps(uid-" + name + ")" : "not found")
                    .endWaiting().endState().endContainerStatus().endStatus();
        }
        return b.build();
    }

    private static ConfigMap configMap() {
        return new ConfigMapBuilder().withNewMetadata().withName("web-config").endMetadata().build();
    }

    @Test
    void returnsWhenEverythingIsReadyAndReportsOnlyChanges() {
        cluster.put(configMap());
        cluster.put(deployment(0));
        cluster.replicaSets.add(replicaSet("web-1", "rs-1", 1));
        cluster.pods.add(pod("web-1-a", "rs-1", null));
        cluster.onSleep = t -> {
            if (seconds(t) == 3) {
                cluster.put(deployment(1));
            } else if (seconds(t) == 6) {
                cluster.put(deployment(2));
            }
        };
        ReadinessSnapshot done = run(WEB, Duration.ofMinutes(1));
        assertTrue(done.allReady());
        assertEquals(Duration.ofSeconds(6), done.elapsed());
        assertEquals(List.of("configmap/web-config: exists", "deployment/web: 2/2 ready"),
                done.resources().stream().map(ResourceStatus::toString).toList());
        assertEquals(List.of(
                "deployment/web: 0/2 ready (pod web-1-a: not ready: ContainersNotReady: containers with unready status: [web])",
                "deployment/web: 1/2 ready (pod web-1-a: not ready: ContainersNotReady: containers with unready status: [web])",
                "deployment/web: 2/2 ready"),
                progress.stream().map(s -> s.find("deployment/web").orElseThrow().toString()).toList(),
                "one call per change, not one per poll (there were 13 polls)");
        assertEquals(1, cluster.count("get ConfigMap"), "a ConfigMap is ready once it exists: read once");
        assertEquals(13, cluster.count("get Deployment"));
    }

    @Test
    void aCrashLoopFailsAtOnceNamingResourcePodContainerReasonAndMessage() {
        cluster.put(configMap());
        cluster.put(deployment(0));
        cluster.replicaSets.add(replicaSet("web-1", "rs-1", 1));
        cluster.pods.add(pod("web-1-b", "rs-1", "CrashLoopBackOff"));
        cluster.pods.add(pod("web-1-a", "rs-1", "CrashLoopBackOff"));
        ReadinessException e = assertThrows(ReadinessException.class, () -> run(WEB, Duration.ofMinutes(5)));
        assertEquals(0, cluster.nanos, "on the first poll");
        assertEquals(1, e.failures().size(), "one failure per resource");
        ReadinessFailure f = e.failures().get(0);
        assertEquals(new ReadinessFailure(new ResourceKey("apps/v1", "Deployment", NS, "web"), "web-1-a", "web",
                "CrashLoopBackOff", "back-off 10s restarting failed container"), f);
        assertEquals("not ready and will not become ready: deployment/web: pod web-1-a container web: CrashLoopBackOff: "
                + "back-off 10s restarting failed container", e.getMessage());
        ResourceStatus status = e.snapshot().find("deployment/web").orElseThrow();
        assertEquals(ReadinessState.FAILED, status.state());
        assertEquals(status, progress.get(progress.size() - 1).find("deployment/web").orElseThrow(), "the listener saw it");
    }

    @Test
    void podsOfAnOldReplicaSetDoNotFailARollout() {
        cluster.put(configMap());
        cluster.put(deployment(1));
        cluster.replicaSets.add(replicaSet("web-1", "rs-1", 1));
        cluster.replicaSets.add(replicaSet("web-2", "rs-2", 2));
        cluster.pods.add(pod("web-1-a", "rs-1", "CrashLoopBackOff"));
        cluster.pods.add(pod("web-2-a", "rs-2", null));
        cluster.onSleep = t -> {
            if (seconds(t) >= 2) {
                cluster.put(deployment(2));
            }
        };
        assertTrue(run(WEB, Duration.ofMinutes(1)).allReady());
        assertTrue(cluster.count("list ReplicaSet") > 0);
    }

    @Test
    void errImagePullHasAGraceImagePullBackOffNone() {
        cluster.put(configMap());
        cluster.put(deployment(0));
        cluster.replicaSets.add(replicaSet("web-1", "rs-1", 1));
        cluster.pods.add(pod("web-1-a", "rs-1", "ErrImagePull"));
        ReadinessException e = assertThrows(ReadinessException.class, () -> run(WEB, Duration.ofMinutes(5)));
        assertEquals(10, seconds(cluster.nanos), "ErrImagePull fails after its 10 s grace");
        assertEquals("ErrImagePull", e.failures().get(0).reason());
        assertEquals("not found (for 10s)", e.failures().get(0).message());
        assertEquals("pod web-1-a container web: ErrImagePull", progress.get(0).find("deployment/web").orElseThrow().detail());

        cluster.nanos = 0;
        cluster.pods.set(0, pod("web-1-a", "rs-1", "ErrImagePull"));
        cluster.onSleep = t -> {
            if (seconds(t) == 3) {
                cluster.pods.set(0, pod("web-1-a", "rs-1", "ImagePullBackOff"));
            }
        };
        ReadinessException backOff = assertThrows(ReadinessException.class, () -> run(WEB, Duration.ofMinutes(5)));
        assertEquals(3, seconds(cluster.nanos), "ImagePullBackOff fails at once");
        assertEquals("ImagePullBackOff", backOff.failures().get(0).reason());
    }

    @Test
    void aGraceRestartsWhenTheProblemClears() {
        cluster.put(configMap());
        cluster.put(deployment(0));
        cluster.replicaSets.add(replicaSet("web-1", "rs-1", 1));
        cluster.pods.add(pod("web-1-a", "rs-1", "ErrImagePull"));
        cluster.onSleep = t -> {
            long s = seconds(t);
            cluster.pods.set(0, pod("web-1-a", "rs-1", s >= 8 && s < 9 ? "ContainerCreating" : "ErrImagePull"));
        };
        assertThrows(ReadinessException.class, () -> run(WEB, Duration.ofMinutes(5)));
        assertEquals(19, seconds(cluster.nanos), "the 10 s count again from when ErrImagePull came back");
    }

    @Test
    void unschedulablePodsFailAfterTheirGrace() {
        cluster.put(configMap());
        cluster.put(deployment(0));
        cluster.replicaSets.add(replicaSet("web-1", "rs-1", 1));
        cluster.pods.add(new PodBuilder().withNewMetadata().withName("web-1-a").withUid("u").addNewOwnerReference().withUid("rs-1")
                .endOwnerReference().endMetadata().withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable").withMessage("0/1 nodes are available: 1 Insufficient memory.")
                .endCondition().endStatus().build());
        ReadinessException e = assertThrows(ReadinessException.class,
                () -> run(WEB, Duration.ofMinutes(5), OPTIONS.withUnschedulableGrace(Duration.ofSeconds(20))));
        assertEquals(20, seconds(cluster.nanos));
        assertEquals("deployment/web: pod web-1-a: Unschedulable: 0/1 nodes are available: 1 Insufficient memory. (for 20s)",
                e.failures().get(0).describe());
    }

    @Test
    void theDeadlineEndsTheWaitWithWhatIsAwaitedAndWhy() {
        cluster.put(configMap());
        cluster.put(deployment(0));
        cluster.replicaSets.add(replicaSet("web-1", "rs-1", 1));
        cluster.pods.add(pod("web-1-a", "rs-1", null));
        cluster.pods.add(pod("web-1-b", "rs-1", null));
        ReadinessTimeoutException e = assertThrows(ReadinessTimeoutException.class, () -> run(WEB, Duration.ofSeconds(3)));
        assertEquals(3, seconds(cluster.nanos), "the last poll is at the deadline");
        assertEquals(List.of("deployment/web"), e.pending().stream().map(ResourceStatus::id).toList());
        assertEquals("not ready within 3s (1/2 resources ready); still waiting for deployment/web: 0/2 ready "
                + "(pod web-1-a: not ready: ContainersNotReady: containers with unready status: [web])", e.getMessage());
    }

    @Test
    void aWorkloadWithoutPodsSaysWhyWhenItKnows() {
        cluster.put(configMap());
        cluster.put(new DeploymentBuilder(deployment(0)).editStatus().addNewCondition().withType("ReplicaFailure").withStatus("True")
                .withReason("FailedCreate").withMessage("exceeded quota").endCondition().endStatus().build());
        ReadinessTimeoutException e = assertThrows(ReadinessTimeoutException.class, () -> run(WEB, Duration.ofSeconds(1)));
        assertEquals("deployment/web: 0/2 ready (ReplicaFailure: FailedCreate: exceeded quota)", e.pending().get(0).toString());

        cluster.put(deployment(0));
        e = assertThrows(ReadinessTimeoutException.class, () -> run(WEB, Duration.ofSeconds(1)));
        assertEquals("deployment/web: 0/2 ready (no pods yet)", e.pending().get(0).toString());
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        cluster.put(configMap());
        cluster.put(deployment(0));
        var declared = ManifestResources.parse(NS, WEB, new KubernetesSerialization());
        ReadinessLoop loop = new ReadinessLoop(cluster, declared, OPTIONS, null, () -> cluster.nanos, nanos -> {
            throw new InterruptedException("watchdog");
        });
        ReadinessInterruptedException e = assertThrows(ReadinessInterruptedException.class, () -> loop.run(Duration.ofMinutes(5)));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is set again");
        assertTrue(e.getMessage().contains("deployment/web: 0/2 ready"), e.getMessage());

        Thread.interrupted();
        cluster.failReads = new KubernetesClientException("interrupted", new InterruptedException());
        assertThrows(ReadinessInterruptedException.class, () -> run(WEB, Duration.ofMinutes(5)));
        assertTrue(Thread.interrupted());

        Thread.currentThread().interrupt();
        assertThrows(ReadinessInterruptedException.class, () -> run(WEB, Duration.ofMinutes(5)), "interrupted before it began");
    }

    @Test
    void apiErrorsAreRetriedUntilTheDeadlineButRefusalsAreNot() {
        cluster.put(configMap());
        cluster.put(deployment(2));
        cluster.failReads = new KubernetesClientException("service unavailable", 503, null);
        cluster.onSleep = t -> {
            if (seconds(t) >= 2) {
                cluster.failReads = null;
            }
        };
        assertTrue(run(WEB, Duration.ofMinutes(1)).allReady());
        assertTrue(progress.get(0).find("deployment/web").orElseThrow().detail().startsWith("cannot read it: HTTP 503"),
                progress.get(0).toString());

        KubernetesClientException forbidden = new KubernetesClientException("forbidden", 403, null);
        cluster.failReads = forbidden;
        cluster.onSleep = t -> { };
        assertSame(forbidden, assertThrows(KubernetesClientException.class, () -> run(WEB, Duration.ofMinutes(1))));
    }

    @Test
    void aJobsCrashLoopIsLeftToItsBackoffLimitButItsFailureFailsTheWait() {
        String manifest = doc("batch/v1", "Job", "migrate");
        Job running = new JobBuilder().withNewMetadata().withName("migrate").withUid("job-uid").endMetadata().withNewSpec().endSpec()
                .withNewStatus().withActive(1).endStatus().build();
        cluster.put(running);
        cluster.pods.add(pod("migrate-x", "job-uid", "CrashLoopBackOff"));
        cluster.onSleep = t -> {
            if (seconds(t) == 4) {
                cluster.put(new JobBuilder(running).editStatus().withActive(0).withFailed(1).addNewCondition().withType("Failed")
                        .withStatus("True").withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                        .endCondition().endStatus().build());
            }
        };
        ReadinessException e = assertThrows(ReadinessException.class, () -> run(manifest, Duration.ofMinutes(5)));
        assertEquals(4, seconds(cluster.nanos));
        assertEquals("job/migrate: BackoffLimitExceeded: Job has reached the specified backoff limit", e.failures().get(0).describe());
    }

    @Test
    void customResourcesWaitForTheirKindToBeServedAndForReady() {
        String manifest = doc("example.com/v1", "Widget", "w1");
        GenericKubernetesResource widget = new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
                .withNewMetadata().withName("w1").endMetadata().build();
        widget.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Ready", "status", "False",
                "reason", "Provisioning"))));
        cluster.put(widget);
        AtomicInteger sleeps = new AtomicInteger();
        cluster.onSleep = t -> {
            if (sleeps.incrementAndGet() == 2) {
                cluster.served.add("Widget");
            } else if (sleeps.get() == 4) {
                GenericKubernetesResource ready = new GenericKubernetesResourceBuilder(widget).build();
                ready.setAdditionalProperty("status", Map.of("conditions", List.of(Map.of("type", "Ready", "status", "True"))));
                cluster.put(ready);
            }
        };
        assertTrue(run(manifest, Duration.ofMinutes(1)).allReady());
        assertEquals(List.of("waiting for the API to serve example.com/v1 Widget", "Ready=False: Provisioning", "Ready"),
                progress.stream().map(s -> s.resources().get(0).reason()).toList());
        assertEquals(3, cluster.count("discover Widget"), "discovery is retried until the kind is served, then remembered");
    }

    @Test
    void anEmptyManifestIsReadyAtOnce() {
        ReadinessSnapshot s = run("", Duration.ofSeconds(1));
        assertTrue(s.allReady());
        assertFalse(progress.isEmpty());
        assertEquals(List.of(), cluster.requests);
    }
}
