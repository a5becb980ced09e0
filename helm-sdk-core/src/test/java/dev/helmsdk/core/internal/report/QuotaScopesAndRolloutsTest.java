package dev.helmsdk.core.internal.report;

import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which pods a scoped quota is charged, a rolling update's surge, and the LimitRanger's claim bounds. */
class QuotaScopesAndRolloutsTest {

    private static final ApiResources RESOURCES = ApiResources.of(Map.of(
            "apps/v1", Map.of("Deployment", new ApiResources.Resource("apps", "deployments", true)),
            "v1", Map.of("Service", new ApiResources.Resource("", "services", true),
                    "PersistentVolumeClaim", new ApiResources.Resource("", "persistentvolumeclaims", true))));

    private static String deployment(int replicas, String image, String podSpecExtra, String resources, String strategy) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: %d
                  strategy: %s
                  template:
                    spec:
                      %s
                      containers:
                        - name: app
                          image: %s
                          resources: %s
                """.formatted(replicas, strategy, podSpecExtra, image, resources);
    }

    private static Workloads.Workload workload(String manifest) {
        return Workloads.of(KubeObjects.parse(manifest).get(0), "apps", 1).orElseThrow();
    }

    private static boolean selects(ResourceQuota q, String manifest) {
        Workloads.Workload w = workload(manifest);
        return QuotaScopes.selects(q, w.spec(), PodResources.defaulted(w.spec(), List.of()));
    }

    private static ResourceQuota scoped(String... scopes) {
        return new ResourceQuotaBuilder().withNewMetadata().withName("q").endMetadata().withNewSpec().withScopes(scopes)
                .addToHard("pods", new Quantity("1")).endSpec().build();
    }

    private static ResourceQuota priority(String operator, String... values) {
        return new ResourceQuotaBuilder().withNewMetadata().withName("q").endMetadata().withNewSpec().withNewScopeSelector()
                .addNewMatchExpression().withScopeName("PriorityClass").withOperator(operator).withValues(values).endMatchExpression()
                .endScopeSelector().addToHard("pods", new Quantity("1")).endSpec().build();
    }

    @Test
    void bestEffortAndTerminatingScopesSelectPodsByTheirQosClassAndDeadline() {
        String requests = deployment(1, "a:1", "", "{requests: {cpu: 100m}}", "{}");
        String none = deployment(1, "a:1", "", "{}", "{}");
        String deadline = deployment(1, "a:1", "activeDeadlineSeconds: 600", "{}", "{}");
        assertFalse(selects(scoped("BestEffort"), requests), "a pod that requests cpu is Burstable, not BestEffort");
        assertTrue(selects(scoped("BestEffort"), none));
        assertTrue(selects(scoped("NotBestEffort"), requests));
        assertTrue(selects(scoped("Terminating"), deadline));
        assertFalse(selects(scoped("Terminating"), none));
        assertTrue(selects(scoped("NotTerminating"), none));
        assertFalse(selects(scoped("BestEffort", "Terminating"), none), "every scope must hold");
        assertTrue(QuotaScopes.modelled(scoped("BestEffort", "NotTerminating")));
        assertFalse(QuotaScopes.modelled(scoped("VolumeAttributesClass")));
    }

    @Test
    void priorityClassScopesMatchTheClassName() {
        String high = deployment(1, "a:1", "priorityClassName: high", "{}", "{}");
        String unnamed = deployment(1, "a:1", "", "{}", "{}");
        assertTrue(selects(priority("In", "high"), high));
        assertFalse(selects(priority("In", "high"), unnamed));
        assertTrue(selects(priority("NotIn", "high"), unnamed));
        assertFalse(selects(priority("NotIn", "high"), high));
        assertTrue(selects(priority("Exists"), high));
        assertFalse(selects(priority("Exists"), unnamed));
        assertFalse(selects(scoped("PriorityClass"), unnamed), "a bare PriorityClass scope is Exists");
    }

    @Test
    void aScopedQuotaIsChargedOnlyThePodsItSelectsAndNoOtherObject() {
        String manifest = deployment(3, "a:1", "", "{requests: {cpu: 100m}}", "{}")
                + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {}\n";
        ResourceQuota bestEffort = scoped("BestEffort");
        ResourceQuota notBestEffort = scoped("NotBestEffort");
        Map<String, Quantity> none = ReleaseUsage.of(KubeObjects.parse(manifest), "apps", RESOURCES, ns -> List.of(), 1,
                (w, c) -> QuotaScopes.selects(bestEffort, w.spec(), c)).getOrDefault("apps", Map.of());
        assertEquals(Map.of(), none, "the Deployment's pods are not BestEffort and the Service is no pod");
        Map<String, Quantity> some = ReleaseUsage.of(KubeObjects.parse(manifest), "apps", RESOURCES, ns -> List.of(), 1,
                (w, c) -> QuotaScopes.selects(notBestEffort, w.spec(), c)).get("apps");
        assertEquals(0, new Quantity("3").compareTo(some.get("pods")), some.toString());
        assertEquals(0, new Quantity("300m").compareTo(some.get("requests.cpu")), some.toString());
        assertFalse(some.containsKey("services") || some.containsKey("count/services"), some.toString());
    }

    @Test
    void maxSurgeIsAnAbsoluteCountOrAPercentageRoundedUp() {
        assertEquals(1, Rollouts.surge("25%", 4));
        assertEquals(1, Rollouts.surge("25%", 3));
        assertEquals(2, Rollouts.surge("50%", 3));
        assertEquals(2, Rollouts.surge(2, 10));
        assertEquals(0, Rollouts.surge("0%", 10));
    }

    @Test
    void theRolloutPeakPutsThePodsWithTheLargerRequestFirst() {
        assertEquals(0, new BigDecimal(5).compareTo(Rollouts.peak(BigDecimal.ONE, BigDecimal.ONE, 4, 4, 1)), "4 + 1 pods");
        // old pods 100m, new 300m, 2 replicas, 1 surge: 2 new (600m) + 1 old (100m)
        assertEquals(0, new BigDecimal("0.7").compareTo(Rollouts.peak(new BigDecimal("0.1"), new BigDecimal("0.3"), 2, 2, 1)));
        // scaling from 1 to 4 with surge 1: at most 1 old pod beside 4 new
        assertEquals(0, new BigDecimal(5).compareTo(Rollouts.peak(BigDecimal.ONE, BigDecimal.ONE, 1, 4, 1)));
    }

    @Test
    void aChangedPodTemplateSurgesAndAnUnchangedOneOrRecreateDoesNot() {
        List<Map<String, Object>> before = KubeObjects.parse(deployment(2, "a:1", "", "{requests: {cpu: 100m}}", "{}"));
        List<Map<String, Object>> after = KubeObjects.parse(deployment(2, "a:2", "", "{requests: {cpu: 100m}}",
                "{rollingUpdate: {maxSurge: 1}}"));
        Rollouts.Surge surge = Rollouts.of(after, before, "apps", ns -> List.of(), null);
        Map<String, Quantity> extra = surge.extra().get("apps");
        assertEquals(0, new Quantity("1").compareTo(extra.get("pods")), extra.toString());
        assertEquals(0, new Quantity("100m").compareTo(extra.get("requests.cpu")), extra.toString());
        assertTrue(surge.why().get("apps").get(0).contains("Deployment web's rolling update runs up to 1 pod"), surge.why().toString());
        assertEquals(Map.of(), Rollouts.of(before, before, "apps", ns -> List.of(), null).extra(), "no template change, no rollout");
        List<Map<String, Object>> recreate = KubeObjects.parse(deployment(2, "a:2", "", "{requests: {cpu: 100m}}", "{type: Recreate}"));
        assertEquals(Map.of(), Rollouts.of(recreate, before, "apps", ns -> List.of(), null).extra());
        assertEquals(Map.of(), Rollouts.of(after, List.of(), "apps", ns -> List.of(), null).extra(), "an install does not roll");
    }

    @Test
    void aSurgeOverTheQuotaIsAnErrorThatSaysItComesFromTheRollout() {
        ResourceQuota pods = new ResourceQuotaBuilder().withNewMetadata().withName("pods").endMetadata().withNewSpec()
                .addToHard("pods", new Quantity("2")).endSpec().withNewStatus().addToHard("pods", new Quantity("2"))
                .addToUsed("pods", new Quantity("2")).endStatus().build();
        var findings = QuotaHeadroom.check("apps", pods, Map.of("pods", new Quantity("1")), Map.of("pods", new Quantity("1")),
                List.of("Deployment web's rolling update runs up to 1 pod beyond its 2 replicas (maxSurge 25%)"));
        assertEquals(1, findings.size(), findings.toString());
        assertEquals("quota.exceeded", findings.get(0).code());
        assertTrue(findings.get(0).message().contains("only during the rollout"), findings.get(0).message());
        assertEquals(List.of(), QuotaHeadroom.check("apps", pods, Map.of(), Map.of(), List.of()), "no surge, nothing added");
    }

    @Test
    void aClaimOutsideAPersistentVolumeClaimLimitRangeIsRefusedInTheLimitRangersWords() {
        var claim = Workloads.claim(KubeObjects.parse("""
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec: {resources: {requests: {storage: 20Gi}}}
                """).get(0));
        var item = new LimitRangeItemBuilder().withType("PersistentVolumeClaim").addToMax("storage", new Quantity("10Gi"))
                .addToMin("storage", new Quantity("1Gi")).build();
        List<LimitRangeRules.Violation> v = LimitRangeRules.claim(claim, List.of(item));
        assertEquals(List.of(new LimitRangeRules.Violation("PersistentVolumeClaim data",
                "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi")), v);
        var container = new LimitRangeItemBuilder().withType("Container").addToMax("storage", new Quantity("1")).build();
        assertEquals(List.of(), LimitRangeRules.claim(claim, List.of(container)), "only items of type PersistentVolumeClaim bound claims");
    }
}
