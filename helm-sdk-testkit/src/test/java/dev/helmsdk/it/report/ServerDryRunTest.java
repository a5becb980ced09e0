package dev.helmsdk.it.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.report.FieldChange;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ObjectChange;
import dev.helmsdk.api.report.ObjectRef;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.api.report.Verdict;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dry run's admission, diff, conflict and immutable-field checks against a real API server: a
 * ValidatingAdmissionPolicy that refuses an object, objects owned by another release and by nobody (in Helm's
 * words, compared with Helm's own refusal), a selector change (compared with the real upgrade's failure), the diff
 * of podinfo's upgrades, and a Secret whose value changes and is never shown.
 */
@KubernetesControlPlaneTest
@Tag("integration")
class ServerDryRunTest {

    private static final ChartRef REPORT = ChartRef.local(TestCharts.local("sdk-report"));

    private static List<String> codes(DryRunResult r) {
        return r.findings().stream().map(Finding::code).toList();
    }

    @Test
    void aValidatingAdmissionPolicyRefusalIsAFindingAtTheObject(HelmManager helm, KubernetesClient kube) throws Exception {
        kube.resource("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: no-refused-config}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
                  validations:
                    - expression: "object.metadata.name != 'refused-config'"
                      message: the platform team does not allow this ConfigMap
                """).create();
        kube.resource("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: no-refused-config}
                spec: {policyName: no-refused-config, validationActions: [Deny]}
                """).create();
        DryRunResult r = null;
        for (long end = System.nanoTime() + 30_000_000_000L; System.nanoTime() < end; Thread.sleep(200)) {
            r = helm.install("refused").chart(REPORT).dryRun();   // the policy takes effect when the API server has loaded it
            if (codes(r).contains("admission.refused")) {
                break;
            }
        }
        Finding f = r.findings().stream().filter(x -> x.code().equals("admission.refused")).findFirst()
                .orElseThrow(() -> new AssertionError("no refusal within 30 s"));
        assertEquals(new ObjectRef("v1", "ConfigMap", "default", "refused-config"), f.object().orElseThrow());
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("the platform team does not allow this ConfigMap"), f.message());
        assertTrue(f.message().contains("no-refused-config"), "the server names the policy: " + f.message());
        assertEquals(Verdict.FAIL, r.verdict());
        assertEquals(1, r.findings().stream().filter(x -> x.code().equals("admission.refused")).count(), r.findings().toString());
        assertEquals(null, kube.configMaps().inNamespace("default").withName("refused-config").get(), "a dry run creates nothing");
        kube.resource("""
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: no-refused-config}
                """).delete();
    }

    @Test
    void objectsOwnedByAnotherReleaseOrByNobodyAreConflictsInHelmsWords(HelmManager helm, KubernetesClient kube) {
        kube.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("taken-config")
                .addToLabels("app.kubernetes.io/managed-by", "Helm").addToAnnotations("meta.helm.sh/release-name", "other")
                .addToAnnotations("meta.helm.sh/release-namespace", "default").endMetadata().build()).create();
        kube.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("taken-creds").endMetadata().build())
                .create();
        DryRunResult r = helm.install("taken").chart(REPORT).dryRun();
        List<String> conflicts = r.findings().stream().filter(f -> f.code().equals("conflict.not_owned")).map(Finding::message).toList();
        String config = "ConfigMap \"taken-config\" in namespace \"default\" exists and cannot be imported into the current release: "
                + "invalid ownership metadata; annotation validation error: key \"meta.helm.sh/release-name\" must equal \"taken\": "
                + "current value is \"other\"";
        String creds = "Secret \"taken-creds\" in namespace \"default\" exists and cannot be imported into the current release: "
                + "invalid ownership metadata; label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to "
                + "\"Helm\"; annotation validation error: missing key \"meta.helm.sh/release-name\": must be set to \"taken\"; "
                + "annotation validation error: missing key \"meta.helm.sh/release-namespace\": must be set to \"default\"";
        assertEquals(List.of(config, creds), conflicts.stream().sorted().toList());
        assertEquals(Verdict.FAIL, r.verdict());
        // differentially: Helm itself refuses the install, naming the first conflicting object in the same words
        HelmSdkException helmSays = assertThrows(HelmSdkException.class, () -> helm.install("taken").chart(REPORT).run());
        assertTrue(helmSays.getMessage().contains(creds) || helmSays.getMessage().contains(config), helmSays.getMessage());
    }

    @Test
    void aSelectorChangeIsReportedOnceBeforeTheUpgradeFailsOnIt(HelmManager helm) {
        helm.install("sel").chart(REPORT).run();
        DryRunResult r = helm.upgrade("sel").chart(REPORT).set("selectorTier", "api").dryRun();
        List<Finding> immutable = r.findings().stream().filter(f -> f.check().equals("immutable_field")).toList();
        assertEquals(1, immutable.size(), r.findings().toString());
        assertEquals(Optional.of("/spec/selector"), immutable.get(0).field());
        assertEquals("Deployment/default/sel", immutable.get(0).object().orElseThrow().id());
        assertTrue(immutable.get(0).hint().orElseThrow().contains("recreate"), immutable.get(0).hint().toString());
        assertFalse(codes(r).contains("admission.refused"), "the server's own refusal of the selector is the same finding: " + r.findings());
        HelmSdkException e = assertThrows(HelmSdkException.class, () -> helm.upgrade("sel").chart(REPORT).set("selectorTier", "api").run());
        assertTrue(e.getMessage().contains("field is immutable"), "Helm fails on it as reported: " + e.getMessage());
    }

    @Test
    void podinfosUpgradeShowsExactlyTheReplicasAndANoOpUpgradeNothing(HelmManager helm) {
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        helm.install("pod").chart(podinfo).run();
        DryRunResult noop = helm.upgrade("pod").chart(podinfo).dryRun();
        assertEquals(List.of(), noop.changes(), "a no-op upgrade changes nothing");
        assertEquals(Verdict.PASS, noop.verdict(), noop.findings().toString());
        DryRunResult two = helm.upgrade("pod").chart(podinfo).set("replicaCount", 2).dryRun();
        assertEquals(List.of(new ObjectChange(new ObjectRef("apps/v1", "Deployment", "default", "pod-podinfo"), ObjectChange.Type.CHANGED,
                List.of(new FieldChange("/spec/replicas", Optional.of("1"), Optional.of("2"))))), two.changes());
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            helm.upgrade("pod").chart(podinfo).set("replicaCount", 2).dryRun();
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.println("podinfo upgrade dry run (render, Helm's server dry run, admission, diff, conflicts, immutable fields): "
                + "median " + sorted.get(2) + " ms of " + millis);
        assertTrue(sorted.get(2) < 5_000, "a dry run of podinfo takes " + millis + " ms");
    }

    @Test
    void aSecretsChangedValueIsShownMaskedNeverItself(HelmManager helm) {
        String before = "CANARY-before-8c1f";
        String after = "CANARY-after-value-2b";
        helm.install("sec").chart(REPORT).set("password", before).run();
        DryRunResult r = helm.upgrade("sec").chart(REPORT).set("password", after).dryRun();
        ObjectChange secret = r.changes().stream().filter(c -> c.object().kind().equals("Secret")).findFirst().orElseThrow();
        assertEquals(List.of(new FieldChange("/data/password", Optional.of("(sensitive, 18 bytes)"), Optional.of("(sensitive, 21 bytes)"))),
                secret.fields());
        String all = r.changes() + " " + r.findings() + " " + r;
        for (String canary : List.of(before, after)) {
            assertFalse(all.contains(canary), all);
            assertFalse(all.contains(Base64.getEncoder().encodeToString(canary.getBytes(StandardCharsets.UTF_8))), all);
        }
        assertEquals(List.of(), helm.upgrade("sec").chart(REPORT).set("password", before).dryRun().changes(), "the same value is no change");
    }

    @Test
    void anObjectTheChartNoLongerRendersIsRemoved(HelmManager helm) {
        helm.install("gone").chart(REPORT).run();
        DryRunResult r = helm.upgrade("gone").chart(REPORT).set("message", "").dryRun();
        assertEquals(List.of(new ObjectChange(new ObjectRef("v1", "ConfigMap", "default", "gone-config"), ObjectChange.Type.REMOVED,
                List.of())), r.changes());
    }

    @Test
    void aFieldTheChartNoLongerSetsIsRemovedAsHelmsUpgradeRemovesIt(HelmManager helm, KubernetesClient kube) {
        helm.install("team").chart(REPORT).set("annotations.team", "payments").run();
        DryRunResult r = helm.upgrade("team").chart(REPORT).resetValues().dryRun();   // without it, Helm reuses the values
        assertEquals(List.of(new ObjectChange(new ObjectRef("apps/v1", "Deployment", "default", "team"), ObjectChange.Type.CHANGED,
                List.of(new FieldChange("/metadata/annotations/team", Optional.of("\"payments\""), Optional.empty())))), r.changes());
        helm.upgrade("team").chart(REPORT).resetValues().run();   // differentially: Helm's upgrade does remove it, and only it
        var annotations = kube.apps().deployments().inNamespace("default").withName("team").get().getMetadata().getAnnotations();
        assertFalse(annotations.containsKey("team"), annotations.toString());
        assertEquals("team", annotations.get("meta.helm.sh/release-name"));
        assertEquals(List.of(), helm.upgrade("team").chart(REPORT).resetValues().dryRun().changes());
    }

    @Test
    void anInstallIntoANamespaceItCreatesIsNotRefusedForIt(HelmManager helm) {
        DryRunResult r = helm.install("fresh").inNamespace("not-yet").createNamespace().chart(REPORT).dryRun();
        assertFalse(codes(r).contains("admission.refused"), r.findings().toString());
        assertEquals(3, r.findings().stream().filter(f -> f.code().equals("admission.skipped") && f.severity() == Severity.INFO).count(),
                r.findings().toString());
        assertEquals(Verdict.PASS, r.verdict());
        assertEquals(3, r.changes().stream().filter(c -> c.type() == ObjectChange.Type.ADDED).count(), r.changes().toString());
    }
}
