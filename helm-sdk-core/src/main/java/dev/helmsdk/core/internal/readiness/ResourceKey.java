package dev.helmsdk.core.internal.readiness;

import java.util.Locale;
import java.util.Objects;

/**
 * One object of a release's manifest.
 *
 * @param apiVersion as in the manifest, e.g. {@code apps/v1}
 * @param kind       e.g. {@code Deployment}
 * @param namespace  the object's namespace, or the release's when the manifest gives none (kept for cluster-scoped
 *                   objects too, where it is ignored when reading)
 * @param name       {@code metadata.name}
 */
public record ResourceKey(String apiVersion, String kind, String namespace, String name) {

    public ResourceKey {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** The API group, {@code ""} for the core group. */
    public String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** How the resource is named in progress and messages, as kubectl does: {@code deployment/web}. */
    public String id() {
        return kind.toLowerCase(Locale.ROOT) + "/" + name;
    }

    @Override
    public String toString() {
        return id();
    }
}
