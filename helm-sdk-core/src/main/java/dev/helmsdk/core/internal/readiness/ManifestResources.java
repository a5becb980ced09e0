package dev.helmsdk.core.internal.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.RenderedResource;
import dev.helmsdk.core.internal.ManifestParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

/** The objects a release's manifest declares, with the fabric8 type to read each with. */
final class ManifestResources {

    /**
     * One declared object.
     *
     * @param key  what and where
     * @param type fabric8's model class for the kind, {@link GenericKubernetesResource} when fabric8 has none
     *             (custom resources): those are read through API discovery
     */
    record Declared(ResourceKey key, Class<? extends HasMetadata> type) {
    }

    private static final String BUILT_IN = "io.fabric8.kubernetes.api.model.";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ManifestResources() {
    }

    /**
     * Parses Helm's multi-document manifest; objects without a namespace get {@code releaseNamespace}. Documents that
     * are empty, comments only, or lack a kind or name are skipped; {@code kind: List} documents are expanded;
     * duplicates are kept once, in first-seen order.
     */
    static List<Declared> parse(String releaseNamespace, String manifest, KubernetesSerialization serialization) {
        Map<ResourceKey, Declared> out = new LinkedHashMap<>();
        Map<String, Class<? extends HasMetadata>> types = new HashMap<>();
        if (manifest == null || manifest.isBlank()) {
            return List.of();
        }
        for (RenderedResource doc : new ManifestParser(YAML).parse(manifest).resources()) {
            JsonNode node;
            try {
                node = YAML.readTree(doc.yaml());
            } catch (Exception e) {
                continue;
            }
            add(out, node, releaseNamespace, serialization, types);
        }
        return List.copyOf(out.values());
    }

    private static void add(Map<ResourceKey, Declared> out, JsonNode node, String releaseNamespace,
                            KubernetesSerialization serialization, Map<String, Class<? extends HasMetadata>> types) {
        if (node == null || !node.isObject()) {
            return;
        }
        String apiVersion = node.path("apiVersion").asText("");
        String kind = node.path("kind").asText("");
        if (kind.endsWith("List") && node.path("items").isArray()) {
            for (JsonNode item : node.path("items")) {
                add(out, item, releaseNamespace, serialization, types);
            }
            return;
        }
        JsonNode meta = node.path("metadata");
        String name = meta.path("name").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
            return;
        }
        String ns = meta.path("namespace").asText("");
        ResourceKey key = new ResourceKey(apiVersion, kind, ns.isEmpty() ? releaseNamespace : ns, name);
        out.putIfAbsent(key, new Declared(key, types.computeIfAbsent(apiVersion + "|" + kind,
                k -> type(apiVersion, kind, serialization))));
    }

    /**
     * fabric8's built-in model class for apiVersion and kind, from the serialization's registry; for custom resources
     * (also when the application registered a class for one) {@link GenericKubernetesResource}, so that their
     * conditions are read.
     */
    static Class<? extends HasMetadata> type(String apiVersion, String kind, KubernetesSerialization serialization) {
        String probe = "{\"apiVersion\":" + quote(apiVersion) + ",\"kind\":" + quote(kind) + ",\"metadata\":{\"name\":\"probe\"}}";
        try {
            KubernetesResource r = serialization.unmarshal(probe, KubernetesResource.class);
            if (r instanceof HasMetadata h && h.getClass().getName().startsWith(BUILT_IN)
                    && !(h instanceof GenericKubernetesResource)) {
                return h.getClass();
            }
        } catch (RuntimeException e) {
            // fall through: read it generically
        }
        return GenericKubernetesResource.class;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
