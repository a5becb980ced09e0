package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.helmsdk.core.internal.readiness.ReadinessState.FAILED;
import static dev.helmsdk.core.internal.readiness.ReadinessState.READY;
import static dev.helmsdk.core.internal.readiness.ReadinessState.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;

class KindEvaluatorsTest {

    private static Deployment deployment(int replicas, long generation, Long observed, Integer current, Integer updated,
                                         Integer ready, Integer available) {
        return new DeploymentBuilder().withNewMetadata().withName("web").withGeneration(generation).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withObservedGeneration(observed).withReplicas(current).withUpdatedReplicas(updated)
                .withReadyReplicas(ready).withAvailableReplicas(available).endStatus().build();
    }

    private static void assertEval(ReadinessState state, String reason, Evaluation e) {
        assertEquals(state, e.state(), e.toString());
        assertEquals(reason, e.reason(), e.toString());
    }

    @Test
    void deployment() {
        assertEval(READY, "3/3 ready", WorkloadEvaluators.deployment(deployment(3, 2, 2L, 3, 3, 3, 3)));
        assertEval(WAITING, "2/3 ready", WorkloadEvaluators.deployment(deployment(3, 2, 2L, 3, 3, 2, 2)));
        assertEval(WAITING, "0/2 ready", WorkloadEvaluators.deployment(deployment(2, 1, 1L, 2, 2, null, null)));
        assertEval(WAITING, "3/3 ready, 1/3 updated, 1 old replica pending termination",
                WorkloadEvaluators.deployment(deployment(3, 2, 2L, 4, 1, 3, 3)));
        assertEval(WAITING, "3/3 ready, 2/3 available", WorkloadEvaluators.deployment(deployment(3, 2, 2L, 3, 3, 3, 2)));
        assertEval(WAITING, "3/3 ready, 2 old replicas pending termination",
                WorkloadEvaluators.deployment(deployment(3, 2, 2L, 5, 3, 3, 3)));
        Evaluation stale = WorkloadEvaluators.deployment(deployment(3, 3, 2L, 3, 3, 3, 3));
        assertEquals(WAITING, stale.state(), "a status of the previous generation says nothing about this one");
        assertEquals(WAITING, WorkloadEvaluators.deployment(deployment(1, 1, null, 1, 1, 1, 1)).state());
        assertEval(READY, "0/0 ready", WorkloadEvaluators.deployment(deployment(0, 1, 1L, null, null, null, null)));
        assertEquals(WAITING, WorkloadEvaluators.deployment(new DeploymentBuilder().withNewMetadata().withName("x").endMetadata()
                .withNewSpec().endSpec().build()).state(), "no status yet");
        // replicas defaults to 1
        assertEval(READY, "1/1 ready", WorkloadEvaluators.deployment(new DeploymentBuilder().withNewMetadata().withName("x")
                .withGeneration(1L).endMetadata().withNewSpec().endSpec().withNewStatus().withObservedGeneration(1L)
                .withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).endStatus().build()));
    }

    @Test
    void deploymentPastItsProgressDeadlineFails() {
        Deployment d = new DeploymentBuilder(deployment(2, 1, 1L, 2, 2, 0, 0)).editStatus()
                .addNewCondition().withType("Available").withStatus("False").withReason("MinimumReplicasUnavailable").endCondition()
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"web-7c9\" has timed out progressing.").endCondition().endStatus().build();
        Evaluation e = WorkloadEvaluators.deployment(d);
        assertEval(FAILED, "ProgressDeadlineExceeded", e);
        assertEquals("ReplicaSet \"web-7c9\" has timed out progressing.", e.message());
    }

    @Test
    void aDeploymentThatCannotCreatePodsSaysWhy() {
        Deployment d = new DeploymentBuilder(deployment(2, 1, 1L, null, null, null, null)).editStatus()
                .addNewCondition().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
                .withMessage("pods \"web-7c9-x\" is forbidden: exceeded quota: pods").endCondition().endStatus().build();
        Evaluation e = WorkloadEvaluators.deployment(d);
        assertEval(WAITING, "0/2 ready, 0/2 updated", e);
        assertEquals("ReplicaFailure: FailedCreate: pods \"web-7c9-x\" is forbidden: exceeded quota: pods", e.message());
    }

    @Test
    void pausedDeploymentIsReady() {
        Deployment d = new DeploymentBuilder(deployment(2, 1, 1L, 2, 0, 0, 0)).editSpec().withPaused(true).endSpec().build();
        assertEval(READY, "paused", WorkloadEvaluators.deployment(d));
    }

    private static StatefulSet sts(int replicas, String strategy, Integer partition, Integer ready, Integer current,
                                   Integer updated, String currentRevision, String updateRevision) {
        StatefulSetBuilder b = new StatefulSetBuilder().withNewMetadata().withName("db").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewUpdateStrategy().withType(strategy).endUpdateStrategy().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withReadyReplicas(ready)
                .withCurrentReplicas(current).withUpdatedReplicas(updated).withCurrentRevision(currentRevision)
                .withUpdateRevision(updateRevision).endStatus();
        if (partition != null) {
            b.editSpec().editUpdateStrategy().withNewRollingUpdate().withPartition(partition).endRollingUpdate().endUpdateStrategy().endSpec();
        }
        return b.build();
    }

    @Test
    void statefulSet() {
        assertEval(READY, "3/3 ready", WorkloadEvaluators.statefulSet(sts(3, "RollingUpdate", null, 3, 3, 3, "db-1", "db-1")));
        assertEval(WAITING, "1/3 ready", WorkloadEvaluators.statefulSet(sts(3, "RollingUpdate", null, 1, 1, 3, "db-1", "db-1")));
        assertEval(WAITING, "3/3 ready, rolling out revision db-2",
                WorkloadEvaluators.statefulSet(sts(3, "RollingUpdate", null, 3, 0, 3, "db-1", "db-2")));
        assertEval(WAITING, "3/3 ready, 2/3 updated",
                WorkloadEvaluators.statefulSet(sts(3, "RollingUpdate", null, 3, 1, 2, "db-1", "db-2")));
        assertEval(WAITING, "3/3 ready, 2/3 current",
                WorkloadEvaluators.statefulSet(sts(3, "RollingUpdate", null, 3, 2, 3, "db-2", "db-2")));
        assertEval(READY, "3/3 ready", WorkloadEvaluators.statefulSet(sts(3, "RollingUpdate", 2, 3, 2, 1, "db-1", "db-2")),
                "with a partition, the replicas from the partition up suffice");
        assertEval(WAITING, "3/3 ready, 0/1 updated", WorkloadEvaluators.statefulSet(sts(3, "RollingUpdate", 2, 3, 3, 0, "db-1", "db-2")));
        assertEval(READY, "3/3 ready", WorkloadEvaluators.statefulSet(sts(3, "OnDelete", null, 3, 0, 0, "db-1", "db-2")));
    }

    private static void assertEval(ReadinessState state, String reason, Evaluation e, String why) {
        assertEquals(state, e.state(), why + ": " + e);
        assertEquals(reason, e.reason(), why + ": " + e);
    }

    @Test
    void daemonSet() {
        var ready = new DaemonSetBuilder().withNewMetadata().withName("agent").withGeneration(2L).endMetadata()
                .withNewStatus().withObservedGeneration(2L).withDesiredNumberScheduled(3).withCurrentNumberScheduled(3)
                .withNumberReady(3).withUpdatedNumberScheduled(3).withNumberAvailable(3).endStatus().build();
        assertEval(READY, "3/3 ready", WorkloadEvaluators.daemonSet(ready));
        assertEval(WAITING, "3/3 ready, 1/3 updated", WorkloadEvaluators.daemonSet(new DaemonSetBuilder(ready).editStatus()
                .withUpdatedNumberScheduled(1).endStatus().build()));
        assertEval(WAITING, "2/3 ready", WorkloadEvaluators.daemonSet(new DaemonSetBuilder(ready).editStatus()
                .withNumberReady(2).withNumberAvailable(2).endStatus().build()));
        assertEquals(WAITING, WorkloadEvaluators.daemonSet(new DaemonSetBuilder(ready).editStatus().withObservedGeneration(1L)
                .endStatus().build()).state());
        assertEquals(WAITING, WorkloadEvaluators.daemonSet(new DaemonSetBuilder().withNewMetadata().withName("a").endMetadata()
                .withNewStatus().endStatus().build()).state(), "desiredNumberScheduled not computed yet");
        assertEval(READY, "0/0 ready", WorkloadEvaluators.daemonSet(new DaemonSetBuilder(ready).editStatus()
                .withDesiredNumberScheduled(0).withNumberReady(0).withUpdatedNumberScheduled(null).withNumberAvailable(null)
                .endStatus().build()));
    }

    @Test
    void replicaSet() {
        var rs = new ReplicaSetBuilder().withNewMetadata().withName("rs").withGeneration(1L).endMetadata()
                .withNewSpec().withReplicas(2).endSpec().withNewStatus().withObservedGeneration(1L).withReplicas(2)
                .withReadyReplicas(2).withAvailableReplicas(2).endStatus().build();
        assertEval(READY, "2/2 ready", WorkloadEvaluators.replicaSet(rs));
        assertEval(WAITING, "1/2 ready", WorkloadEvaluators.replicaSet(new ReplicaSetBuilder(rs).editStatus().withReadyReplicas(1).endStatus().build()));
    }

    private static Job job(String conditionType, String reason, String message) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName("migrate").endMetadata().withNewSpec().endSpec()
                .withNewStatus().withActive(1).endStatus();
        if (conditionType != null) {
            b.editStatus().addNewCondition().withType(conditionType).withStatus("True").withReason(reason)
                    .withMessage(message).endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void job() {
        assertEval(READY, "Complete", KindEvaluators.job(job("Complete", "CompletionsReached", "Reached expected number of succeeded pods")));
        Evaluation failed = KindEvaluators.job(job("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
        assertEval(FAILED, "BackoffLimitExceeded", failed);
        assertEquals("Job has reached the specified backoff limit", failed.message());
        assertEval(FAILED, "DeadlineExceeded", KindEvaluators.job(job("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline")));
        assertEval(WAITING, "0/1 succeeded, 1 active", KindEvaluators.job(job(null, null, null)));
        assertEval(WAITING, "0/1 succeeded, 1 active", KindEvaluators.job(job("Suspended", "x", "y")), "an unrelated condition");
        assertEval(WAITING, "suspended", KindEvaluators.job(new JobBuilder(job(null, null, null)).editSpec().withSuspend(true).endSpec().build()),
                "suspended");
    }

    @Test
    void pod() {
        var running = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
        assertEval(READY, "Ready", KindEvaluators.pod(running));
        assertEval(WAITING, "not ready", KindEvaluators.pod(new PodBuilder(running).editStatus().editFirstCondition()
                .withStatus("False").endCondition().endStatus().build()));
        assertEval(WAITING, "Pending", KindEvaluators.pod(new PodBuilder().withNewMetadata().withName("p").endMetadata().build()));
        assertEval(READY, "Succeeded", KindEvaluators.pod(new PodBuilder(running).editStatus().withPhase("Succeeded").endStatus().build()));
        var failed = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().withPhase("Failed")
                .addNewContainerStatus().withName("app").withNewState().withNewTerminated().withExitCode(3).withReason("Error")
                .endTerminated().endState().endContainerStatus().endStatus().build();
        Evaluation e = KindEvaluators.pod(failed);
        assertEval(FAILED, "PodFailed", e);
        assertEquals("container app exited with 3 (Error)", e.message());
        assertEval(FAILED, "Evicted", KindEvaluators.pod(new PodBuilder(failed).editStatus().withReason("Evicted")
                .withMessage("The node was low on resource: memory.").endStatus().build()));
    }

    @Test
    void persistentVolumeClaim() {
        assertEval(READY, "Bound", KindEvaluators.persistentVolumeClaim(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("data").endMetadata().withNewStatus().withPhase("Bound").endStatus().build()));
        assertEval(WAITING, "Pending", KindEvaluators.persistentVolumeClaim(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("data").endMetadata().withNewStatus().withPhase("Pending").endStatus().build()));
        assertEval(WAITING, "Pending", KindEvaluators.persistentVolumeClaim(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("data").endMetadata().build()));
        assertEval(FAILED, "Lost", KindEvaluators.persistentVolumeClaim(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("data").endMetadata().withNewStatus().withPhase("Lost").endStatus().build()));
    }

    @Test
    void service() {
        ServiceBuilder base = new ServiceBuilder().withNewMetadata().withName("web").endMetadata();
        assertEval(READY, "cluster IP 10.96.0.12", KindEvaluators.service(new ServiceBuilder(base.build()).withNewSpec()
                .withClusterIP("10.96.0.12").endSpec().build()));
        assertEval(WAITING, "waiting for a cluster IP", KindEvaluators.service(new ServiceBuilder(base.build()).withNewSpec().endSpec().build()));
        assertEval(READY, "headless", KindEvaluators.service(new ServiceBuilder(base.build()).withNewSpec().withClusterIP("None").endSpec().build()));
        assertEval(READY, "ExternalName", KindEvaluators.service(new ServiceBuilder(base.build()).withNewSpec().withType("ExternalName")
                .withExternalName("db.example.com").endSpec().build()));
        var lb = new ServiceBuilder(base.build()).withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.13").endSpec().build();
        assertEval(WAITING, "waiting for a load balancer address", KindEvaluators.service(lb));
        assertEval(READY, "load balancer 172.18.255.200", KindEvaluators.service(new ServiceBuilder(lb).withNewStatus()
                .withNewLoadBalancer().addNewIngress().withIp("172.18.255.200").endIngress().endLoadBalancer().endStatus().build()));
        assertEval(READY, "load balancer lb.example.com", KindEvaluators.service(new ServiceBuilder(lb).withNewStatus()
                .withNewLoadBalancer().addNewIngress().withHostname("lb.example.com").endIngress().endLoadBalancer().endStatus().build()));
    }

    @Test
    void customResourceDefinition() {
        var crd = new CustomResourceDefinitionBuilder().withNewMetadata().withName("widgets.example.com").endMetadata().build();
        assertEval(WAITING, "not established yet", KindEvaluators.customResourceDefinition(crd));
        assertEval(READY, "Established", KindEvaluators.customResourceDefinition(new CustomResourceDefinitionBuilder(crd)
                .withNewStatus().addNewCondition().withType("NamesAccepted").withStatus("True").endCondition()
                .addNewCondition().withType("Established").withStatus("True").endCondition().endStatus().build()));
        Evaluation conflict = KindEvaluators.customResourceDefinition(new CustomResourceDefinitionBuilder(crd)
                .withNewStatus().addNewCondition().withType("NamesAccepted").withStatus("False").withReason("ListKindConflict")
                .withMessage("\"WidgetList\" is already in use").endCondition().endStatus().build());
        assertEval(FAILED, "ListKindConflict", conflict);
    }

    private static GenericKubernetesResource cr(Long generation, Map<String, Object> status) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
                .withNewMetadata().withName("w").withGeneration(generation).endMetadata().build();
        if (status != null) {
            r.setAdditionalProperty("status", status);
        }
        return r;
    }

    private static Map<String, Object> condition(String type, String status, String reason, String message) {
        return Map.of("type", type, "status", status, "reason", reason, "message", message);
    }

    @Test
    void customResourceWithReadyAndStalledConditions() {
        assertEval(READY, "exists", KindEvaluators.customResource(cr(1L, null)), "no status: ready once it exists");
        assertEval(READY, "exists", KindEvaluators.customResource(cr(1L, Map.of("phase", "Running"))), "no conditions");
        assertEval(READY, "Ready", KindEvaluators.customResource(cr(2L, Map.of("observedGeneration", 2,
                "conditions", List.of(condition("Ready", "True", "Succeeded", "all good"))))));
        assertEval(WAITING, "waiting for the controller to observe generation 3", KindEvaluators.customResource(cr(3L,
                Map.of("observedGeneration", 2, "conditions", List.of(condition("Ready", "True", "Succeeded", ""))))));
        Evaluation notReady = KindEvaluators.customResource(cr(1L, Map.of("conditions",
                List.of(condition("Ready", "False", "Progressing", "issuing certificate")))));
        assertEval(WAITING, "Ready=False: Progressing", notReady);
        assertEquals("issuing certificate", notReady.message());
        Evaluation stalled = KindEvaluators.customResource(cr(1L, Map.of("conditions", List.of(
                condition("Ready", "False", "InvalidSpec", "bad issuer"),
                condition("Stalled", "True", "InvalidSpec", "issuer \"x\" not found")))));
        assertEval(FAILED, "InvalidSpec", stalled);
        assertEquals("issuer \"x\" not found", stalled.message());
        assertEval(WAITING, "Reconciling: Progressing", KindEvaluators.customResource(cr(1L, Map.of("conditions", List.of(
                condition("Reconciling", "True", "Progressing", "working"))))));
        // the generic dispatcher routes custom resources here
        assertEquals(FAILED, KindEvaluators.evaluate(cr(1L, Map.of("conditions", List.of(
                condition("Stalled", "True", "InvalidSpec", "x"))))).state());
    }

    @Test
    void otherKindsAreReadyOnceTheyExist() {
        assertEval(READY, "exists", KindEvaluators.evaluate(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build()));
        assertEval(READY, "exists", KindEvaluators.evaluate(new ClusterRoleBuilder().withNewMetadata().withName("r").endMetadata().build()));
        assertEval(WAITING, "being deleted", KindEvaluators.evaluate(new ConfigMapBuilder().withNewMetadata().withName("c")
                .withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().build()));
    }
}
