package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.RenderedResource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Splits Helm's multi-document manifest into resources, keeping each document's {@code # Source:}. */
public final class ManifestParser {

    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final String SOURCE = "# Source: ";

    private final ObjectMapper yaml;

    public ManifestParser(ObjectMapper yaml) {
        this.yaml = yaml;
    }

    /** Parses a manifest; documents that are empty or not YAML objects are kept only in the text. */
    public RenderedManifest parse(String manifest) {
        List<RenderedResource> out = new ArrayList<>();
        for (String doc : SEPARATOR.split(manifest)) {
            String text = doc.strip();
            if (text.isEmpty()) {
                continue;
            }
            String source = "";
            for (String line : text.split("\n", 3)) {
                if (line.startsWith(SOURCE)) {
                    source = line.substring(SOURCE.length()).trim();
                    break;
                }
            }
            JsonNode node;
            try {
                node = yaml.readTree(text);
            } catch (Exception e) {
                continue;
            }
            if (node == null || !node.isObject()) {
                continue;
            }
            JsonNode meta = node.path("metadata");
            out.add(new RenderedResource(node.path("apiVersion").asText(""), node.path("kind").asText(""),
                    meta.path("name").asText(""), meta.path("namespace").isMissingNode() ? null : meta.path("namespace").asText(),
                    source, text + "\n"));
        }
        return new RenderedManifest(manifest, out);
    }
}
