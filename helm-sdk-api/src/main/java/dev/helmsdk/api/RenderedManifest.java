package dev.helmsdk.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The objects a chart renders to, in Helm's install order.
 *
 * @param manifest  the full multi-document YAML, as {@code helm template} prints it
 * @param resources the same, one entry per object
 */
public record RenderedManifest(String manifest, List<RenderedResource> resources) {

    /** Copies the resource list. */
    public RenderedManifest {
        Objects.requireNonNull(manifest, "manifest");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
    }

    /** The first resource with this kind and name. */
    public Optional<RenderedResource> find(String kind, String name) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        return resources.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst();
    }

    /** The objects' kinds and names: never the manifest, which may hold resolved secrets. */
    @Override
    public String toString() {
        return "RenderedManifest" + resources;
    }
}
