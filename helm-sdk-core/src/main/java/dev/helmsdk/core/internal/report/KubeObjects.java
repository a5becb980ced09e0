package dev.helmsdk.core.internal.report;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.report.ObjectRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading parsed Kubernetes objects (plain maps, as {@link CheckContext#objects()} holds them) and manifests. */
final class KubeObjects {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private KubeObjects() {
    }

    /** Whether a check that asks the cluster about the change applies: server mode (install, upgrade and rollback alike). */
    static boolean changeOnServer(CheckContext context) {
        return context.server() && (context.operation() == Operation.INSTALL || context.operation() == Operation.UPGRADE
                || context.operation() == Operation.ROLLBACK);
    }

    /** The deployed revision's objects (an upgrade's, a rollback's latest), none for an install. */
    static List<Map<String, Object>> deployed(CheckContext context) {
        return context.deployedManifest().map(KubeObjects::parse).orElse(List.of());
    }

    /** The objects of a multi-document manifest (a deployed revision's), skipping empty documents. */
    static List<Map<String, Object>> parse(String manifest) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (MappingIterator<Object> docs = YAML.readerFor(Object.class).readValues(manifest)) {
            while (docs.hasNext()) {
                if (docs.next() instanceof Map<?, ?> m && m.get("kind") != null) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) m;
                    out.add(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the deployed revision's manifest does not parse: " + e.getMessage(), e);
        }
        return out;
    }

    /** The object's identity; a namespaced object without a namespace is in {@code defaultNamespace}. */
    static ObjectRef ref(Map<String, Object> object, String namespace) {
        Map<String, Object> meta = map(object, "metadata");
        return new ObjectRef(string(object, "apiVersion"), string(object, "kind"), namespace, string(meta, "name"));
    }

    /** The namespace the object goes to: its own, or the release's ({@code cluster-scoped objects are told apart by discovery}). */
    static String namespaceOf(Map<String, Object> object, String releaseNamespace) {
        String ns = string(map(object, "metadata"), "namespace");
        return ns.isEmpty() ? releaseNamespace : ns;
    }

    /** Whether the object is a hook Helm runs only for {@code helm test} (never created by an install or upgrade). */
    static boolean testHook(Map<String, Object> object) {
        String hook = string(map(map(object, "metadata"), "annotations"), "helm.sh/hook");
        return hook.contains("test");
    }

    /** Whether the object is a hook (created and deleted by Helm around the change, never part of the manifest). */
    static boolean hook(Map<String, Object> object) {
        return !string(map(map(object, "metadata"), "annotations"), "helm.sh/hook").isEmpty();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        return m != null && m.get(key) instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of();
    }

    static String string(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? "" : String.valueOf(v);
    }
}
