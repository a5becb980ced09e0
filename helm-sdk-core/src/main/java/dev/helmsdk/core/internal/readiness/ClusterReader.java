package dev.helmsdk.core.internal.readiness;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the waiter reads from the cluster; the seam its loop is tested through. Calls throw fabric8's exceptions. */
interface ClusterReader {

    /**
     * A group of objects read together: one kind in one namespace.
     *
     * @param type      fabric8's model class, {@link io.fabric8.kubernetes.api.model.GenericKubernetesResource} for
     *                  custom kinds
     * @param context   for custom kinds, how to address them (from API discovery); else {@code null}
     * @param namespace the namespace, {@code null} for cluster-scoped kinds
     */
    record Group(Class<? extends HasMetadata> type, ResourceDefinitionContext context, String namespace) {
    }

    /** How to address a custom kind, from API discovery; empty while the API does not serve it. */
    Optional<ResourceDefinitionContext> discover(String apiVersion, String kind);

    /** The named objects of a group that exist, by name: one LIST for several names, a GET for one. */
    Map<String, HasMetadata> read(Group group, Collection<String> names);

    /** Pods of a namespace, optionally only those matching a selector. */
    List<Pod> pods(String namespace, LabelSelector selector);

    /** ReplicaSets of a namespace, optionally only those matching a selector. */
    List<ReplicaSet> replicaSets(String namespace, LabelSelector selector);
}
