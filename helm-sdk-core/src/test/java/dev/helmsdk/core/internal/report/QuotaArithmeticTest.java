package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Severity;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pods' effective requests as Kubernetes computes them, LimitRange defaults, what a release adds, and quota headroom. */
class QuotaArithmeticTest {

    private static final ApiResources RESOURCES = ApiResources.of(Map.of(
            "apps/v1", Map.of("Deployment", new ApiResources.Resource("apps", "deployments", true),
                    "StatefulSet", new ApiResources.Resource("apps", "statefulsets", true)),
            "v1", Map.of("Service", new ApiResources.Resource("", "services", true),
                    "ConfigMap", new ApiResources.Resource("", "configmaps", true),
                    "Namespace", new ApiResources.Resource("", "namespaces", false))));

    private static Quantity q(String s) {
        return new Quantity(s);
    }

    private static String deployment(int replicas, String resources, String initContainers) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: %d
                  template:
                    spec:
                      initContainers: %s
                      containers:
                        - name: app
                          resources: %s
                        - name: log
                          resources: {requests: {cpu: 50m, memory: 16Mi}}
                """.formatted(replicas, initContainers, resources);
    }

    private static PodSpec spec(String deployment) {
        return Workloads.of(KubeObjects.parse(deployment).get(0), "apps", 1).orElseThrow().spec();
    }

    private static Map<String, Quantity> usage(String manifest, List<LimitRangeItem> limitRanges) {
        return ReleaseUsage.of(KubeObjects.parse(manifest), "apps", RESOURCES, ns -> limitRanges, 1).get("apps");
    }

    @Test
    void anInitContainerLargerThanTheAppContainersSumIsThePodsRequest() {
        PodSpec spec = spec(deployment(1, "{requests: {cpu: 100m, memory: 32Mi}}",
                "[{name: migrate, resources: {requests: {cpu: 1, memory: 8Mi}}}]"));
        Map<String, Quantity> pod = PodResources.effective(spec, PodResources.defaulted(spec, List.of()));
        assertEquals(0, q("1").compareTo(pod.get("requests.cpu")), "max(init 1, sum 150m): " + pod);
        assertEquals(0, q("48Mi").compareTo(pod.get("requests.memory")), "max(init 8Mi, sum 48Mi): " + pod);
    }

    @Test
    void aSidecarAddsToTheSumAndToEveryLaterInitContainer() {
        PodSpec spec = spec(deployment(1, "{requests: {cpu: 100m}}",
                "[{name: proxy, restartPolicy: Always, resources: {requests: {cpu: 200m}}},"
                        + " {name: migrate, resources: {requests: {cpu: 300m}}}]"));
        Map<String, Quantity> pod = PodResources.effective(spec, PodResources.defaulted(spec, List.of()));
        // sum 100m + 50m + sidecar 200m = 350m; the init step runs 200m + 300m = 500m: the larger wins
        assertEquals(0, q("500m").compareTo(pod.get("requests.cpu")), pod.toString());
    }

    @Test
    void limitRangeDefaultsFillMissingRequestsAndLimitsButALimitAloneIsTheRequest() {
        LimitRangeItem defaults = new LimitRangeItemBuilder().withType("Container")
                .addToDefault("cpu", q("500m")).addToDefaultRequest("cpu", q("250m")).build();
        PodSpec spec = spec(deployment(1, "{limits: {memory: 64Mi}}", "[]"));
        PodResources.Defaulted app = PodResources.defaulted(spec, List.of(defaults)).get(0);
        assertEquals(q("250m"), app.requests().get("cpu"));
        assertEquals(q("500m"), app.limits().get("cpu"));
        assertEquals(q("64Mi"), app.requests().get("memory"), "the API server defaults a missing request to the limit");
        PodResources.Defaulted log = PodResources.defaulted(spec, List.of(defaults)).get(1);
        assertEquals(q("50m"), log.requests().get("cpu"), "a stated request is kept");
    }

    @Test
    void replicasTimesThePodsRequestsAndTheObjectCountsAreWhatTheReleaseAdds() {
        String manifest = deployment(3, "{requests: {cpu: 100m, memory: 32Mi}, limits: {cpu: 200m}}", "[]") + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {type: NodePort, ports: [{port: 80}, {port: 443}]}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: elsewhere}
                """;
        Map<String, Quantity> adds = usage(manifest, List.of());
        assertEquals(0, q("450m").compareTo(adds.get("requests.cpu")), "3 × (100m + 50m): " + adds);
        assertEquals(0, q("450m").compareTo(adds.get("cpu")), "quota's bare cpu is requests.cpu");
        assertEquals(0, q("144Mi").compareTo(adds.get("requests.memory")));
        assertEquals(0, q("600m").compareTo(adds.get("limits.cpu")), "the log container states no cpu limit: " + adds);
        assertEquals(0, q("3").compareTo(adds.get("pods")));
        assertEquals(0, q("1").compareTo(adds.get("count/deployments.apps")));
        assertEquals(0, q("1").compareTo(adds.get("services")));
        assertEquals(0, q("2").compareTo(adds.get("services.nodeports")));
        assertTrue(adds.keySet().stream().noneMatch(k -> k.contains("namespaces")), "cluster-scoped objects are in no quota");
    }

    @Test
    void anUpgradeAddsOnlyTheDifferenceToTheDeployedRevision() {
        String before = deployment(2, "{requests: {cpu: 100m}}", "[]") + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: old}
                """;
        Map<String, Map<String, Quantity>> delta = ReleaseUsage.delta(
                ReleaseUsage.of(KubeObjects.parse(deployment(3, "{requests: {cpu: 100m}}", "[]")), "apps", RESOURCES, ns -> List.of(), 1),
                ReleaseUsage.of(KubeObjects.parse(before), "apps", RESOURCES, ns -> List.of(), 1));
        Map<String, Quantity> adds = delta.get("apps");
        assertEquals(0, q("150m").compareTo(adds.get("requests.cpu")), "one more pod of 150m: " + adds);
        assertEquals(0, q("1").compareTo(adds.get("pods")));
        assertEquals(0, q("0").compareTo(adds.get("count/deployments.apps")), "the Deployment is there already");
        assertEquals(0, q("-1").compareTo(adds.get("configmaps")), "the removed ConfigMap frees one");
    }

    private static ResourceQuota quota(String resource, String hard, String used) {
        return new ResourceQuotaBuilder().withNewMetadata().withName("compute").endMetadata()
                .withNewSpec().addToHard(resource, q(hard)).endSpec()
                .withNewStatus().addToHard(resource, q(hard)).addToUsed(resource, q(used)).endStatus().build();
    }

    @Test
    void aQuotaThatDoesNotFitIsAnErrorWithTheNumbersAndANearlyFullOneAWarning() {
        List<Finding> over = QuotaHeadroom.check("apps", List.of(quota("requests.cpu", "1", "700m")), Map.of("requests.cpu", q("450m")));
        assertEquals(1, over.size(), over.toString());
        assertEquals("quota.exceeded", over.get(0).code());
        assertEquals(Severity.ERROR, over.get(0).severity());
        assertTrue(over.get(0).message().contains("requests.cpu: used 700m + adds 450m = 1150m > hard 1"), over.get(0).message());
        assertTrue(over.get(0).hint().orElseThrow().contains("to at least 1150m"), over.get(0).hint().orElseThrow());

        List<Finding> near = QuotaHeadroom.check("apps", List.of(quota("requests.memory", "1Gi", "900Mi")),
                Map.of("requests.memory", q("32Mi")));
        assertEquals(List.of("quota.near_limit"), near.stream().map(Finding::code).toList());
        assertTrue(near.get(0).message().contains("used 900Mi + adds 32Mi = 932Mi of hard 1Gi"), near.get(0).message());

        assertEquals(List.of(), QuotaHeadroom.check("apps", List.of(quota("requests.cpu", "1", "990m")), Map.of("requests.cpu", q("0"))),
                "what the release does not add to is not its finding");
        assertEquals(List.of(), QuotaHeadroom.check("apps", List.of(quota("pods", "10", "2")), Map.of("pods", q("3"))));
    }

    @Test
    void aContainerWithoutRequestsUnderAQuotaOnThemIsRefusedUnlessALimitRangeDefaultsThem() {
        PodSpec spec = spec(deployment(1, "{}", "[]"));
        assertEquals(Map.of("requests.cpu", List.of("app")),
                PodResources.missingForQuota(PodResources.defaulted(spec, List.of()), Set.of("requests.cpu", "pods")));
        assertEquals(Map.of("limits.memory", List.of("app", "log")),
                PodResources.missingForQuota(PodResources.defaulted(spec, List.of()), Set.of("limits.memory")));
        LimitRangeItem defaults = new LimitRangeItemBuilder().withType("Container").addToDefaultRequest("cpu", q("100m")).build();
        assertEquals(Map.of(), PodResources.missingForQuota(PodResources.defaulted(spec, List.of(defaults)), Set.of("cpu")));
    }

    @Test
    void aLimitRangeDefaultCanMakeTheReleaseNotFit() {
        LimitRangeItem defaults = new LimitRangeItemBuilder().withType("Container").addToDefaultRequest("cpu", q("400m")).build();
        Map<String, Quantity> adds = usage(deployment(2, "{}", "[]"), List.of(defaults));
        assertEquals(0, q("900m").compareTo(adds.get("requests.cpu")), "2 × (400m default + 50m): " + adds);
        List<Finding> f = QuotaHeadroom.check("apps", List.of(quota("requests.cpu", "800m", "0")), adds);
        assertEquals("quota.exceeded", f.get(0).code());
        assertTrue(f.get(0).message().contains("used 0 + adds 900m = 900m > hard 800m"), f.get(0).message());
    }

    @Test
    void limitRangeMinimumsMaximumsAndRatiosAreReportedInTheLimitRangersWords() {
        PodSpec spec = spec(deployment(1, "{requests: {cpu: 100m}, limits: {cpu: 1}}", "[]"));
        LimitRangeItem item = new LimitRangeItemBuilder().withType("Container").addToMax("cpu", q("800m"))
                .addToMin("cpu", q("60m")).addToMaxLimitRequestRatio("cpu", q("4")).build();
        List<PodResources.Defaulted> containers = PodResources.defaulted(spec, List.of());
        List<String> found = LimitRangeRules.check(containers, PodResources.effective(spec, containers), List.of(item)).stream()
                .map(v -> v.what() + ": " + v.message()).toList();
        assertEquals(List.of(
                "Container app: maximum cpu usage per Container is 800m, but limit is 1",
                "Container app: cpu max limit to request ratio per Container is 4, but provided ratio is 10",
                "Container log: minimum cpu usage per Container is 60m, but request is 50m",
                "Container log: maximum cpu usage per Container is 800m, but no limit is specified"), found);
    }

    @Test
    void quantitiesAreShownInTheQuotasUnit() {
        assertEquals("1100m", Quantities.show(q("1").add(q("100m")), q("2")));
        assertEquals("3", Quantities.show(q("3000m"), q("2")));
        assertEquals("48Mi", Quantities.show(q("16Mi").multiply(3), q("1Gi")));
        assertEquals("2Gi", Quantities.show(q("2048Mi"), q("1Gi")));
        assertEquals("1500M", Quantities.show(q("1.5G"), q("1G")));
    }
}
