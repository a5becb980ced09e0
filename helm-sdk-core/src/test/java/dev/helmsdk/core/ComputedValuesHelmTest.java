package dev.helmsdk.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.helmsdk.api.Values;
import dev.helmsdk.core.internal.HelmCall;
import dev.helmsdk.core.internal.ValuesMerger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Differential: the values {@link ComputedValues} computes equal what Helm itself computes ({@code .Values} as the
 * templates see it, echoed by {@code toJson}) for the same chart (a subchart, globals, anchors), the same files in the
 * same order and the same assignments: null deletions, list replacement, globals pushed into the subchart.
 */
@Tag("integration")
class ComputedValuesHelmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path tmp;
    private static Path chart;
    private static Path env;

    /** One row: extra files after the environment's, assignments as {@code --set} text and as typed values. */
    record Case(String name, String environment, List<String> extraFiles, Map<String, String> helmSets, Map<String, Object> sdkSets) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void charts() throws Exception {
        chart = EnvironmentCharts.chart(tmp);
        env = EnvironmentCharts.environments(tmp);
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no values: the chart's defaults", null, List.of(), Map.of(), Map.of()),
                new Case("dev over base", "dev", List.of(), Map.of(), Map.of()),
                new Case("prod over base: nulls, lists, globals, subchart", "prod", List.of(), Map.of(), Map.of()),
                new Case("prod then a file nulling a map and restoring a key", "prod",
                        List.of("nested: null\nsub: {subMap: null}\ndrop: back\nglobal: {shared: null}\n"), Map.of(), Map.of()),
                new Case("prod then assignments, one into a list", "prod", List.of(),
                        Map.of("image.tag", "3.0", "list[2]", "z", "sub.override", "set", "global.shared.d", "4"),
                        Map.of("image.tag", "3.0", "list[2]", "z", "sub.override", "set", "global.shared.d", 4)),
                new Case("a null assignment deletes a default", "dev", List.of(), Map.of("sub.subKey", "null", "replicas", "null"),
                        mapWithNulls("sub.subKey", "replicas")));
    }

    private static Map<String, Object> mapWithNulls(String... keys) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, null);
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theComputedValuesAreHelms(Case c) throws Exception {
        Values values = c.environment() == null ? Values.empty() : Values.environment(env, c.environment());
        TemplateCommand t = Helm.template(chart.toString()).withName("env").withKubeVersion(HelmCall.DEFAULT_KUBE_VERSION);
        for (Values.Layer l : values.layers()) {
            t.withValuesFile(((Values.FromFile) l).path());
        }
        int i = 0;
        for (String extra : c.extraFiles()) {
            Path f = Files.writeString(tmp.resolve("extra-" + Integer.toHexString(c.name().hashCode()) + "-" + i++ + ".yaml"), extra);
            t.withValuesFile(f);
            values = values.file(f);
        }
        c.helmSets().forEach(t::set);
        for (Map.Entry<String, Object> s : c.sdkSets().entrySet()) {
            values = values.set(s.getKey(), s.getValue());
        }
        Object helms = ValuesMerger.canonical(echoed(t.call()));
        Object ours = ValuesMerger.canonical(ComputedValues.of(chart, values).values());
        assertEquals(helms, ours, "Helm's .Values vs ComputedValues");
    }

    /** Values given to the chart {@code shop} ({@link dev.helmsdk.core.internal.report.SubchartSchemaCharts}), as a file. */
    static Stream<String> subchartValues() {
        return Stream.of(
                "{}\n",
                "queue: {enabled: true, port: 7000}\n",
                "tags: {database: false}\n",
                "tags: {database: false}\ndb: {replicas: 3}\n",
                "db: {metrics: {enabled: false}, replicas: 2}\n",
                "cache: {port: 1}\nredis: {port: 2}\nglobal: {region: us}\n",
                "queue: {enabled: \"yes\"}\n",
                "queue: null\n",
                "global: {region: null}\nqueue: {enabled: true}\n");
    }

    /**
     * Aliases, conditions and tags as Helm applies them: a subchart under each alias, a disabled one's values left as
     * the parent's values have them (its defaults not added), a condition that holds no bool falling back to the tags.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("subchartValues")
    void subchartsAreTheOnesHelmKeepsUnderTheirAliases(String given) throws Exception {
        Path shop = tmp.resolve("shop");
        if (!Files.exists(shop)) {
            dev.helmsdk.core.internal.report.SubchartSchemaCharts.shop(tmp);
            Files.writeString(shop.resolve("templates/cm.yaml"), Files.readString(chart.resolve("templates/values.yaml")));
        }
        Path f = Files.writeString(tmp.resolve("shop-" + Integer.toHexString(given.hashCode()) + ".yaml"), given);
        TemplateCommand t = Helm.template(shop.toString()).withName("shop").withKubeVersion(HelmCall.DEFAULT_KUBE_VERSION).withValuesFile(f);
        Object helms = ValuesMerger.canonical(echoed(t.call()));
        Object ours = ValuesMerger.canonical(ComputedValues.of(shop, Values.empty().file(f)).values());
        assertEquals(helms, ours, "Helm's .Values vs ComputedValues, given " + given);
        Path archive = TestArchives.pack(shop, tmp.resolve("shop-1.0.0.tgz"));
        assertEquals(helms, ValuesMerger.canonical(ComputedValues.of(archive, Values.empty().file(f)).values()), "the same chart packed");
    }

    private static Map<?, ?> echoed(String manifest) throws Exception {
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(manifest).readAll()) {
            if (doc != null && "ConfigMap".equals(doc.path("kind").asText())) {
                String json = new String(Base64.getDecoder().decode(doc.path("data").path("values").asText()), StandardCharsets.UTF_8);
                return JSON.readValue(json, Map.class);
            }
        }
        throw new AssertionError("no ConfigMap in\n" + manifest);
    }
}
