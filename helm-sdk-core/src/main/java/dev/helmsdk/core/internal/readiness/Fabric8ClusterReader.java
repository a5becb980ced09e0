package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link ClusterReader} with a fabric8 client, taken afresh for each request so each is bounded by the operation's deadline. */
final class Fabric8ClusterReader implements ClusterReader {

    private final java.util.function.Supplier<KubernetesClient> clients;

    Fabric8ClusterReader(java.util.function.Supplier<KubernetesClient> clients) {
        this.clients = clients;
    }

    @Override
    public Optional<ResourceDefinitionContext> discover(String apiVersion, String kind) {
        APIResourceList resources;
        try {
            resources = clients.get().getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        if (resources == null || resources.getResources() == null) {
            return Optional.empty();
        }
        for (APIResource r : resources.getResources()) {
            if (kind.equals(r.getKind()) && r.getName() != null && !r.getName().contains("/")) {
                return Optional.of(ResourceDefinitionContext.fromApiResource(apiVersion, r));
            }
        }
        return Optional.empty();
    }

    @Override
    public Map<String, HasMetadata> read(Group group, Collection<String> names) {
        if (group.context() != null) {
            return read(clients.get().genericKubernetesResources(group.context()), group, names);
        }
        return read(clients.get().resources(group.type()), group, names);
    }

    private <T extends HasMetadata, L extends io.fabric8.kubernetes.api.model.KubernetesResourceList<T>> Map<String, HasMetadata> read(
            MixedOperation<T, L, Resource<T>> op, Group group, Collection<String> names) {
        NonNamespaceOperation<T, L, Resource<T>> scoped = group.namespace() == null ? op : op.inNamespace(group.namespace());
        Map<String, HasMetadata> out = new LinkedHashMap<>();
        // Secrets are read one by one: a LIST would bring every Secret of the namespace, Helm's release records included.
        if (names.size() == 1 || group.type() == Secret.class) {
            for (String name : names) {
                T found = scoped.withName(name).get();
                if (found != null) {
                    out.put(name, found);
                }
            }
            return out;
        }
        Set<String> wanted = new HashSet<>(names);
        for (T item : scoped.list().getItems()) {
            String name = item.getMetadata() == null ? null : item.getMetadata().getName();
            if (wanted.contains(name)) {
                out.put(name, item);
            }
        }
        return out;
    }

    @Override
    public List<Pod> pods(String namespace, LabelSelector selector) {
        var op = clients.get().pods().inNamespace(namespace);
        return (selector == null ? op.list() : op.withLabelSelector(selector).list()).getItems();
    }

    @Override
    public List<ReplicaSet> replicaSets(String namespace, LabelSelector selector) {
        var op = clients.get().apps().replicaSets().inNamespace(namespace);
        return (selector == null ? op.list() : op.withLabelSelector(selector).list()).getItems();
    }
}
