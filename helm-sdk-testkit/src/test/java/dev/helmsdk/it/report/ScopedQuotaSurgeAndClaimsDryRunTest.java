package dev.helmsdk.it.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Verdict;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quota beyond plain counts on a real API server (quota admission, the quota controller, the Deployment controller, the
 * LimitRanger): a scoped quota charged only the pods it selects, a rolling update's surge that does not fit, and
 * claims' storage against quota and a PersistentVolumeClaim LimitRange; each compared with what the real change meets.
 */
@KubernetesControlPlaneTest
@Tag("integration")
class ScopedQuotaSurgeAndClaimsDryRunTest {

    @TempDir
    static Path charts;

    private static final ChartRef PODINFO = ChartRef.local(TestCharts.podinfo());

    private static List<Finding> exceeded(DryRunResult r) {
        return r.findings().stream().filter(f -> f.code().equals("quota.exceeded")).toList();
    }

    private static void namespace(KubernetesClient kube, String name) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static void quota(KubernetesClient kube, String ns, ResourceQuota q) {
        kube.resourceQuotas().inNamespace(ns).resource(q).create();
        String name = q.getMetadata().getName();
        await(() -> {
            var live = kube.resourceQuotas().inNamespace(ns).withName(name).get();
            return live.getStatus() != null && live.getStatus().getUsed() != null && !live.getStatus().getUsed().isEmpty();
        }, "the quota controller computed quota " + name + "'s usage");
    }

    private static ResourceQuota scoped(String name, String scope, String pods) {
        return new ResourceQuotaBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withScopes(scope)
                .addToHard("pods", new Quantity(pods)).endSpec().build();
    }

    private static void await(BooleanSupplier condition, String what) {
        RbacAndQuotaDryRunTest.await(condition, what);
    }

    @Test
    void aScopedQuotaThatDoesNotSelectThePodsIsNotChargedAndOneThatDoesIs(HelmManager helm, KubernetesClient kube) {
        String ns = "quota-scoped";
        namespace(kube, ns);
        // podinfo's pods request cpu and memory: Burstable, so a BestEffort quota of 0 pods does not apply to them
        quota(kube, ns, scoped("best-effort", "BestEffort", "0"));
        quota(kube, ns, scoped("not-best-effort", "NotBestEffort", "2"));
        DryRunResult fits = helm.install("web").inNamespace(ns).chart(PODINFO).set("replicaCount", 2).dryRun();
        assertEquals(List.of(), exceeded(fits), fits.findings().toString());
        assertTrue(fits.findings().stream().noneMatch(f -> f.code().equals("quota.scoped_not_checked")), fits.findings().toString());
        DryRunResult over = helm.install("web").inNamespace(ns).chart(PODINFO).set("replicaCount", 3).dryRun();
        List<Finding> found = exceeded(over);
        assertEquals(1, found.size(), over.findings().toString());
        assertTrue(found.get(0).message().contains("scoped (NotBestEffort) ResourceQuota not-best-effort in namespace quota-scoped "
                + "would be exceeded: pods: used 0 + adds 3 = 3 > hard 2"), found.get(0).message());
        // differentially: the real install's pods are charged to the NotBestEffort quota only
        helm.install("web").inNamespace(ns).chart(PODINFO).set("replicaCount", 2).run();
        await(() -> kube.pods().inNamespace(ns).list().getItems().size() == 2, "both pods were created");
        await(() -> "2".equals(kube.resourceQuotas().inNamespace(ns).withName("not-best-effort").get().getStatus().getUsed()
                .get("pods").toString()), "the NotBestEffort quota counts them");
        assertEquals("0", kube.resourceQuotas().inNamespace(ns).withName("best-effort").get().getStatus().getUsed().get("pods").toString());
    }

    @Test
    void aRollingUpdatesSurgeThatDoesNotFitIsReportedAndTheRolloutMeetsIt(HelmManager helm, KubernetesClient kube) {
        String ns = "quota-surge";
        namespace(kube, ns);
        quota(kube, ns, new ResourceQuotaBuilder().withNewMetadata().withName("pods").endMetadata().withNewSpec()
                .addToHard("pods", new Quantity("2")).endSpec().build());
        helm.install("web").inNamespace(ns).chart(PODINFO).set("replicaCount", 2).run();
        await(() -> "2".equals(kube.resourceQuotas().inNamespace(ns).withName("pods").get().getStatus().getUsed().get("pods").toString()),
                "the quota counts the two pods");
        DryRunResult same = helm.upgrade("web").inNamespace(ns).chart(PODINFO).set("replicaCount", 2).dryRun();
        assertEquals(List.of(), exceeded(same), "a no-op upgrade rolls nothing out: " + same.findings());
        DryRunResult rollout = helm.upgrade("web").inNamespace(ns).chart(PODINFO).set("replicaCount", 2).set("logLevel", "debug").dryRun();
        List<Finding> found = exceeded(rollout);
        assertEquals(1, found.size(), rollout.findings().toString());
        assertTrue(found.get(0).message().contains("pods: used 2 + adds 1 (of which 1 only during the rollout: Deployment web-podinfo's "
                + "rolling update runs up to 1 pod beyond its 2 replicas (maxSurge 25%)) = 3 > hard 2"), found.get(0).message());
        // differentially: the new ReplicaSet's surge pod is refused by quota admission
        helm.upgrade("web").inNamespace(ns).chart(PODINFO).set("replicaCount", 2).set("logLevel", "debug").run();
        await(() -> kube.v1().events().inNamespace(ns).list().getItems().stream().anyMatch(e -> "FailedCreate".equals(e.getReason())
                && "ReplicaSet".equals(e.getInvolvedObject().getKind()) && e.getMessage() != null && e.getMessage().contains("exceeded quota")),
                "a ReplicaSet reports a pod refused by the quota");
    }

