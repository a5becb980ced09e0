package dev.helmsdk.api.report;

import java.util.Objects;

/**
 * One Kubernetes object, by what identifies it.
 *
 * @param apiVersion {@code apps/v1}, {@code v1}, ...
 * @param kind       {@code Deployment}, ...
 * @param namespace  its namespace; empty for a cluster-scoped object
 * @param name       its name
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

    /** Requires every component. */
    public ObjectRef {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** {@code Kind/name} or {@code Kind/namespace/name}, as findings and diffs name it. */
    public String id() {
        return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
