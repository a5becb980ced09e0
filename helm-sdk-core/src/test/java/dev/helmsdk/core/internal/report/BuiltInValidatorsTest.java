package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.ReleaseValidator;
import dev.helmsdk.api.report.Severity;
import dev.helmsdk.core.BuiltInValidator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each built-in validator on a workload that breaks it and one that does not; validators never see Secret data. */
class BuiltInValidatorsTest {

    private static final String GOOD = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: good}
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/x/app:1.2.3
                      resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 1, memory: 128Mi}}
                      livenessProbe: {httpGet: {path: /, port: 80}}
                      readinessProbe: {httpGet: {path: /, port: 80}}
                      securityContext: {allowPrivilegeEscalation: false}
            """;

    private static final String BAD = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly, namespace: jobs}
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      hostNetwork: true
                      hostPID: true
                      initContainers:
                        - name: init
                          image: busybox
                          resources: {requests: {cpu: 10m}}
                      containers:
                        - name: run
                          image: registry:5000/team/tool:latest
                          securityContext: {privileged: true, allowPrivilegeEscalation: true}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              template:
                spec:
                  containers:
                    - name: db
                      image: postgres@sha256:0123
                      readinessProbe: {exec: {command: [true]}}
            """;

    private static List<Finding> run(BuiltInValidator which, String yaml) {
        DryRunRules rules = DryRunRules.of(List.of(), EnumSet.of(which), List.of(), Contexts.YAML);
        return Contexts.run(rules.validators(), Contexts.ofObjects(yaml));
    }

    private static List<String> located(List<Finding> found) {
        return found.stream().map(f -> f.code() + " " + f.object().orElseThrow().id() + " " + f.field().orElse("")).toList();
    }

    @Test
    void resourcesNamesWhatIsMissingPerContainer() {
        assertEquals(List.of(), run(BuiltInValidator.RESOURCES, GOOD));
        List<Finding> found = run(BuiltInValidator.RESOURCES, BAD);
        assertEquals(List.of(
                "resources.missing CronJob/jobs/nightly /spec/jobTemplate/spec/template/spec/initContainers/0/resources",
                "resources.missing CronJob/jobs/nightly /spec/jobTemplate/spec/template/spec/containers/0/resources",
                "resources.missing StatefulSet/apps/db /spec/template/spec/containers/0/resources"), located(found));
        assertTrue(found.get(0).message().contains("requests.memory, limits.cpu, limits.memory"), found.get(0).message());
        assertFalse(found.get(0).message().contains("requests.cpu"), found.get(0).message());
        assertEquals("validator:resource-requests-limits", found.get(0).check());
        assertEquals(Severity.ERROR, found.get(0).severity());
    }

    @Test
    void imageTagsRefusesLatestAndUntaggedButNotADigestOrARegistryPort() {
        assertEquals(List.of(), run(BuiltInValidator.IMAGE_TAGS, GOOD));
        assertEquals(List.of(
                "image.untagged CronJob/jobs/nightly /spec/jobTemplate/spec/template/spec/initContainers/0/image",
                "image.latest CronJob/jobs/nightly /spec/jobTemplate/spec/template/spec/containers/0/image"),
                located(run(BuiltInValidator.IMAGE_TAGS, BAD)));
        assertEquals(List.of("image.untagged Pod/apps/p /spec/containers/0/image"), located(run(BuiltInValidator.IMAGE_TAGS,
                "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: 'registry:5000/app'}]}}")));
    }

    @Test
    void privilegeFindsPrivilegedEscalatingAndHostNamespaces() {
        assertEquals(List.of(), run(BuiltInValidator.PRIVILEGE, GOOD));
        assertEquals(List.of(
                "pod.host_namespace CronJob/jobs/nightly /spec/jobTemplate/spec/template/spec/hostNetwork",
                "pod.host_namespace CronJob/jobs/nightly /spec/jobTemplate/spec/template/spec/hostPID",
                "container.privileged CronJob/jobs/nightly /spec/jobTemplate/spec/template/spec/containers/0/securityContext/privileged",
                "container.privilege_escalation CronJob/jobs/nightly /spec/jobTemplate/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation"),
                located(run(BuiltInValidator.PRIVILEGE, BAD)));
    }

    @Test
    void probesAreAskedOfLongRunningWorkloadsOnlyAsWarnings() {
        assertEquals(List.of(), run(BuiltInValidator.PROBES, GOOD));
        List<Finding> found = run(BuiltInValidator.PROBES, BAD);
        assertEquals(List.of("probe.liveness_missing StatefulSet/apps/db /spec/template/spec/containers/0/livenessProbe"), located(found),
                "the CronJob needs none; the StatefulSet has a readiness probe");
        assertEquals(Severity.WARNING, found.get(0).severity());
    }

    @Test
    void chartVersionPinnedRefusesNoVersionAndRangesForRemoteChartsOnly() {
        DryRunRules rules = DryRunRules.of(List.of(), EnumSet.of(BuiltInValidator.CHART_VERSION_PINNED), List.of(), Contexts.YAML);
        java.util.function.Function<ChartRef, List<String>> codes = ref -> Contexts.run(rules.validators(),
                Contexts.of(null, Map.of(), List.of(), null, ref)).stream().map(Finding::code).toList();
        assertEquals(List.of("chart.version_unpinned"), codes.apply(ChartRef.repository("https://charts.example", "web", null)));
        assertEquals(List.of("chart.version_range"), codes.apply(ChartRef.repository("https://charts.example", "web", "^1.2")));
        assertEquals(List.of("chart.version_range"), codes.apply(ChartRef.oci("oci://r.example/web", "1.2.x")));
        assertEquals(List.of(), codes.apply(ChartRef.oci("oci://r.example/web", "1.2.3")));
        assertEquals(List.of(), codes.apply(ChartRef.repository("https://charts.example", "web", "v1.2.3-rc.1")));
        assertEquals(List.of(), codes.apply(ChartRef.directory(Path.of("charts/web"))));
    }

    @Test
    void aValidatorSeesSecretsWithoutDataAndOneThatThrowsIsAFindingOfItsOwn() {
        List<Map<String, Object>> seen = new java.util.ArrayList<>();
        ReleaseValidator looking = new ReleaseValidator() {
            @Override public String name() { return "looking"; }
            @Override public List<Finding> validate(Input input) {
                seen.addAll(input.objects());
                return List.of(Finding.general("mine", "own.code", Severity.WARNING, "saw s3cret-pw", null));
            }
        };
        ReleaseValidator throwing = new ReleaseValidator() {
            @Override public String name() { return "throwing"; }
            @Override public List<Finding> validate(Input input) { throw new IllegalStateException("broke on s3cret-pw"); }
        };
        DryRunRules rules = DryRunRules.of(List.of(throwing, looking), EnumSet.of(BuiltInValidator.IMAGE_TAGS), List.of(), Contexts.YAML);
        List<Finding> found = Contexts.run(rules.validators(), Contexts.ofObjects(
                "{apiVersion: v1, kind: Secret, metadata: {name: s}, data: {pw: czNjcmV0LXB3}, stringData: {pw: s3cret-pw}}\n---\n" + BAD));
        // built-ins first, then the given ones in order; errors before warnings
        assertEquals(List.of("image.untagged validator:image-tags", "image.latest validator:image-tags", "validator.failed validator:throwing",
                "own.code validator:looking"), found.stream().map(f -> f.code() + " " + f.check()).toList());
        assertFalse(found.toString().contains("s3cret-pw"), found.toString());
        assertEquals(Map.of("name", "s"), seen.get(0).get("metadata"));
        assertFalse(seen.get(0).containsKey("data") || seen.get(0).containsKey("stringData"), seen.get(0).toString());
        assertThrows(UnsupportedOperationException.class, () -> seen.get(0).put("data", "x"));
    }

    @Test
    void dependencyVersionsPinnedRefusesFloatingRemoteDependenciesOfTheChartOnDisk(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        java.nio.file.Files.writeString(tmp.resolve("Chart.yaml"), """
                apiVersion: v2
                name: web
                version: 1.2.3
                dependencies:
                - {name: exact, version: 1.2.3, repository: https://charts.example}
                - {name: caret, version: ^1.2.0, repository: https://charts.example}
                - {name: none, repository: oci://r.example/charts}
                - {name: wild, version: 1.x, repository: oci://r.example/charts}
                - {name: local, version: ^0.1.0, repository: file://../local}
                - {name: sub, version: ">=0", repository: ""}
                """);
        DryRunRules rules = DryRunRules.of(List.of(), EnumSet.of(BuiltInValidator.DEPENDENCY_VERSIONS_PINNED), List.of(), Contexts.YAML);
        List<Finding> found = Contexts.run(rules.validators(), Contexts.of(tmp, Map.of(), List.of(), null, ChartRef.directory(tmp)));
        assertEquals(List.of("dependency.version_floating validator:dependency-versions-pinned"),
                found.stream().map(f -> f.code() + " " + f.check()).distinct().toList());
        assertEquals(3, found.size(), found.toString());
        assertTrue(found.get(0).message().contains("'caret' is asked for by the range '^1.2.0'"), found.get(0).message());
        assertTrue(found.get(1).message().contains("'none' has no version"), found.get(1).message());
        assertTrue(found.get(2).message().contains("'wild'"), found.get(2).message());
    }
}
