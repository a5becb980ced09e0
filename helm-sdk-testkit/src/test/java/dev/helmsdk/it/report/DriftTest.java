package dev.helmsdk.it.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DriftRequest;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drift of deployed releases against a real API server: podinfo freshly installed has none; objects edited or deleted
 * by hand are reported field by field; ignore rules and the opt-out annotation hide what they cover; a Secret's edit
 * is shown masked; a correction restores the revision without writing one.
 */
@KubernetesControlPlaneTest
@Tag("integration")
class DriftTest {

    private static final ChartRef REPORT = ChartRef.local(TestCharts.local("sdk-report"));

    private static ObjectRef deployment(String name) {
        return new ObjectRef("apps/v1", "Deployment", "default", name);
    }

    private static ObjectRef config(String release) {
        return new ObjectRef("v1", "ConfigMap", "default", release + "-config");
    }

    /** As {@code kubectl edit} or {@code kubectl set image} would: a patch, whatever the controllers wrote meanwhile. */
    private static void editImage(KubernetesClient kube, String name, String image) {
        kube.apps().deployments().inNamespace("default").withName(name).patch(STRATEGIC,
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"" + image + "\"}]}}}}");
    }

    private static final io.fabric8.kubernetes.client.dsl.base.PatchContext STRATEGIC =
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE);

    private static void editMessage(KubernetesClient kube, String release, String message) {
        kube.configMaps().inNamespace("default").withName(release + "-config").edit(c -> { c.getData().put("message", message); return c; });
    }

    @Test
    void podinfoFreshlyInstalledHasNoDrift(HelmManager helm) {
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        helm.install("calm").chart(podinfo).run();
        DriftReport r = helm.drift("calm").run();
        assertFalse(r.hasDrift(), r.toString());
        assertEquals(List.of(), r.findings());
        assertEquals(1, r.revision());
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            assertFalse(helm.drift("calm").run().hasDrift());
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.println("podinfo drift (read the deployed revision, GET and dry-run apply per object): median "
                + sorted.get(2) + " ms of " + millis);
        assertTrue(sorted.get(2) < 1_000, "drift of podinfo takes " + millis + " ms");
    }

    @Test
    void aResolvedSecretReferenceInAnEditedObjectIsNeverShown(dev.helmsdk.testkit.KubernetesControlPlane cluster, KubernetesClient kube) {
        String secret = "drift-secret-canary-7731";
        var resolver = dev.helmsdk.testkit.spi.FakeSecretResolver.of("fake").withSecret("shop/db", java.util.Map.of("password", secret));
        try (HelmManager helm = dev.helmsdk.core.HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).secretResolver(resolver).build()) {
            helm.install("refd").chart(REPORT).set("message", "ref+fake://shop/db#/password").run();
            editMessage(kube, "refd", "edited by hand");
            DriftReport r = helm.drift("refd").run();
            assertTrue(r.hasDrift(), r.toString());
            String json = dev.helmsdk.core.report.DryRunReports.toJson(r);
            assertFalse(json.contains(secret) || r.toString().contains(secret) || r.drifted().toString().contains(secret),
                    "the deployed value is the resolved secret: " + json);
            assertTrue(json.contains("edited by hand"), "what is not secret is still shown: " + json);
        }
        // A manager that cannot resolve the release's references shows no value of it at all.
        try (HelmManager blind = dev.helmsdk.core.HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
            String json = dev.helmsdk.core.report.DryRunReports.toJson(blind.drift("refd").run());
            assertFalse(json.contains(secret), json);
            assertFalse(json.contains("edited by hand"), "every value hidden: " + json);
        }
    }

    @Test
    void objectsEditedOrDeletedByHandAreReportedFieldByField(HelmManager helm, KubernetesClient kube) {
        helm.install("edited").chart(REPORT).run();
        editImage(kube, "edited", "nginx:1.28");
        editMessage(kube, "edited", "changed by hand");
        DriftReport r = helm.drift("edited").run();
        assertTrue(r.hasDrift());
        assertEquals(List.of(
                new ObjectChange(config("edited"), ObjectChange.Type.CHANGED,
                        List.of(new FieldChange("/data/message", Optional.of("\"changed by hand\""), Optional.of("\"hello\"")))),
                new ObjectChange(deployment("edited"), ObjectChange.Type.CHANGED,
                        List.of(new FieldChange("/spec/template/spec/containers/0/image", Optional.of("\"nginx:1.28\""),
                                Optional.of("\"nginx:1.27\""))))),
                sortedByKind(r.drifted()));

        kube.configMaps().inNamespace("default").withName("edited-config").delete();
        awaitGone(kube, "edited-config");
        DriftReport gone = helm.drift("edited").run();
        assertTrue(gone.drifted().contains(new ObjectChange(config("edited"), ObjectChange.Type.ADDED, List.of())),
                "a deleted object is reported as one a correction creates: " + gone.drifted());
    }

    @Test
    void ignoreRulesAndTheOptOutAnnotationHideWhatTheyCover(HelmManager helm, KubernetesClient kube) {
        helm.install("quiet").chart(REPORT).run();
        editImage(kube, "quiet", "nginx:1.28");
        editMessage(kube, "quiet", "changed by hand");
        DriftReport everyObject = helm.drift("quiet").ignoring("/spec/template/spec/containers").run();
        assertEquals(List.of(config("quiet")), everyObject.drifted().stream().map(ObjectChange::object).toList());
        DriftReport scoped = helm.drift("quiet").ignoring("ConfigMap", "quiet-config", "/data").run();
        assertEquals(List.of(deployment("quiet")), scoped.drifted().stream().map(ObjectChange::object).toList());
        DriftReport otherName = helm.drift("quiet").ignoring("ConfigMap", "someone-else", "/data").run();
        assertEquals(2, otherName.drifted().size(), "a rule for another object hides nothing: " + otherName.drifted());
        assertThrows(InvalidRequestException.class, () -> helm.drift("quiet").ignoring("spec.replicas"));

        kube.configMaps().inNamespace("default").withName("quiet-config")
                .edit(c -> { c.getMetadata().getAnnotations().put(DriftRequest.OPT_OUT_ANNOTATION, "disabled"); return c; });
        DriftReport optedOut = helm.drift("quiet").run();
        assertEquals(List.of(deployment("quiet")), optedOut.drifted().stream().map(ObjectChange::object).toList());
        Finding disabled = optedOut.findings().stream().filter(f -> f.code().equals("drift.disabled")).findFirst().orElseThrow();
        assertEquals(Optional.of(config("quiet")), disabled.object());
        assertEquals(Severity.INFO, disabled.severity());
    }

    @Test
    void aSecretEditedByHandIsReportedWithoutItsValues(HelmManager helm, KubernetesClient kube) {
        String deployed = "CANARY-deployed-5d1e";
        String edited = "CANARY-by-hand-value-77";
        helm.install("guarded").chart(REPORT).set("password", deployed).run();
        kube.secrets().inNamespace("default").withName("guarded-creds").edit(s -> {
            s.getData().put("password", Base64.getEncoder().encodeToString(edited.getBytes(StandardCharsets.UTF_8)));
            return s;
        });
        DriftReport r = helm.drift("guarded").run();
        assertEquals(List.of(new ObjectChange(new ObjectRef("v1", "Secret", "default", "guarded-creds"), ObjectChange.Type.CHANGED,
                List.of(new FieldChange("/data/password", Optional.of("(sensitive, 23 bytes)"), Optional.of("(sensitive, 20 bytes)"))))),
                r.drifted());
        String all = r.toString() + dev.helmsdk.core.report.DryRunReports.toJson(r);
        for (String canary : List.of(deployed, edited)) {
            assertFalse(all.contains(canary), all);
            assertFalse(all.contains(Base64.getEncoder().encodeToString(canary.getBytes(StandardCharsets.UTF_8))), all);
        }
    }

    @Test
    void aCorrectionRestoresTheRevisionAndWritesNone(HelmManager helm, KubernetesClient kube) {
        helm.install("mended").chart(REPORT).run();
        editImage(kube, "mended", "nginx:1.28");
        kube.apps().deployments().inNamespace("default").withName("mended").patch(STRATEGIC, "{\"spec\":{\"replicas\":3}}");
        kube.configMaps().inNamespace("default").withName("mended-config").delete();
        awaitGone(kube, "mended-config");

        DriftReport done = helm.drift("mended").ignoring("Deployment", "*", "/spec/replicas").correct();
        assertEquals(List.of(config("mended"), deployment("mended")), done.corrected().stream()
                .sorted(java.util.Comparator.comparing(ObjectRef::kind)).toList());
        assertEquals(List.of(), done.findings());
        var d = kube.apps().deployments().inNamespace("default").withName("mended").get();
        assertEquals("nginx:1.27", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage(), "restored as deployed");
        assertEquals(3, d.getSpec().getReplicas(), "an ignored field keeps its live value");
        assertEquals(Map.of("message", "hello"), kube.configMaps().inNamespace("default").withName("mended-config").get().getData(),
                "a deleted object is created again");

        DriftReport after = helm.drift("mended").ignoring("/spec/replicas").run();
        assertFalse(after.hasDrift(), after.toString());
        assertEquals(1, helm.history("mended").run().size(), "no new revision");
        assertEquals(1, helm.status("mended").run().revision());
        DriftReport replicas = helm.drift("mended").run();
        assertEquals(List.of(new FieldChange("/spec/replicas", Optional.of("3"), Optional.of("1"))),
                replicas.drifted().get(0).fields(), "without the rule the replicas have drifted");

        // Helm's own upgrade still owns what the correction applied: it changes and removes fields as before
        helm.upgrade("mended").chart(REPORT).set("message", "").run();
        assertEquals(null, kube.configMaps().inNamespace("default").withName("mended-config").get(), "the upgrade removed it");
        assertEquals(1, kube.apps().deployments().inNamespace("default").withName("mended").get().getSpec().getReplicas(),
                "the upgrade set the chart's replicas again");
        assertFalse(helm.drift("mended").run().hasDrift(), "and nothing drifted from revision 2");
    }

    @Test
    void anObjectTheServerWillNotTakeBackIsAWarningAndItsCorrectionAnError(HelmManager helm, KubernetesClient kube) throws Exception {
        helm.install("stuck").chart(REPORT).run();
        editMessage(kube, "stuck", "by hand");
        kube.resource("# YAML in flow style\n{apiVersion: admissionregistration.k8s.io/v1, kind: ValidatingAdmissionPolicy, metadata: {name: keep-stuck-config},"
                + " spec: {failurePolicy: Fail, matchConstraints: {resourceRules: [{apiGroups: [''], apiVersions: [v1],"
                + " operations: [UPDATE], resources: [configmaps]}]}, validations: [{expression: \"object.metadata.name != 'stuck-config'"
                + " || object.data.message != 'hello'\", message: the platform team froze this ConfigMap}]}}").create();
        kube.resource("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: keep-stuck-config}
                spec: {policyName: keep-stuck-config, validationActions: [Deny]}
                """).create();
        try {
            DriftReport r = null;
            for (long end = System.nanoTime() + 30_000_000_000L; System.nanoTime() < end; Thread.sleep(200)) {
                r = helm.drift("stuck").run();   // the policy takes effect when the API server has loaded it
                if (!r.findings().isEmpty()) {
                    break;
                }
            }
            Finding refused = r.findings().stream().filter(f -> f.code().equals("drift.refused")).findFirst()
                    .orElseThrow(() -> new AssertionError("no refusal within 30 s"));
            assertEquals(Severity.WARNING, refused.severity());
            assertTrue(refused.message().contains("the platform team froze this ConfigMap"), refused.message());
            assertEquals(List.of(new FieldChange("/data/message", Optional.of("\"by hand\""), Optional.of("\"hello\""))),
                    r.drifted().stream().filter(c -> c.object().equals(config("stuck"))).findFirst().orElseThrow().fields(),
                    "compared as deployed laid over the live object");
            DriftReport corrected = helm.drift("stuck").correct();
            assertEquals(List.of(), corrected.corrected());
            Finding failed = corrected.findings().stream().filter(f -> f.code().equals("drift.correction_failed")).findFirst().orElseThrow();
            assertEquals(Severity.ERROR, failed.severity());
            assertEquals(dev.helmsdk.api.report.Verdict.FAIL, corrected.verdict());
            assertEquals("by hand", kube.configMaps().inNamespace("default").withName("stuck-config").get().getData().get("message"));
        } finally {
            kube.resource("""
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: ValidatingAdmissionPolicyBinding
                    metadata: {name: keep-stuck-config}
                    """).delete();
        }
    }

    @Test
    void aMissingReleaseIsNotFoundAndAnUninstalledOneRefused(HelmManager helm) {
        assertThrows(ReleaseNotFoundException.class, () -> helm.drift("nobody").run());
        helm.install("left").chart(REPORT).run();
        helm.uninstall("left").keepHistory().run();
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> helm.drift("left").run());
        assertTrue(e.getMessage().contains("uninstalled"), e.getMessage());
    }

    @Test
    void detectionAndCorrectionAreOperationsTheInterceptorsMetersAndAuditTrailSee(dev.helmsdk.testkit.KubernetesControlPlane cluster,
                                                                                 KubernetesClient kube) {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<dev.helmsdk.api.audit.AuditEvent> audit = new java.util.concurrent.CopyOnWriteArrayList<>();
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (HelmManager helm = dev.helmsdk.core.HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("default")
                .meterRegistry(meters).auditSink(audit::add)
                .interceptor(new dev.helmsdk.api.spi.OperationInterceptor() {
                    @Override
                    public void before(dev.helmsdk.api.spi.OperationEvent event) {
                        seen.add(event.operation().tag() + ":" + event.releaseName());
                    }
                }).build()) {
            helm.install("watched").chart(REPORT).run();
            editMessage(kube, "watched", "changed by hand");
            assertTrue(helm.withActor("ci:nightly").drift("watched").run().hasDrift());
            assertEquals(2, audit.size(), "detection changes nothing: no audit event beyond the install's " + audit);
            helm.withActor("ci:nightly").drift("watched").correct();
            assertEquals(List.of("install:watched", "drift:watched", "drift_correction:watched"), seen);
            var correction = audit.subList(2, audit.size());
            assertEquals(List.of(dev.helmsdk.api.audit.AuditEvent.Phase.INTENT, dev.helmsdk.api.audit.AuditEvent.Phase.OUTCOME),
                    correction.stream().map(dev.helmsdk.api.audit.AuditEvent::phase).toList(), "a correction is a change: " + correction);
            assertEquals(dev.helmsdk.api.Operation.DRIFT_CORRECTION, correction.get(1).operation());
            assertEquals("ci:nightly", correction.get(1).actor());
            assertEquals(Optional.of(new dev.helmsdk.api.audit.AuditEvent.Revisions(1, 1)), correction.get(1).revisions(),
                    "the same revision before and after");
            assertEquals(1.0, meters.get("helm.sdk.operations").tag("operation", "drift").tag("outcome", "success").timer().count());
            assertEquals(1.0, meters.get("helm.sdk.operations").tag("operation", "drift_correction").timer().count());
            assertEquals(1.0, meters.get("helm.sdk.lock.wait").tag("operation", "drift_correction").timer().count(),
                    "the correction held the release's lock");
        }
    }

    private static List<ObjectChange> sortedByKind(List<ObjectChange> changes) {
        return changes.stream().sorted(java.util.Comparator.comparing(c -> c.object().kind())).toList();
    }

    private static void awaitGone(KubernetesClient kube, String configMap) {
        kube.configMaps().inNamespace("default").withName(configMap).waitUntilCondition(java.util.Objects::isNull, 10,
                java.util.concurrent.TimeUnit.SECONDS);
    }
}
