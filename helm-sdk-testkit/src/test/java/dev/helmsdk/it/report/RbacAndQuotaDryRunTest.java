package dev.helmsdk.it.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.DryRunMode;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.RenderedResource;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.api.report.Verdict;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.internal.report.CheckContext;
import dev.helmsdk.core.internal.report.QuotaCheck;
import dev.helmsdk.core.internal.report.RbacCheck;
import dev.helmsdk.core.internal.report.ReportBuilder;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.KubernetesControlPlane;
import dev.helmsdk.testkit.junit.KubernetesControlPlaneTest;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dry run's RBAC and quota checks on a real API server (RBAC authorizer, ResourceQuota and LimitRanger admission,
 * the quota controller): what they report is what the real install then runs into.
 */
@KubernetesControlPlaneTest
class RbacAndQuotaDryRunTest {

    private static List<Finding> codes(DryRunResult r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).toList();
    }

    private static void namespace(KubernetesClient kube, String name) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static void quota(KubernetesClient kube, String ns, String resource, String hard) {
        kube.resourceQuotas().inNamespace(ns).resource(new ResourceQuotaBuilder().withNewMetadata().withName("compute").endMetadata()
                .withNewSpec().addToHard(resource, new Quantity(hard)).endSpec().build()).create();
        await(() -> {
            var q = kube.resourceQuotas().inNamespace(ns).withName("compute").get();
            return q.getStatus() != null && q.getStatus().getUsed() != null && !q.getStatus().getUsed().isEmpty();
        }, "the quota controller computed the quota's usage");
    }

    /** Waits up to 30 s for {@code condition}; shared by the quota tests of this package. */
    static void await(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting until " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    @Test
    void aUserWithSomeRightsSeesWhatIsDeniedAndTheAdminNothing(KubernetesControlPlane cp, KubernetesClient kube, HelmManager helm) {
        String ns = "rbac-some";
        namespace(kube, ns);
        // Enough for Helm's own server dry run and the release records; podinfo's Service may be created, its Deployment not.
        kube.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("helm-some").endMetadata()
                .addNewRule().withApiGroups("", "apps").withResources("*").withVerbs("get", "list", "watch").endRule()
                .addNewRule().withApiGroups("").withResources("secrets").withVerbs("*").endRule()
                .addNewRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endRule()
                .addNewRule().withApiGroups("").withResources("services").withVerbs("create", "patch").endRule()
                .build()).create();
        kube.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName("helm-some").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("helm-some").endRoleRef()
                .addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io").withName("restricted").endSubject()
                .build()).create();
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        try (HelmManager restricted = HelmSdk.builder().kubeConfig(cp.restrictedKubeConfigPath()).build()) {
            DryRunResult plan = restricted.install("web").inNamespace(ns).chart(podinfo).waitReady().dryRun();
            List<String> denied = codes(plan, "rbac.denied").stream().map(Finding::message).toList();
            assertEquals(Verdict.FAIL, plan.verdict(), plan.findings().toString());
            assertTrue(denied.stream().anyMatch(m -> m.startsWith("not allowed to create deployments.apps in namespace rbac-some")),
                    denied.toString());
            assertTrue(denied.stream().anyMatch(m -> m.startsWith("not allowed to patch deployments.apps in namespace rbac-some")),
                    denied.toString());
            assertTrue(denied.stream().noneMatch(m -> m.contains(" services ") || m.contains(" secrets ") || m.contains("leases")
                    || m.contains(" pods ")), "granted: " + denied);
            assertEquals(2, denied.size(), "create and patch of the Deployment only: " + denied);
            Finding create = codes(plan, "rbac.denied").stream().filter(f -> f.message().contains("create deployments")).findFirst()
                    .orElseThrow();
            assertTrue(create.hint().orElseThrow().contains("resources: [\"deployments\"], verbs: [\"create\"]"), create.hint().toString());
        }
        DryRunResult admin = helm.install("web").inNamespace(ns).chart(podinfo).dryRun();
        assertEquals(List.of(), codes(admin, "rbac.denied"), "the admin may do everything");
    }

    @Test
    void podsThatDoNotFitTheQuotaAreReportedBeforeTheControllerIsRefused(KubernetesClient kube, HelmManager helm) {
        String ns = "quota-cpu";
        namespace(kube, ns);
        quota(kube, ns, "requests.cpu", "500m");
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        DryRunResult plan = helm.install("web").inNamespace(ns).chart(podinfo).set("replicaCount", 3)
                .set("resources.requests.cpu", "200m").dryRun();
        List<Finding> exceeded = codes(plan, "quota.exceeded");
        assertEquals(1, exceeded.size(), plan.findings().toString());
        assertTrue(exceeded.get(0).message().contains("ResourceQuota compute in namespace quota-cpu would be exceeded: "
                + "requests.cpu: used 0 + adds 600m = 600m > hard 500m"), exceeded.get(0).message());
        // What the check predicts: the install itself succeeds, and the ReplicaSet is refused its third pod.
        helm.install("web").inNamespace(ns).chart(podinfo).set("replicaCount", 3).set("resources.requests.cpu", "200m").run();
        await(() -> kube.apps().replicaSets().inNamespace(ns).list().getItems().stream().anyMatch(rs -> rs.getStatus() != null
                && rs.getStatus().getConditions() != null && rs.getStatus().getConditions().stream()
                .anyMatch(c -> "ReplicaFailure".equals(c.getType()) && c.getMessage() != null && c.getMessage().contains("exceeded quota"))),
                "the ReplicaSet reports the quota refusing a pod");
        assertEquals(2, kube.pods().inNamespace(ns).list().getItems().size(), "two pods of 200m fit in 500m");
        // An upgrade is judged by what it adds to the deployed revision: the same values add no cpu, one more replica does.
        assertEquals(List.of(), codes(helm.upgrade("web").inNamespace(ns).chart(podinfo).set("replicaCount", 3)
                .set("resources.requests.cpu", "200m").dryRun(), "quota.exceeded"), "the same release adds nothing");
        List<Finding> more = codes(helm.upgrade("web").inNamespace(ns).chart(podinfo).set("replicaCount", 4)
                .set("resources.requests.cpu", "200m").dryRun(), "quota.exceeded");
        assertEquals(1, more.size(), more.toString());
        assertTrue(more.get(0).message().contains("requests.cpu: used 400m + adds 200m = 600m > hard 500m"), more.get(0).message());
    }

    @Test
    void aLimitRangeDefaultMakesTheReleaseNotFitAndWithoutOneTheQuotaRequiresRequests(KubernetesClient kube, HelmManager helm) {
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        String bare = "quota-bare";
        namespace(kube, bare);
        quota(kube, bare, "requests.cpu", "500m");
        DryRunResult refused = helm.install("web").inNamespace(bare).chart(podinfo).set("resources.requests", null).dryRun();
        List<Finding> required = codes(refused, "quota.requests_required");
        assertEquals(1, required.size(), refused.findings().toString());
        assertTrue(required.get(0).message().contains("limits requests.cpu") && required.get(0).message().contains("podinfo"),
                required.get(0).message());

        String ns = "quota-defaults";
        namespace(kube, ns);
        kube.limitRanges().inNamespace(ns).resource(new LimitRangeBuilder().withNewMetadata().withName("defaults").endMetadata()
                .withNewSpec().addNewLimit().withType("Container").addToDefaultRequest("cpu", new Quantity("300m"))
                .addToDefault("cpu", new Quantity("300m")).endLimit().endSpec().build()).create();
        quota(kube, ns, "requests.cpu", "500m");
        DryRunResult plan = helm.install("web").inNamespace(ns).chart(podinfo).set("replicaCount", 2).set("resources.requests", null).dryRun();
        assertEquals(List.of(), codes(plan, "quota.requests_required"), "the LimitRange gives the request");
        List<Finding> exceeded = codes(plan, "quota.exceeded");
        assertEquals(1, exceeded.size(), plan.findings().toString());
        assertTrue(exceeded.get(0).message().contains("requests.cpu: used 0 + adds 600m = 600m > hard 500m"), exceeded.get(0).message());
    }

    /** The two checks' own cost on podinfo, apart from Helm's render and dry run: prints the median of 7 runs. */
    @Test
    void theChecksTakeWellUnderASecondOnPodinfo(KubernetesClient kube, HelmManager helm) throws Exception {
        String ns = "quota-timing";
        namespace(kube, ns);
        quota(kube, ns, "requests.cpu", "10");
        RenderedManifest rendered = helm.template("web").inNamespace(ns).chart(ChartRef.local(TestCharts.podinfo())).run();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Map<String, Object>> objects = new ArrayList<>();
        for (RenderedResource r : rendered.resources()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> o = yaml.readValue(r.yaml(), Map.class);
            objects.add(o);
        }
        CheckContext context = new CheckContext(Operation.INSTALL, DryRunMode.SERVER, "web", ns, "podinfo", "6", Optional.empty(),
                rendered, objects, Map.of(), Optional.empty(), Optional.of(kube), s -> s, false, true, Optional.empty());
        List<Long> millis = new ArrayList<>();
        List<Long> rbac = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ReportBuilder report = new ReportBuilder();
            long start = System.nanoTime();
            new RbacCheck(() -> true).check(context, report);
            long mid = System.nanoTime();
            new QuotaCheck().check(context, report);
            millis.add((System.nanoTime() - start) / 1_000_000);
            rbac.add((mid - start) / 1_000_000);
            assertEquals(List.of(), report.findings(), "the admin may, and 10 cpus fit");
        }
        long median = millis.stream().sorted().toList().get(3);
        System.out.println("rbac+quota checks on podinfo: median " + median + " ms (rbac " + rbac.stream().sorted().toList().get(3)
                + " ms), runs " + millis);
        assertTrue(median < 500, "median " + median + " ms of " + millis);
    }
}
