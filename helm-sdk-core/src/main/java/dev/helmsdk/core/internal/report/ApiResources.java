package dev.helmsdk.core.internal.report;

import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Kinds mapped to the API server's resources, from its discovery: one request per API group version, asked in
 * parallel, held for one check run. A kind the server does not know yet (a custom resource whose CRD the release
 * itself installs) gets the conventional lower-case plural and is taken as namespaced.
 */
final class ApiResources {

    /**
     * A resource as RBAC and quota name it.
     *
     * @param group      the API group; empty for the core group
     * @param resource   the plural, {@code deployments}
     * @param namespaced whether its objects live in a namespace
     */
    record Resource(String group, String resource, boolean namespaced) {

        Resource {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(resource, "resource");
        }

        /** {@code deployments.apps}, or {@code secrets} in the core group: how quota's {@code count/} names it. */
        String qualified() {
            return group.isEmpty() ? resource : resource + "." + group;
        }
    }

    private final Map<String, Map<String, Resource>> byVersion;

    private ApiResources(Map<String, Map<String, Resource>> byVersion) {
        this.byVersion = byVersion;
    }

    /** Asks the server about the API group versions of the rendered and the deployed objects (in parallel). */
    static ApiResources discover(KubernetesClient client, List<Map<String, Object>> rendered, List<Map<String, Object>> deployed) {
        return discover(client, java.util.stream.Stream.concat(rendered.stream(), deployed.stream())
                .map(o -> KubeObjects.string(o, "apiVersion")).toList());
    }

    /** Asks the server about every API group version of {@code apiVersions} (in parallel). */
    static ApiResources discover(KubernetesClient client, List<String> apiVersions) {
        List<String> versions = apiVersions.stream().filter(v -> !v.isEmpty()).distinct().sorted().toList();
        List<Map<String, Resource>> found = Parallel.map(versions, v -> kinds(client, v));
        Map<String, Map<String, Resource>> byVersion = new HashMap<>();
        for (int i = 0; i < versions.size(); i++) {
            byVersion.put(versions.get(i), found.get(i));
        }
        return new ApiResources(byVersion);
    }

    /** Known kinds only, for tests and for what needs no server: {@code apiVersion -> kind -> resource}. */
    static ApiResources of(Map<String, Map<String, Resource>> byVersion) {
        return new ApiResources(Map.copyOf(byVersion));
    }

    /** The resource of {@code kind} in {@code apiVersion}. */
    Resource resource(String apiVersion, String kind) {
        Resource known = byVersion.getOrDefault(apiVersion, Map.of()).get(kind);
        if (known != null) {
            return known;
        }
        return new Resource(group(apiVersion), Pluralize.toPlural(kind.toLowerCase(Locale.ROOT)), true);
    }

    /** {@code apps} of {@code apps/v1}; empty for the core {@code v1}. */
    static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static Map<String, Resource> kinds(KubernetesClient client, String apiVersion) {
        APIResourceList list;
        try {
            list = client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Map.of();   // a group the cluster does not serve (yet)
            }
            throw e;
        }
        Map<String, Resource> out = new HashMap<>();
        if (list != null && list.getResources() != null) {
            for (APIResource r : list.getResources()) {
                if (r.getName() != null && !r.getName().contains("/")) {
                    out.put(r.getKind(), new Resource(group(apiVersion), r.getName(), Boolean.TRUE.equals(r.getNamespaced())));
                }
            }
        }
        return out;
    }
}
