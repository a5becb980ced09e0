package dev.helmsdk.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** A chart with a subchart and globals, and an environment directory (base, dev, prod), for the provenance tests. */
final class EnvironmentCharts {

    /** A template echoing {@code .Values} as Helm computed them, read back by {@link #echoed(String)}. */
    static final String ECHO_TEMPLATE = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: values
            data:
              values: {{ toJson .Values | b64enc | quote }}
            """;

    private EnvironmentCharts() {
    }

    /** The {@code .Values} {@link #ECHO_TEMPLATE} echoed into {@code manifest}, Helm's rendering. */
    static Map<?, ?> echoed(String manifest) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (JsonNode doc : yaml.readerFor(JsonNode.class).<JsonNode>readValues(manifest).readAll()) {
            if (doc != null && "ConfigMap".equals(doc.path("kind").asText())) {
                String json = new String(Base64.getDecoder().decode(doc.path("data").path("values").asText()), StandardCharsets.UTF_8);
                return new ObjectMapper().readValue(json, Map.class);
            }
        }
        throw new AssertionError("no ConfigMap in\n" + manifest);
    }

    /** The chart {@code envchart} with subchart {@code sub} under {@code charts/}; its template echoes {@code toJson .Values}. */
    static Path chart(Path dir) throws IOException {
        Path chart = Files.createDirectories(dir.resolve("envchart"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: envchart\nversion: 1.0.0\n");
        Files.writeString(chart.resolve("values.yaml"), """
                image: &img {repository: nginx, tag: "1.0", pullPolicy: IfNotPresent}
                sidecar: *img
                replicas: 1
                list: [a, b]
                drop: me
                nested: {keep: 1, drop: 2, deep: {x: 1}}
                nullDefault: null
                global: {region: eu, shared: {a: 1}}
                sub: {fromParent: p, override: parent}
                """);
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("templates/values.yaml"), ECHO_TEMPLATE);
        Path sub = Files.createDirectories(chart.resolve("charts/sub"));
        Files.writeString(sub.resolve("Chart.yaml"), "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
        Files.writeString(sub.resolve("values.yaml"), """
                subKey: s
                override: sub
                subDrop: d
                subMap: {a: 1, b: 2}
                global: {subGlobal: g, shared: {b: 2}, region: sub-region}
                """);
        return chart;
    }

    /** {@code values.yaml} (base), {@code values-dev.yaml} and {@code values-prod.yaml}. */
    static Path environments(Path dir) throws IOException {
        Path env = Files.createDirectories(dir.resolve("env"));
        Files.writeString(env.resolve("values.yaml"), """
                image: {tag: "1.1"}
                replicas: 2
                nested: {extra: base}
                """);
        Files.writeString(env.resolve("values-dev.yaml"), "replicas: 1\n");
        Files.writeString(env.resolve("values-prod.yaml"), """
                image: {tag: "2.0"}
                replicas: 5
                list: [c]
                drop: null
                nested: {drop: null, deep: flat, newNull: null}
                topNull: null
                global: {region: us, shared: {c: 3}}
                sub: {override: prod, subDrop: null, subMap: {b: null}}
                db: {password: "ref+vault://secret/data/shop#password"}
                """);
        return env;
    }
}