    @Test
    void claimsAreChargedTheirStorageAndBoundedByAPersistentVolumeClaimLimitRange(HelmManager helm, KubernetesClient kube)
            throws IOException {
        ChartRef chart = ChartRef.local(claimChart());
        String ns = "quota-storage";
        namespace(kube, ns);
        quota(kube, ns, new ResourceQuotaBuilder().withNewMetadata().withName("storage").endMetadata().withNewSpec()
                .addToHard("requests.storage", new Quantity("3Gi")).addToHard("persistentvolumeclaims", new Quantity("5")).endSpec().build());
        DryRunResult over = helm.install("data").inNamespace(ns).chart(chart).set("size", "2Gi").dryRun();
        List<Finding> found = exceeded(over);
        assertEquals(1, found.size(), over.findings().toString());
        assertTrue(found.get(0).message().contains("requests.storage: used 0 + adds 4Gi = 4Gi > hard 3Gi"), found.get(0).message());
        assertEquals(List.of(), exceeded(helm.install("data").inNamespace(ns).chart(chart).set("size", "1Gi").dryRun()));
        // differentially: the claim fits (2Gi of 3Gi), the StatefulSet's claim from its template is refused by quota admission
        helm.install("data").inNamespace(ns).chart(chart).set("size", "2Gi").run();
        await(() -> kube.v1().events().inNamespace(ns).list().getItems().stream().anyMatch(e -> "FailedCreate".equals(e.getReason())
                && "StatefulSet".equals(e.getInvolvedObject().getKind()) && e.getMessage() != null && e.getMessage().contains("exceeded quota")),
                "the StatefulSet reports its claim refused by the quota");

        String bounded = "claims-bounded";
        namespace(kube, bounded);
        kube.limitRanges().inNamespace(bounded).resource(new LimitRangeBuilder().withNewMetadata().withName("claims").endMetadata()
                .withNewSpec().addNewLimit().withType("PersistentVolumeClaim").addToMax("storage", new Quantity("1Gi")).endLimit()
                .endSpec().build()).create();
        DryRunResult big = helm.install("data").inNamespace(bounded).chart(chart).set("size", "2Gi").dryRun();
        List<Finding> limits = big.findings().stream().filter(f -> f.code().equals("quota.limit_range")).toList();
        assertEquals(2, limits.size(), "the claim and the StatefulSet's claim template: " + big.findings());
        assertTrue(limits.stream().allMatch(f -> f.message().contains("maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi")),
                limits.toString());
        assertEquals(Verdict.FAIL, big.verdict());
        HelmSdkException limitSays = assertThrows(HelmSdkException.class,
                () -> helm.install("data").inNamespace(bounded).chart(chart).set("size", "2Gi").run());
        assertTrue(limitSays.getMessage().contains("maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi"),
                "the LimitRanger's own words: " + limitSays.getMessage());
    }

    /** A PersistentVolumeClaim and a StatefulSet of one replica with a claim template, both of {@code size}. */
    private static Path claimChart() throws IOException {
        Path dir = charts.resolve("claims");
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: claims\nversion: 1.0.0\n");
        Files.writeString(dir.resolve("values.yaml"), "size: 1Gi\n");
        Files.writeString(dir.resolve("templates/objects.yaml"), """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: {{ .Release.Name }}-files}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: {{ .Values.size }}}}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: {{ .Release.Name }}-db}
                spec:
                  serviceName: {{ .Release.Name }}
                  replicas: 1
                  selector: {matchLabels: {app: {{ .Release.Name }}-db}}
                  template:
                    metadata: {labels: {app: {{ .Release.Name }}-db}}
                    spec:
                      containers: [{name: db, image: "busybox:1.36", resources: {requests: {cpu: 10m, memory: 8Mi}}}]
                  volumeClaimTemplates:
                    - metadata: {name: data}
                      spec:
                        accessModes: [ReadWriteOnce]
                        resources: {requests: {storage: {{ .Values.size }}}}
                """);
        return dir;
    }
}
