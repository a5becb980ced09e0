package dev.helmsdk.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.TemplateRequest;
import dev.helmsdk.api.Values;
import dev.helmsdk.core.internal.HelmCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential conformance of values with Helm itself: the same raw values files and assignments
 * are rendered by Helm (helm-java's own {@code template}, which reads the files with Helm's code)
 * and by the SDK (which reads and merges them in Java and hands Helm one file), through a chart
 * whose template emits {@code toYaml .Values}. The two renderings must be identical, and where
 * Helm refuses an input the SDK must refuse it too, with a typed error. Rows marked as a
 * documented difference assert that difference (see {@link dev.helmsdk.api.Values}).
 */
@Tag("integration")
class ValuesConformanceTest {

    /** A kubeconfig for an API server that is not there: templates need none (moved here from IsolatedHelmBuilderTest, now a testkit test). */
    private static final String NOWHERE = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
            users: [{name: u, user: {token: abc}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** As {@link Case#sdkHas()}: the SDK refuses what Helm accepts, on purpose. */
    private static final String REFUSED = "(refused)";

    @TempDir
    static Path tmp;
    private static Path chart;
    private static HelmManager sdk;

    /** Helm's {@code --set key=value} beside the SDK's typed {@code set(path, value)} meant to be the same. */
    record Assign(String helmKey, String helmValue, String sdkPath, Object sdkValue) {
    }

    /**
     * One row: values files (in order) and assignments.
     *
     * @param helmHas when not null, a documented difference: Helm's rendering holds this line...
     * @param sdkHas  ...and the SDK's holds this one instead, or is {@link #REFUSED}
     */
    record Case(String name, List<String> files, List<Assign> sets, String helmHas, String sdkHas) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case row(String name, String... files) {
        return new Case(name, List.of(files), List.of(), null, null);
    }

    private static Case rowWithSets(String name, List<String> files, Assign... sets) {
        return new Case(name, files, List.of(sets), null, null);
    }

    private static Assign set(String helmKey, String helmValue, String sdkPath, Object sdkValue) {
        return new Assign(helmKey, helmValue, sdkPath, sdkValue);
    }

    static Stream<Case> cases() {
        String bomb = aliasLevels(6);
        return Stream.of(
                row("plain scalars", "s: hello\ni: 3\nf: 1.5\nb: true\n"),
                row("anchor and alias of a map", "base: &b {x: 1, y: two}\nother: *b\n"),
                row("alias of a scalar and of a list", "a: &v hello\nb: *v\nl: &l [1, 2]\nm: *l\n"),
                row("merge key, single, with an override", "defaults: &d {a: 1, b: 2}\nsvc:\n  <<: *d\n  b: 3\n"),
                row("merge key, list: earlier maps win", "x: &x {a: 1}\ny: &y {a: 2, b: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n"),
                row("merge key after an explicit key overrides it (go-yaml v2 order)", "d: &d {a: 1}\ne:\n  a: 0\n  <<: *d\n"),
                row("merge is shallow", "base: &b {m: {x: 1, y: 1}}\nd:\n  <<: *b\n  m: {y: 2}\n"),
                row("merge of a scalar is refused", "a: &a 1\nb:\n  <<: *a\n"),
                row("a quoted << is a plain key", "d: &d {a: 1}\ne:\n  '<<': *d\n"),
                row("duplicate keys: the last wins", "a: 1\na: 2\nm: {x: 1}\nm: {y: 2}\n"),
                row("yes/no/on/off/y/n as values", "v: [yes, no, on, off, Yes, NO, ON, Off, y, n, Y, N, true, False, TRUE]\n"),
                row("yes/no/on/off/y/n as keys", "yes: a\nno: b\non: c\noff: d\ny: e\nn: f\n"),
                row("strings that look like other types", "s: ['yes', '0777', '1e3', '~', 'null', 'true', '0x1F', '1_000', '', 'y', '.inf']\n"),
                row("octal, hex, binary, signs, underscores", "i: [0777, 0o17, 0x1F, 0b101, -0x1F, +12, 1_000, 08, 0_7, -0b11, 00]\n"),
                row("large integers", "i: [9007199254740993, 9223372036854775807, 9223372036854775808, 18446744073709551615,"
                        + " 18446744073709551616, 123456789012345678901234567890, -9223372036854775808, -9223372036854775809]\n"),
                row("floats", "f: [1e3, 1E3, 1.5e-3, .5, -.5, +.5, 1., 3.14159265358979323846, 6.02e23, 0.1, 1e-400, 1e400, 1.0e+10, 1_0.5]\n"),
                row(".inf is refused by Helm", "x: .inf\n"),
                row("-.inf is refused by Helm", "x: -.Inf\n"),
                row(".nan is refused by Helm", "x: .NaN\n"),
                row("~ and null", "a: ~\nb: null\nc:\nd: Null\ne: NULL\nl: [~, null, ]\n"),
                row("empty file", ""),
                row("comments-only file", "# nothing here\n   # or here\n"),
                row("a top-level null", "~\n"),
                row("multi-document: only the first document counts", "a: 1\n---\nb: 2\n"),
                row("multi-document starting with ---", "---\na: 1\n---\na: 2\n"),
                row("multi-document with an empty first document", "---\n---\na: 1\n"),
                row("integer keys", "1: one\n0x10: hex\n-5: neg\n1_0: ten\n0777: oct\n"),
                row("float keys", "1.5: a\n1e3: b\n0.1: c\n123456789.0: d\n.inf: e\n-.inf: f\n.nan: g\n18446744073709551616: h\n"),
                row("bool and null-looking quoted keys", "'true': a\n'null': b\n'~': c\n"),
                row("a null key is refused", "~: x\n"),
                row("a uint64 key is refused", "18446744073709551615: x\n"),
                row("a list as key is refused", "? [a, b]\n: x\n"),
                row("unicode in the BMP", "s: \"héllo ü 日本語 Ωmega\"\nk日本: v\n"),
                row("unicode outside the BMP (emoji)", "e: \"🚀 emoji 𝄞\"\n🚀: rocket\nplain: 😀\n"),
                row("escapes, NEL and line separators", "s: \"\\U0001F680 \\u00e9 tab\\tend\"\nn: \"line\\Nnext\\Lsep\\Ppar\"\nc: \"\\x7f\\x80\\x9f\"\n"),
                row("!!binary", "b: !!binary aGVsbG8gd29ybGQ=\nm: !!binary |\n  aGVsbG8g\n  d29ybGQ=\n"),
                row("!!binary with invalid base64 is refused", "b: !!binary 'not base64!'\n"),
                row("!!str, !!int, !!float, !!bool, !!null", "s: !!str 123\nt: !!str yes\ni: !!int \"12\"\nf: !!float 1\nb: !!bool \"on\"\nn: !!null ''\n"),
                row("a wrong explicit tag is refused", "i: !!int abc\n"),
                row("unknown tags are ignored", "x: !foo bar\ny: !foo 12\nm: !bar {a: 1}\n"),
                row("timestamps stay strings", "d: 2001-12-14\nt: 2001-12-14T21:59:43.10-05:00\nk:\n  2001-12-14: day\n"),
                row("sexagesimal stays a string", "t: 190:20:30\nf: 1:30.5\n"),
                row("lists, nested", "l: [1, [2, 3], {a: b}, null, [], {}]\n"),
                row("block scalars", "lit: |\n  a\n   b\n\nfold: >\n  a\n  b\nkeep: |+\n  x\n\nstrip: |-\n  y\n"),
                row("byte order mark and CRLF line ends", "\uFEFFa: 1\r\nb:\r\n  c: two\r\n"),
                row("null deletes a chart default key", "chartDefaults:\n  drop: null\n"),
                row("null deletes a chart default map", "chartDefaults: null\n"),
                row("several files layered", "a: {x: 1, y: 1}\nl: [1, 2]\nchartDefaults: {drop: 0}\n", "a: {y: 2, z: {q: 1}}\nl: [3]\n", "a: {z: null}\n"),
                row("!!binary with bytes that are not UTF-8", "b: !!binary /w==\nc: !!binary 4oJB\nd: !!binary 7aCA\n"),
                row("an explicit !!merge tag", "d: &d {a: 1}\ne:\n  !!merge <<: *d\n"),
                row("merge of an inline map", "b:\n  <<: {a: 1, c: 1}\n  c: 2\n"),
                row("merge of a list holding a scalar is refused", "a: &a {x: 1}\nb:\n  <<: [*a, 1]\n"),
                row("merge of an alias to a list is refused", "l: &l [{a: 1}]\nb:\n  <<: *l\n"),
                row("!!timestamp", "t: !!timestamp 2001-12-14\n"),
                row("binary-looking integers with signs", "x: [0b-101, 0b+11, -0b0, 0B11, 0X1f, 0O17]\n"),
                row("keys equal as integers collapse", "1: a\n0x1: b\n+1: c\n"),
                row("a negative zero key", "-0.0: z\n0.0: p\n"),
                row("controls, non-characters and quotes in strings", "s: \"\\uFFFE \\x01 \\uFEFF \\\" \\\\ end\"\nq: 'it''s \"quoted\" \\ back'\n"),
                row("plain multi-line scalar folding", "s: a\n  b\n\n  c\nt: \"x\n  y\"\n"),
                row("nesting 60 levels deep", "a: " + "[".repeat(60) + "1" + "]".repeat(60) + "\n"),
                rowWithSets("--set of text with an emoji and of a number", List.of(), set("e", "🚀 ok", "e", "🚀 ok"), set("n", "42", "n", 42)),
                row("a top-level list is refused", "- a\n- b\n"),
                row("a top-level scalar is refused", "hello\n"),
                row("a top-level quoted empty string is refused", "''\n"),
                row("an undefined alias is refused", "a: *nope\n"),
                row("an anchor containing itself is refused", "a: &a [*a]\n"),
                row("a syntax error is refused", "a: [1, 2\n"),
                row("moderate aliasing is accepted", aliasLevels(3)),
                row("an alias bomb is refused (excessive aliasing)", bomb),
                rowWithSets("--set with an escaped dot", List.of(), set("a\\.b", "1", "a\\.b", 1)),
                rowWithSets("--set list indexes", List.of("list: [a, b, c]\n"), set("list[1]", "x", "list[1]", "x"),
                        set("other[2].name", "n", "other[2].name", "n")),
                rowWithSets("--set over files", List.of("a: {b: 1}\n", "a: {d: 4}\n"), set("a.c", "2", "a.c", 2)),
                rowWithSets("--set null deletes a chart default key", List.of(), set("chartDefaults.drop", "null", "chartDefaults.drop", null)),
                rowWithSets("--set of an index over Helm's maximum is refused", List.of(), set("l[65537]", "1", "l[65537]", 1)),
                new Case("documented: typed set keeps a Java String where --set parses", List.of(),
                        List.of(set("flag", "true", "flag", "true")), "flag: true", "flag: \"true\""),
                new Case("documented: nesting past Values.MAX_DEPTH is refused by the SDK only", List.of("a: "
                        + "[".repeat(Values.MAX_DEPTH) + "1" + "]".repeat(Values.MAX_DEPTH) + "\n"), List.of(), "- 1", REFUSED),
                new Case("documented: client-side Kubernetes version", List.of(), List.of(), "kubeVersion: v1.20.0",
                        "kubeVersion: " + HelmCall.DEFAULT_KUBE_VERSION));
    }

    /** Ten scalars, then {@code levels - 1} lists of ten aliases of the level below. */
    private static String aliasLevels(int levels) {
        StringBuilder b = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < levels; i++) {
            b.append("l").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                b.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            b.append("]\n");
        }
        return b.toString();
    }

    @BeforeAll
    static void chart() throws Exception {
        chart = Files.createDirectories(tmp.resolve("values-echo"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: values-echo\nversion: 1.0.0\n");
        Files.writeString(chart.resolve("values.yaml"), "chartDefaults:\n  keep: kept\n  drop: dropped\n");
        Files.createDirectories(chart.resolve("templates"));
        // Base64 carries toYaml's text through the manifest untouched, byte for byte.
        Files.writeString(chart.resolve("templates/values.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: values
                data:
                  values: {{ toYaml .Values | b64enc | quote }}
                  kube: {{ .Capabilities.KubeVersion.Version | b64enc | quote }}
                """);
        sdk = HelmSdk.builder().kubeConfigContents(NOWHERE).workDirectory(tmp.resolve("work")).build();
    }

    @AfterAll
    static void close() {
        if (sdk != null) {
            sdk.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSdkReadsValuesAsHelmDoes(Case c) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("case-" + Integer.toHexString(c.name().hashCode())));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < c.files().size(); i++) {
            files.add(Files.writeString(dir.resolve("values-" + i + ".yaml"), c.files().get(i), StandardCharsets.UTF_8));
        }
        String helm;
        try {
            // The SDK's default Kubernetes version is a documented difference, asserted by its own row only.
            helm = helm(files, c.sets(), c.helmHas() != null && c.helmHas().startsWith("kubeVersion"));
        } catch (IllegalStateException refused) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> sdk(files, c.sets()),
                    "Helm refused this input (" + refused.getMessage() + "), the SDK must refuse it too");
            assertTrue(c.files().isEmpty() || e.getMessage().contains(dir.toString()) || !c.sets().isEmpty(),
                    "the error names the file: " + e.getMessage());
            return;
        }
        if (REFUSED.equals(c.sdkHas())) {
            assertTrue(helm.contains(c.helmHas()), "Helm renders " + c.helmHas() + " in\n" + helm);
            assertThrows(InvalidRequestException.class, () -> sdk(files, c.sets()));
            return;
        }
        String mine;
        try {
            mine = sdk(files, c.sets());
        } catch (RuntimeException e) {
            fail("Helm accepted this input, the SDK refused it: " + e, e);
            return;
        }
        if (c.helmHas() == null) {
            assertEquals(helm, mine, "toYaml .Values, Helm vs the SDK");
        } else {
            assertTrue(helm.contains(c.helmHas()), "Helm renders " + c.helmHas() + " in\n" + helm);
            assertTrue(mine.contains(c.sdkHas()), "the SDK renders " + c.sdkHas() + " in\n" + mine);
            assertNotEquals(helm, mine);
        }
    }

    private static String helm(List<Path> files, List<Assign> sets, boolean helmsKubeVersion) throws Exception {
        TemplateCommand t = Helm.template(chart.toString()).withName("conformance");
        if (!helmsKubeVersion) {
            t.withKubeVersion(HelmCall.DEFAULT_KUBE_VERSION);
        }
        files.forEach(t::withValuesFile);
        sets.forEach(s -> t.set(s.helmKey(), s.helmValue()));
        return echoed(t.call());
    }

    private static String sdk(List<Path> files, List<Assign> sets) throws Exception {
        TemplateRequest t = sdk.template("conformance").chart(ChartRef.local(chart));
        for (Path f : files) {
            t = t.values(f);
        }
        for (Assign s : sets) {
            t = t.set(s.sdkPath(), s.sdkValue());
        }
        return echoed(t.run().find("ConfigMap", "values").orElseThrow().yaml());
    }

    /** The ConfigMap's values and Kubernetes version, decoded: what the template saw. */
    private static String echoed(String manifest) throws Exception {
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(manifest).readAll()) {
            if (doc != null && "ConfigMap".equals(doc.path("kind").asText())) {
                JsonNode data = doc.path("data");
                return decode(data.path("values").asText()) + "kubeVersion: " + decode(data.path("kube").asText()) + "\n";
            }
        }
        throw new AssertionError("no ConfigMap in\n" + manifest);
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
