package dev.helmsdk.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One Kubernetes object as rendered from a chart.
 *
 * @param apiVersion the object's apiVersion
 * @param kind       the object's kind
 * @param name       {@code metadata.name}
 * @param namespace  {@code metadata.namespace} as rendered, or {@code null} when the template sets none
 * @param source     the template it came from, e.g. {@code podinfo/templates/deployment.yaml}
 * @param yaml       the object's YAML text
 */
public record RenderedResource(String apiVersion, String kind, String name, String namespace, String source, String yaml) {

    /** Requires the YAML text; other fields may be empty for unusual documents. */
    public RenderedResource {
        Objects.requireNonNull(yaml, "yaml");
        apiVersion = Objects.requireNonNullElse(apiVersion, "");
        kind = Objects.requireNonNullElse(kind, "");
        name = Objects.requireNonNullElse(name, "");
        source = Objects.requireNonNullElse(source, "");
    }

    /** The namespace written in the template, if any. */
    public Optional<String> renderedNamespace() {
        return Optional.ofNullable(namespace);
    }

    /** {@code kind/name}, e.g. {@code Deployment/web}. */
    public String id() {
        return kind + "/" + name;
    }

    /** Kind, name and source: never the YAML, which may hold resolved secrets. */
    @Override
    public String toString() {
        return "RenderedResource[" + apiVersion + " " + kind + " " + namespace + "/" + name + " from " + source + ", " + yaml.length() + " chars]";
    }
}
