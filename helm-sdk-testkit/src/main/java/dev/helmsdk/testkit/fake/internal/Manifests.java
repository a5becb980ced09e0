package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.RenderedResource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A rendered manifest split into its objects, and compared as objects (layout, comments and order do not count). */
public final class Manifests {

    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: (.+)$");

    private Manifests() {
    }

    /** {@code manifest} as its objects; an empty manifest has none. */
    public static RenderedManifest parse(String manifest) {
        List<RenderedResource> out = new ArrayList<>();
        for (String doc : SEPARATOR.split(manifest)) {
            Object tree = load(doc);
            if (!(tree instanceof Map<?, ?> m)) {
                continue;
            }
            Matcher source = SOURCE.matcher(doc);
            Map<?, ?> meta = m.get("metadata") instanceof Map<?, ?> x ? x : Map.of();
            out.add(new RenderedResource(text(m.get("apiVersion")), text(m.get("kind")), text(meta.get("name")),
                    meta.get("namespace") == null ? null : meta.get("namespace").toString(), source.find() ? source.group(1).trim() : "",
                    doc.strip() + "\n"));
        }
        return new RenderedManifest(manifest, out);
    }

    /** The objects of {@code manifest} in a canonical, sorted form, hooks and CRDs left out as Helm stores them. */
    public static List<Object> objects(String manifest) {
        List<String> out = new ArrayList<>();
        for (RenderedResource r : parse(manifest).resources()) {
            Object tree = load(r.yaml());
            boolean hook = tree instanceof Map<?, ?> m && m.get("metadata") instanceof Map<?, ?> meta
                    && meta.get("annotations") instanceof Map<?, ?> a && a.containsKey("helm.sh/hook");
            if (!hook && !r.source().contains("/crds/")) {
                out.add(ValueMaps.canonical(tree).toString());
            }
        }
        out.sort(null);
        return List.copyOf(out);
    }

    private static Object load(String doc) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(doc);
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
