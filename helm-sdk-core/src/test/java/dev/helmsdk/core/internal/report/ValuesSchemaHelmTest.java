package dev.helmsdk.core.internal.report;

import com.marcnuri.helm.Helm;
import dev.helmsdk.api.report.Finding;
import dev.helmsdk.core.internal.HelmCall;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential: for each subchart case (alias, condition, tags, nested, globals, a {@code .tgz} subchart) the values
 * schema check finds something exactly when Helm itself (helm-java's template, in process) refuses the values, and
 * every chart and path Helm names is one of the check's findings, named by its place in the parent's values.
 */
@Tag("integration")
class ValuesSchemaHelmTest {

    @TempDir
    static Path tmp;
    private static Path shop;

    @BeforeAll
    static void chart() throws Exception {
        shop = SubchartSchemaCharts.shop(tmp);
    }

    static Stream<SubchartSchemaCharts.Case> cases() {
        return SubchartSchemaCharts.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCheckFindsWhatHelmRefuses(SubchartSchemaCharts.Case c) throws Exception {
        Path values = Files.writeString(tmp.resolve("values-" + Integer.toHexString(c.name().hashCode()) + ".yaml"), c.values());
        String refusal = helmsRefusal(shop, values);
        List<Finding> found = Contexts.run(new ValuesSchemaCheck(), Contexts.of(shop, Contexts.values(c.values()), List.of(), null, null));
        List<String> fields = found.stream().map(f -> f.field().orElseThrow()).sorted().toList();
        assertEquals(refusal != null, !found.isEmpty(), "Helm " + (refusal == null ? "accepted" : "refused: " + refusal) + "; we found " + found);
        assertEquals(c.fields(), fields, "the paths in the parent's values");
        for (String[] named : helmsPaths(refusal)) {
            String chart = named[0];
            String at = named[1];
            assertTrue(found.stream().anyMatch(f -> f.message().contains("chart '" + chart + "'") && f.field().get().contains(at)),
                    "Helm names chart " + chart + " at '" + at + "'; we found " + found);
        }
    }

    @org.junit.jupiter.api.Test
    void aSchemaWithoutDollarSchemaIsReadByTheDraftHelmDefaultsTo() throws Exception {
        // prefixItems exists in 2020-12 only: whether Helm applies it says which draft it defaults to
        Path chart = Files.createDirectories(tmp.resolve("draft/web"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        Files.writeString(chart.resolve("values.schema.json"), "{\"properties\": {\"ports\": {\"prefixItems\": [{\"type\": \"integer\"}]}}}");
        Path values = Files.writeString(tmp.resolve("draft/values.yaml"), "ports: [http]\n");
        boolean refused = helmsRefusal(chart, values) != null;
        List<Finding> found = Contexts.run(new ValuesSchemaCheck(), Contexts.of(chart, Contexts.values("ports: [http]\n"), List.of(), null, null));
        assertEquals(refused, !found.isEmpty(), "Helm " + (refused ? "refused" : "accepted") + "; we found " + found);
    }

    @org.junit.jupiter.api.Test
    void aSubchartOutsideItsDependencysRangeIsCheckedUnderItsOwnName() throws Exception {
        Path chart = Files.createDirectories(tmp.resolve("range/web/charts/redis"));
        Path web = chart.getParent().getParent();
        Files.writeString(web.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n"
                + "dependencies:\n- name: redis\n  version: \"2.x\"\n  alias: cache\n");
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: redis\nversion: 1.2.0\n");
        Files.writeString(chart.resolve("values.schema.json"), "{\"properties\": {\"port\": {\"type\": \"integer\"}}}");
        for (String values : List.of("cache:\n  port: high\n", "redis:\n  port: high\n")) {
            Path file = Files.writeString(tmp.resolve("range/values.yaml"), values);
            boolean refused = helmsRefusal(web, file) != null;
            List<Finding> found = Contexts.run(new ValuesSchemaCheck(), Contexts.of(web, Contexts.values(values), List.of(), null, null));
            assertEquals(refused, !found.isEmpty(), values + ": Helm " + (refused ? "refused" : "accepted") + "; we found " + found);
        }
    }

    /** Helm's refusal of {@code values} for {@code chart} (its template, in process), or {@code null} when it renders. */
    private static String helmsRefusal(Path chart, Path values) {
        try {
            Helm.template(chart.toString()).withName("web").withKubeVersion(HelmCall.DEFAULT_KUBE_VERSION).withValuesFile(values).call();
            return null;
        } catch (IllegalStateException e) {
            assertTrue(ValuesSchemaCheck.isHelmsRefusal(e.getMessage()), "Helm failed otherwise: " + e.getMessage());
            return e.getMessage();
        }
    }

    /** Helm's {@code <chart>:} headers and the {@code - at '<path>'} lines under each. */
    private static List<String[]> helmsPaths(String refusal) {
        List<String[]> out = new ArrayList<>();
        if (refusal == null) {
            return out;
        }
        String chart = null;
        Matcher at = Pattern.compile("^- at '([^']*)'").matcher("");
        for (String line : refusal.split("\n")) {
            if (line.matches("[A-Za-z0-9_-]+:")) {
                chart = line.substring(0, line.length() - 1);
            } else if (chart != null && at.reset(line).find()) {
                out.add(new String[]{chart, at.group(1)});
            }
        }
        return out;
    }
}
