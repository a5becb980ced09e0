package dev.helmsdk.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.RenderedManifest;
import dev.helmsdk.api.RenderedResource;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.api.spi.DeploySpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides what an upgrade would change, from what is already at hand: the revision the upgrade
 * starts from (decoded from its record), the values it would record and one local rendering.
 * Pure: no cluster, no Helm; the engine reads and renders, this compares.
 */
final class UpgradeComparison {

    /** Template constructs a local rendering cannot reproduce as an upgrade would, and why. */
    private static final Map<Pattern, String> INEXACT = new LinkedHashMap<>();

    static {
        INEXACT.put(Pattern.compile("\\.Release\\.Revision\\b"),
                "templates read .Release.Revision, rendered here as 1 where an upgrade renders the next revision");
        INEXACT.put(Pattern.compile("\\.Release\\.Is(Upgrade|Install)\\b"),
                "templates read .Release.IsUpgrade or .Release.IsInstall, rendered here as an install");
        INEXACT.put(Pattern.compile("\\.Capabilities\\b"),
                "templates read .Capabilities, rendered here for the assumed Kubernetes version, not the cluster's");
        INEXACT.put(Pattern.compile("\\blookup\\b"),
                "templates call lookup, which finds nothing when rendering locally");
        INEXACT.put(Pattern.compile("\\b(rand(Alpha|AlphaNum|Numeric|Ascii|Bytes|Int)|uuidv4|now|genCA|genPrivateKey|genSelfSignedCert|genSignedCert)\\b"),
                "templates call random or time-based functions, which differ at every rendering");
    }

    private final ObjectMapper json;
    private final ObjectMapper yaml;
    private final ManifestParser manifests;

    UpgradeComparison(ObjectMapper json, ObjectMapper yaml, ManifestParser manifests) {
        this.json = json;
        this.yaml = yaml;
        this.manifests = manifests;
    }

    /** The answer for a release with no revision. */
    static UpgradeCheck notInstalled() {
        return new UpgradeCheck(Set.of(Difference.NOT_INSTALLED), null, List.of());
    }

    /** The user values Helm's upgrade would record ({@link ValuesMerger#valuesToRecord}). */
    static Map<String, Object> valuesToRecord(DeploySpec spec, Map<String, Object> requested, Map<String, Object> config) {
        return ValuesMerger.valuesToRecord(spec.upgrade(), requested, config);
    }

    /** Compares the chart, the values to record and the rendering with the revision the upgrade starts from. */
    UpgradeCheck compare(ReleaseStore.UpgradeBase found, Map<String, String> chart, Map<String, Object> recorded,
                         RenderedManifest rendered) {
        StoredRelease base = found.base();
        Release current = base.toRelease("");
        Set<Difference> differences = EnumSet.noneOf(Difference.class);
        if (found.latestStatus() != ReleaseStatus.DEPLOYED) {
            differences.add(Difference.NOT_DEPLOYED);
        }
        if (!current.chartName().equals(chart.getOrDefault("name", ""))) {
            differences.add(Difference.CHART_NAME);
        }
        if (!current.chartVersion().equals(chart.getOrDefault("version", ""))) {
            differences.add(Difference.CHART_VERSION);
        }
        if (!canonical(recorded).equals(canonical(base.config(json)))) {
            differences.add(Difference.VALUES);
        }
        if (!documents(rendered).equals(documents(manifests.parse(base.manifest())))) {
            differences.add(Difference.MANIFEST);
        }
        return new UpgradeCheck(differences, current, caveats(base.chart()));
    }

    /** The manifest's objects as sorted canonical JSON: comments, layout, key and document order do not count. */
    private List<String> documents(RenderedManifest manifest) {
        List<String> out = new ArrayList<>();
        for (RenderedResource r : manifest.resources()) {
            if (r.source().contains("/crds/")) {
                continue;   // installed apart from the release, never in its manifest
            }
            JsonNode node;
            try {
                node = yaml.readTree(r.yaml());
            } catch (JsonProcessingException e) {
                out.add(r.yaml());   // unparseable here (the parser read it once): compare its text
                continue;
            }
            if (!node.path("metadata").path("annotations").path("helm.sh/hook").isMissingNode()) {
                continue;   // hooks are stored apart from the manifest
            }
            out.add(write(canonical(json.convertValue(node, Object.class))));
        }
        out.sort(null);
        return out;
    }

    /** Which constructs of the revision's templates the local rendering cannot reproduce. */
    private static List<String> caveats(JsonNode chart) {
        StringBuilder all = new StringBuilder();
        for (JsonNode t : chart.path("templates")) {
            try {
                all.append(new String(Base64.getDecoder().decode(t.path("data").asText("")), StandardCharsets.UTF_8)).append('\n');
            } catch (IllegalArgumentException e) {
                // Not base64: nothing to learn from it.
            }
        }
        List<String> out = new ArrayList<>();
        INEXACT.forEach((pattern, why) -> {
            if (pattern.matcher(all).find()) {
                out.add(why);
            }
        });
        return out;
    }

    private String write(Object canonical) {
        try {
            return json.writeValueAsString(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a parsed manifest document as JSON", e);
        }
    }

    /** Maps with sorted keys, numbers by value ({@link ValuesMerger#canonical}). */
    static Object canonical(Object v) {
        return ValuesMerger.canonical(v);
    }
}
