package dev.helmsdk.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Values;
import dev.helmsdk.core.internal.HelmCall;
import dev.helmsdk.core.internal.ValuesMerger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile values files and charts, differentially: where Helm renders, {@link ComputedValues} gives Helm's
 * {@code .Values}; where Helm refuses, {@link ComputedValues} refuses too, with an {@link InvalidRequestException}
 * naming the file (never an unchecked I/O error, an {@code IllegalArgumentException} or a
 * {@code NullPointerException}).
 */
@Tag("integration")
class ComputedValuesHostileHelmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path tmp;
    private static Path chart;

    /**
     * One row.
     *
     * @param chart     the chart, made in the directory given; {@code null}: the echoing chart
     * @param file      the values file's bytes, {@code null} for none
     * @param named     what the refusal names (a file or a directory), when Helm refuses
     */
    record Case(String name, ChartMaker chart, byte[] file, String named) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface ChartMaker {
        Path make(Path dir) throws IOException;
    }

    @BeforeAll
    static void charts() throws Exception {
        chart = echoing(tmp.resolve("echo"), "echo", "1.0.0", "defaults: {a: 1, b: [x]}\n");
    }

    /** A chart whose template echoes {@code .Values} as JSON. */
    static Path echoing(Path dir, String name, String version, String values) throws IOException {
        Files.createDirectories(dir.resolve("templates"));
        Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
        if (values != null) {
            Files.writeString(dir.resolve("values.yaml"), values);
        }
        Files.writeString(dir.resolve("templates/values.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: values
                data:
                  values: {{ toJson .Values | b64enc | quote }}
                """);
        return dir;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String bomb() {
        StringBuilder b = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            b.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            b.append("]\n");
        }
        return b.toString();
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("anchors and merge keys", null, text("""
                        base: &base {image: nginx, tag: "1.0", pull: IfNotPresent}
                        prod:
                          <<: *base
                          tag: "2.0"
                        multi:
                          <<: [{a: 1}, {a: 2, b: 2}]
                          c: 3
                        defaults: *base
                        """), null),
                new Case("a merge key of a scalar", null, text("x:\n  <<: 1\n"), "values-file.yaml"),
                new Case("an alias bomb (billion laughs)", null, text(bomb()), "values-file.yaml"),
                new Case("duplicate keys", null, text("a: 1\nb: 1\na: 2\n"), "values-file.yaml"),
                new Case("duplicate keys in a nested map", null, text("m:\n  k: 1\n  k: 2\n"), "values-file.yaml"),
                new Case("a file that is a list", null, text("- a\n- b\n"), "values-file.yaml"),
                new Case("a file that is a scalar", null, text("just text\n"), "values-file.yaml"),
                new Case("an empty file", null, text(""), null),
                new Case("a file of comments", null, text("# nothing\n"), null),
                new Case("non-UTF-8 bytes", null, new byte[]{'a', ':', ' ', (byte) 0xff, (byte) 0xfe, 'x', '\n'}, "values-file.yaml"),
                new Case("Latin-1 text", null, new byte[]{'a', ':', ' ', 'c', 'a', 'f', (byte) 0xe9, '\n'}, "values-file.yaml"),
                new Case("a second document", null, text("a: 1\n---\nb: 2\n"), null),
                new Case("a chart with no Chart.yaml", dir -> {
                    Path c = echoing(dir.resolve("nometa"), "nometa", "1.0.0", "a: 1\n");
                    Files.delete(c.resolve("Chart.yaml"));
                    return c;
                }, null, "nometa"),
                new Case("a chart whose Chart.yaml is empty", dir -> {
                    Path c = echoing(dir.resolve("emptymeta"), "emptymeta", "1.0.0", "a: 1\n");
                    Files.writeString(c.resolve("Chart.yaml"), "");
                    return c;
                }, null, "emptymeta"),
                new Case("a chart whose Chart.yaml is a list", dir -> {
                    Path c = echoing(dir.resolve("listmeta"), "listmeta", "1.0.0", "a: 1\n");
                    Files.writeString(c.resolve("Chart.yaml"), "- name: x\n");
                    return c;
                }, null, "listmeta"),
                new Case("a chart without a version", dir -> {
                    Path c = echoing(dir.resolve("nover"), "nover", "1.0.0", "a: 1\n");
                    Files.writeString(c.resolve("Chart.yaml"), "apiVersion: v2\nname: nover\n");
                    return c;
                }, null, "nover"),
                new Case("a chart whose values.yaml is a list", dir -> echoing(dir.resolve("listvalues"), "listvalues", "1.0.0", "- a\n"),
                        null, "listvalues"),
                new Case("a chart whose values.yaml is a directory", dir -> {
                    Path c = echoing(dir.resolve("dirvalues"), "dirvalues", "1.0.0", null);
                    Files.createDirectories(c.resolve("values.yaml"));
                    return c;
                }, null, "dirvalues"),
                new Case("a truncated chart archive", dir -> {
                    Path c = echoing(dir.resolve("trunc"), "trunc", "1.0.0", "a: 1\n" + "pad: x\n".repeat(2000));
                    Path tgz = TestArchives.pack(c, dir.resolve("trunc-1.0.0.tgz"));
                    byte[] all = Files.readAllBytes(tgz);
                    return Files.write(tgz, java.util.Arrays.copyOf(all, all.length / 2));
                }, null, "trunc-1.0.0.tgz"),
                new Case("a file that is no archive", dir -> Files.writeString(dir.resolve("junk.tgz"), "not gzip at all"), null, "junk.tgz"),
                new Case("a chart archive", dir -> TestArchives.pack(echoing(dir.resolve("packed"), "packed", "1.0.0", "a: {b: 1}\n"),
                        dir.resolve("packed-1.0.0.tgz")), text("a: {c: 2}\n"), null),
                new Case("a subchart directory without Chart.yaml", dir -> {
                    Path c = echoing(dir.resolve("strays"), "strays", "1.0.0", "a: 1\n");
                    Files.createDirectories(c.resolve("charts/notachart"));
                    Files.writeString(c.resolve("charts/notachart/values.yaml"), "x: 1\n");
                    return c;
                }, null, "notachart"),
                new Case("a stray file in charts/", dir -> {
                    Path c = echoing(dir.resolve("strayfile"), "strayfile", "1.0.0", "a: 1\n");
                    Files.createDirectories(c.resolve("charts"));
                    Files.writeString(c.resolve("charts/README.md"), "not a chart\n");
                    return c;
                }, null, "README.md"),
                new Case("a stray directory in a packed chart's charts/", dir -> {
                    Path c = echoing(dir.resolve("packedstray"), "packedstray", "1.0.0", "a: 1\n");
                    Files.createDirectories(c.resolve("charts/notachart"));
                    Files.writeString(c.resolve("charts/notachart/values.yaml"), "x: 1\n");
                    return TestArchives.pack(c, dir.resolve("packedstray-1.0.0.tgz"));
                }, null, "notachart"),
                new Case("a gzipped file that is no tar", dir -> {
                    Path f = dir.resolve("notar.tgz");
                    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
                        out.write("this is no tar archive, only gzipped text".repeat(40).getBytes(StandardCharsets.UTF_8));
                    }
                    return f;
                }, null, "notar.tgz"),
                new Case("a chart that does not exist", dir -> dir.resolve("missing"), null, "missing"),
                new Case("subcharts Helm skips (_ and .)", dir -> {
                    Path c = echoing(dir.resolve("skips"), "skips", "1.0.0", "a: 1\n");
                    echoing(c.resolve("charts/_helper"), "helper", "1.0.0", "h: 1\n");
                    echoing(c.resolve("charts/.hidden"), "hidden", "1.0.0", "h: 1\n");
                    return c;
                }, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void asHelmOrRefusedTyped(Case c) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("case-" + Integer.toHexString(c.name().hashCode())));
        Path theChart = c.chart() == null ? chart : c.chart().make(dir);
        Values values = Values.empty();
        TemplateCommand t = Helm.template(theChart.toString()).withName("hostile").withKubeVersion(HelmCall.DEFAULT_KUBE_VERSION);
        if (c.file() != null) {
            Path f = Files.write(dir.resolve("values-file.yaml"), c.file());
            t.withValuesFile(f);
            values = values.file(f);
        }
        Object helms;
        try {
            helms = ValuesMerger.canonical(echoed(t.call()));
        } catch (RuntimeException helmRefused) {
            Values given = values;
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ComputedValues.of(theChart, given),
                    "Helm refuses: " + helmRefused.getMessage());
            assertTrue(c.named() == null || e.getMessage().contains(c.named()), "names " + c.named() + ": " + e.getMessage()
                    + " (Helm: " + helmRefused.getMessage() + ")");
            System.out.println(c.name() + ": Helm: " + helmRefused.getMessage() + "\n    ours: " + e.getMessage());
            return;
        }
        Object ours;
        try {
            ours = ValuesMerger.canonical(ComputedValues.of(theChart, values).values());
        } catch (RuntimeException e) {
            fail("Helm renders, ComputedValues throws " + e, e);
            return;
        }
        assertEquals(helms, ours, "Helm's .Values vs ComputedValues");
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
