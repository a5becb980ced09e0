package dev.helmsdk.it.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.Verdict;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollback's dry run on a real release (the fields that would return, the history untouched, then the real rollback
 * doing what it said), and the immutable fields besides selectors (a Service's clusterIP, a Job's template, a
 * StatefulSet's volume claim templates) reported before the real upgrade fails on them.
 */
@KubernetesControlPlaneTest
@Tag("integration")
class RollbackAndImmutableDryRunTest {

    @TempDir
    static Path charts;

    @Test
    void aRollbacksDryRunShowsTheFieldsThatWouldReturnAndWritesNoRevision(HelmManager helm, KubernetesClient kube) {
        String ns = "rollback-dry";
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        helm.install("web").inNamespace(ns).createNamespace().chart(podinfo).set("replicaCount", 1).run();
        helm.upgrade("web").inNamespace(ns).chart(podinfo).set("replicaCount", 3).set("logLevel", "debug").run();
        List<Release> before = helm.history("web").inNamespace(ns).run();

        DryRunResult plan = helm.rollback("web").inNamespace(ns).dryRun();
        assertEquals(Operation.ROLLBACK, plan.operation());
        assertEquals("podinfo", plan.chartName());
        assertEquals(Verdict.PASS, plan.verdict(), plan.findings().toString());
        ObjectChange deployment = plan.changes().stream().filter(c -> c.object().id().equals("Deployment/" + ns + "/web-podinfo"))
                .findFirst().orElseThrow(() -> new AssertionError("no change of the Deployment: " + plan.changes()));
        assertEquals(ObjectChange.Type.CHANGED, deployment.type());
        var replicas = deployment.fields().stream().filter(f -> f.path().equals("/spec/replicas")).findFirst().orElseThrow(
                () -> new AssertionError(deployment.fields().toString()));
        assertEquals(Optional.of("3"), replicas.before());
        assertEquals(Optional.of("1"), replicas.after());
        assertTrue(deployment.fields().stream().anyMatch(f -> f.path().startsWith("/spec/template/spec/containers/0/command")),
                "the log level returns to info: " + deployment.fields());
        assertEquals(1, plan.changes().size(), "only the Deployment differs between the revisions: " + plan.changes());
        assertEquals(before, helm.history("web").inNamespace(ns).run(), "a dry run writes no revision");
        assertEquals(3, kube.apps().deployments().inNamespace(ns).withName("web-podinfo").get().getSpec().getReplicas());
        assertThrows(ReleaseNotFoundException.class, () -> helm.rollback("web").inNamespace(ns).toRevision(7).dryRun());

        // What it said is what the rollback does.
        helm.rollback("web").inNamespace(ns).run();
        assertEquals(1, kube.apps().deployments().inNamespace(ns).withName("web-podinfo").get().getSpec().getReplicas());
        assertEquals(List.of(), helm.rollback("web").inNamespace(ns).toRevision(3).dryRun().changes(),
                "returning to what is deployed changes nothing");
    }

    @Test
    void clusterIpJobTemplateAndClaimTemplatesAreReportedBeforeTheUpgradeFailsOnThem(HelmManager helm) throws IOException {
        ChartRef chart = ChartRef.local(immutableChart());
        String ns = "immutable-more";
        helm.install("imm").inNamespace(ns).createNamespace().chart(chart).run();
        assertEquals(List.of(), immutable(helm.upgrade("imm").inNamespace(ns).chart(chart).dryRun()), "a no-op upgrade changes none");

        assertImmutable(helm, chart, ns, "clusterIP", "10.96.100.77", "Service/" + ns + "/imm", "/spec/clusterIP");
        assertImmutable(helm, chart, ns, "jobImage", "busybox:1.37", "Job/" + ns + "/imm-migrate", "/spec/template");
        assertImmutable(helm, chart, ns, "storage", "2Gi", "StatefulSet/" + ns + "/imm-db", "/spec/volumeClaimTemplates");
    }

    private static void assertImmutable(HelmManager helm, ChartRef chart, String ns, String key, String value, String object,
                                        String field) {
        DryRunResult r = helm.upgrade("imm").inNamespace(ns).chart(chart).set(key, value).dryRun();
        List<Finding> found = immutable(r);
        assertEquals(1, found.size(), key + ": " + r.findings());
        assertEquals(object, found.get(0).object().orElseThrow().id());
        assertEquals(Optional.of(field), found.get(0).field());
        assertEquals(Verdict.FAIL, r.verdict());
        // differentially: the real upgrade fails on the same object
        HelmSdkException e = assertThrows(HelmSdkException.class, () -> helm.upgrade("imm").inNamespace(ns).chart(chart).set(key, value).run());
        assertTrue(e.getMessage().contains(object.substring(object.lastIndexOf('/') + 1)) && e.getMessage().toLowerCase().contains("immutable")
                || e.getMessage().contains("Forbidden"), e.getMessage());
    }

    private static List<Finding> immutable(DryRunResult r) {
        return r.findings().stream().filter(f -> f.check().equals("immutable_field")).toList();
    }

    /** A Service with a fixed cluster IP, a Job and a StatefulSet with a claim template, each field from a value. */
    private static Path immutableChart() throws IOException {
        Path dir = charts.resolve("immutable");
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: immutable\nversion: 1.0.0\n");
        Files.writeString(dir.resolve("values.yaml"), "clusterIP: 10.96.100.66\njobImage: busybox:1.36\nstorage: 1Gi\n");
        Files.writeString(dir.resolve("templates/objects.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: {{ .Release.Name }}}
                spec:
                  clusterIP: {{ .Values.clusterIP }}
                  selector: {app: {{ .Release.Name }}}
                  ports: [{port: 80}]
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: {{ .Release.Name }}-migrate}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: migrate, image: "{{ .Values.jobImage }}"}]
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
                      containers: [{name: db, image: "busybox:1.36"}]
                  volumeClaimTemplates:
                    - metadata: {name: data}
                      spec:
                        accessModes: [ReadWriteOnce]
                        resources: {requests: {storage: {{ .Values.storage }}}}
                """);
        return dir;
    }
}
