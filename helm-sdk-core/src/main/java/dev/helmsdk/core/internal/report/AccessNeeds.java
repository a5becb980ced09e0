package dev.helmsdk.core.internal.report;

import dev.helmsdk.api.Operation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every permission an install or upgrade needs, as Helm 3 and this SDK use the API: for each rendered object
 * {@code get} (Helm reads it for the ownership check and the three-way merge), {@code create} and {@code patch}; for
 * an upgrade {@code delete} of what the deployed revision has and the new one does not; hooks are created and deleted
 * around the change; the release records (Secrets in the release's namespace, Helm's storage driver), the release's
 * Lease when cluster locks are on, the namespace when the request creates it, and the readiness wait's reads.
 */
final class AccessNeeds {

    /**
     * One permission.
     *
     * @param verb        {@code get}, {@code create}, ...
     * @param group       the API group; empty for the core group
     * @param resource    the plural
     * @param subresource empty unless one is needed
     * @param namespace   where; empty for cluster-scoped resources
     * @param why         what needs it, for the finding
     */
    record Need(String verb, String group, String resource, String subresource, String namespace, String why) {

        Need {
            Objects.requireNonNull(verb, "verb");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(subresource, "subresource");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(why, "why");
        }

        /** {@code deployments.apps} (with {@code /status} for a subresource), as {@code kubectl auth can-i} names it. */
        String resourceName() {
            return resource + (group.isEmpty() ? "" : "." + group) + (subresource.isEmpty() ? "" : "/" + subresource);
        }

        /** What identifies the permission itself; {@link #why} is not part of it. */
        String key() {
            return verb + " " + resourceName() + " " + namespace;
        }
    }

    /**
     * What the request asks of the operation.
     *
     * @param operation       install or upgrade (a dry run previews one of them)
     * @param namespace       the release's namespace
     * @param createNamespace it creates the namespace when missing
     * @param clusterLocks    it takes the release's Lease
     * @param waits           it waits for readiness
     */
    record Request(Operation operation, String namespace, boolean createNamespace, boolean clusterLocks, boolean waits) {
    }

    private AccessNeeds() {
    }

    /**
     * The permissions, deduplicated (the first reason kept), ordered by namespace, resource and verb.
     *
     * @param rendered what the change would apply
     * @param deployed the deployed revision's objects (empty for an install)
     */
    static List<Need> of(Request request, List<Map<String, Object>> rendered, List<Map<String, Object>> deployed,
                         ApiResources resources) {
        List<Need> out = new ArrayList<>();
        Set<String> renderedIds = new HashSet<>();
        for (Map<String, Object> o : rendered) {
            if (KubeObjects.testHook(o)) {
                continue;   // run by `helm test` only
            }
            Target t = target(o, request.namespace(), resources);
            renderedIds.add(t.id());
            boolean hook = KubeObjects.hook(o);
            List<String> verbs = hook ? List.of("get", "create", "delete") : List.of("get", "create", "patch");
            for (String verb : verbs) {
                out.add(t.need(verb, (hook ? "the hook " : "") + t.id()));
            }
        }
        for (Map<String, Object> o : deployed) {
            Target t = target(o, request.namespace(), resources);
            if (!renderedIds.contains(t.id()) && !KubeObjects.hook(o)) {
                out.add(t.need("delete", t.id() + ", no longer rendered"));
            }
        }
        String ns = request.namespace();
        for (String verb : List.of("get", "list", "create", "update", "delete")) {
            out.add(new Need(verb, "", "secrets", "", ns, "the release records (Helm's Secret storage)"));
        }
        if (request.clusterLocks()) {
            for (String verb : List.of("get", "create", "update", "delete")) {
                out.add(new Need(verb, "coordination.k8s.io", "leases", "", ns, "the release's lock (cluster locks are on)"));
            }
        }
        if (request.createNamespace()) {
            out.add(new Need("create", "", "namespaces", "", "", "creating the namespace " + ns));
        }
        if (request.waits()) {
            for (String r : List.of("pods", "events")) {
                out.add(new Need("list", "", r, "", ns, "the readiness wait"));
            }
            out.add(new Need("list", "apps", "replicasets", "", ns, "the readiness wait"));
        }
        return dedupe(out);
    }

    private static List<Need> dedupe(List<Need> needs) {
        Set<String> seen = new HashSet<>();
        TreeSet<Need> sorted = new TreeSet<>(Comparator.comparing(Need::namespace).thenComparing(Need::group)
                .thenComparing(Need::resource).thenComparing(Need::subresource).thenComparing(Need::verb));
        for (Need n : needs) {
            if (seen.add(n.key())) {
                sorted.add(n);
            }
        }
        return List.copyOf(sorted);
    }

    /** An object's resource and namespace. */
    private record Target(ApiResources.Resource resource, String namespace, String kind, String name) {

        String id() {
            return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
        }

        Need need(String verb, String why) {
            return new Need(verb, resource.group(), resource.resource(), "", namespace, why);
        }
    }

    private static Target target(Map<String, Object> o, String releaseNamespace, ApiResources resources) {
        ApiResources.Resource r = resources.resource(KubeObjects.string(o, "apiVersion"), KubeObjects.string(o, "kind"));
        String ns = r.namespaced() ? KubeObjects.namespaceOf(o, releaseNamespace) : "";
        return new Target(r, ns, KubeObjects.string(o, "kind"), KubeObjects.string(KubeObjects.map(o, "metadata"), "name"));
    }
}
