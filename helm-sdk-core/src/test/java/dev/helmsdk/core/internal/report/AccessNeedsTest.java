package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The permissions an install or upgrade needs, from the objects, the deployed revision and the request. */
class AccessNeedsTest {

    private static final ApiResources RESOURCES = ApiResources.of(Map.of(
            "apps/v1", Map.of("Deployment", new ApiResources.Resource("apps", "deployments", true)),
            "v1", Map.of("ConfigMap", new ApiResources.Resource("", "configmaps", true)),
            "rbac.authorization.k8s.io/v1", Map.of("ClusterRole", new ApiResources.Resource("rbac.authorization.k8s.io", "clusterroles", false))));

    private static final String RENDERED = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: other, namespace: side}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader, namespace: ignored}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-test, annotations: {helm.sh/hook: test}}
            """;

    private static List<String> keys(List<AccessNeeds.Need> needs) {
        return needs.stream().map(AccessNeeds.Need::key).toList();
    }

    @Test
    void anInstallNeedsToReadCreateAndPatchEveryObjectWhereItGoesAndTheReleaseRecords() {
        List<String> keys = keys(AccessNeeds.of(new AccessNeeds.Request(Operation.INSTALL, "apps", false, true, false),
                KubeObjects.parse(RENDERED), List.of(), RESOURCES));
        assertEquals(List.of(
                "create clusterroles.rbac.authorization.k8s.io ", "get clusterroles.rbac.authorization.k8s.io ",
                "patch clusterroles.rbac.authorization.k8s.io ",
                "create secrets apps", "delete secrets apps", "get secrets apps", "list secrets apps", "update secrets apps",
                "create deployments.apps apps", "get deployments.apps apps", "patch deployments.apps apps",
                "create leases.coordination.k8s.io apps", "delete leases.coordination.k8s.io apps",
                "get leases.coordination.k8s.io apps", "update leases.coordination.k8s.io apps",
                "create deployments.apps side", "get deployments.apps side", "patch deployments.apps side"), keys);
        assertFalse(keys.stream().anyMatch(k -> k.contains("pods")), "test hooks run only with helm test, and no wait was asked");
    }

    @Test
    void anUpgradeDeletesWhatIsNoLongerRenderedAndTheRequestAddsItsOwnNeeds() {
        String deployed = RENDERED + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: gone}
                """;
        List<String> keys = keys(AccessNeeds.of(new AccessNeeds.Request(Operation.UPGRADE, "apps", true, false, true),
                KubeObjects.parse(RENDERED), KubeObjects.parse(deployed), RESOURCES));
        assertTrue(keys.contains("delete configmaps apps"), keys.toString());
        assertFalse(keys.contains("delete deployments.apps apps"), "still rendered: " + keys);
        assertTrue(keys.contains("create namespaces "), keys.toString());
        assertTrue(keys.containsAll(List.of("list pods apps", "list events apps", "list replicasets.apps apps")), keys.toString());
        assertFalse(keys.stream().anyMatch(k -> k.contains("leases")), "cluster locks off: " + keys);
        assertEquals(keys.size(), keys.stream().distinct().count(), "deduplicated");
    }

    @Test
    void theHintIsTheRuleToAdd() {
        AccessNeeds.Need n = new AccessNeeds.Need("create", "apps", "deployments", "", "apps", "Deployment/apps/web");
        assertEquals("add the rule {apiGroups: [\"apps\"], resources: [\"deployments\"], verbs: [\"create\"]} to a Role in namespace apps"
                + " bound to this user by a RoleBinding (or a ClusterRole bound there)", RbacCheck.hint(n));
        assertTrue(RbacCheck.hint(new AccessNeeds.Need("create", "", "namespaces", "", "", "x")).contains("ClusterRoleBinding"));
    }
}
