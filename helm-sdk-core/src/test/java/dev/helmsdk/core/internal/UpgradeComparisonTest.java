package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.UpgradeCheck;
import dev.helmsdk.api.UpgradeCheck.Difference;
import dev.helmsdk.api.spi.DeploySpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison alone: what counts as a difference, on records and renderings built here. */
class UpgradeComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ManifestParser PARSER = new ManifestParser(YAML);
    private final UpgradeComparison comparison = new UpgradeComparison(JSON, YAML, PARSER);

    private static final String STORED = """
            ---
            # Source: web/templates/a.yaml
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: a
            data:
              k: "1"
            ---
            # Source: web/templates/b.yaml
            apiVersion: v1
            kind: Service
            metadata:
              name: b
            spec:
              ports: [{port: 80}]
            """;

    private static final Map<String, String> CHART = Map.of("name", "web", "version", "1.0.0");
    private static final DeploySpec SPEC = DeploySpec.of("web", "apps", Timeouts.ofDefaults());

    private static ReleaseStore.UpgradeBase base(ReleaseStatus latest, Map<String, Object> config, String template) throws Exception {
        ObjectNode r = JSON.createObjectNode();
        r.put("name", "web").put("namespace", "apps").put("version", 3).put("manifest", STORED);
        r.putObject("info").put("status", "deployed");
        ObjectNode chart = r.putObject("chart");
        chart.putObject("metadata").put("name", "web").put("version", "1.0.0");
        chart.putArray("templates").addObject().put("name", "templates/a.yaml")
                .put("data", Base64.getEncoder().encodeToString(template.getBytes(StandardCharsets.UTF_8)));
        r.set("config", JSON.valueToTree(config));
        byte[] helm = Base64.getEncoder().encode(JSON.writeValueAsBytes(r));
        return new ReleaseStore.UpgradeBase(latest, StoredRelease.decodeSecretData(Base64.getEncoder().encodeToString(helm), JSON));
    }

    private UpgradeCheck compare(ReleaseStore.UpgradeBase base, Map<String, String> chart, Map<String, Object> values, String rendered) {
        return comparison.compare(base, chart, values, PARSER.parse(rendered));
    }

    @Test
    void commentsLayoutKeyAndDocumentOrderHooksAndCrdsDoNotCount() throws Exception {
        String rendered = """
                ---
                # Source: web/crds/crd.yaml
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.example.com}
                ---
                # Source: web/templates/b.yaml
                kind: Service
                apiVersion: v1
                spec:
                  ports:
                    - port: 80   # a comment
                metadata: {name: b}
                ---
                # Source: web/templates/hook.yaml
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  annotations: {"helm.sh/hook": pre-upgrade}
                ---
                # Source: web/templates/a.yaml
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: a
                data: {k: '1'}
                """;
        UpgradeCheck same = compare(base(ReleaseStatus.DEPLOYED, Map.of("replicas", 2), "{{ .Values.x }}"), CHART,
                Map.of("replicas", 2.0), rendered);
        assertEquals(Set.of(), same.differences(), "2 and 2.0 are one value to Helm: " + same);
        assertEquals(List.of(), same.caveats());
        assertEquals(3, same.current().revision());
    }

    @Test
    void eachDifferenceIsNamed() throws Exception {
        String changed = STORED.replace("k: \"1\"", "k: \"2\"");
        UpgradeCheck all = compare(base(ReleaseStatus.FAILED, Map.of("a", 1), ""), Map.of("name", "other", "version", "1.0.1"),
                Map.of("a", 2), changed);
        assertEquals(Set.of(Difference.NOT_DEPLOYED, Difference.CHART_NAME, Difference.CHART_VERSION, Difference.VALUES,
                Difference.MANIFEST), all.differences());
        assertTrue(all.needed());
        // The number "1" (a string in the manifest) is not the number 1.
        assertEquals(Set.of(Difference.MANIFEST), compare(base(ReleaseStatus.DEPLOYED, Map.of(), ""), CHART, Map.of(),
                STORED.replace("k: \"1\"", "k: 1")).differences());
    }

    @Test
    void valuesToRecordFollowHelmsUpgradeRules() {
        Map<String, Object> config = Map.of("a", Map.of("x", 1, "y", 2));
        assertEquals(config, UpgradeComparison.valuesToRecord(SPEC, Map.of(), config), "none given: the release's are copied");
        assertEquals(Map.of("b", 1), UpgradeComparison.valuesToRecord(SPEC, Map.of("b", 1), config), "given: only those");
        assertEquals(Map.of(), UpgradeComparison.valuesToRecord(SPEC.toBuilder().upgrade(SPEC.upgrade().withResetValues(true)).build(), Map.of(), config));
        assertEquals(Map.of("a", Map.of("x", 1, "y", 3)), UpgradeComparison.valuesToRecord(SPEC.toBuilder().upgrade(SPEC.upgrade().withReuseValues(true)).build(),
                Map.of("a", Map.of("y", 3)), config), "reuse: the given ones merged over the release's");
    }

    @Test
    void templatesALocalRenderingCannotReproduceAreNamed() throws Exception {
        UpgradeCheck check = compare(base(ReleaseStatus.DEPLOYED, Map.of(), "rev: {{ .Release.Revision }}\n{{ lookup \"v1\" \"Secret\" \"\" \"\" }}"),
                CHART, Map.of(), STORED);
        assertEquals(2, check.caveats().size(), check.caveats().toString());
        assertTrue(check.caveats().get(0).contains(".Release.Revision"));
        assertTrue(check.caveats().get(1).contains("lookup"));
    }
}
