package dev.helmsdk.core.internal.report;

import dev.helmsdk.core.TestArchives;
import dev.helmsdk.api.report.Finding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subcharts' schemas as Helm loads them (the same cases {@link ValuesSchemaHelmTest} proves against Helm): aliases,
 * condition and tags, nested, globals, a {@code .tgz} subchart; from the chart directory and from its archive.
 */
class ValuesSchemaSubchartsTest {

    @TempDir
    static Path tmp;
    private static Path shop;
    private static Path packed;

    @BeforeAll
    static void charts() throws IOException {
        shop = SubchartSchemaCharts.shop(tmp);
        packed = TestArchives.pack(shop, tmp.resolve("shop-1.0.0.tgz"));
    }

    static Stream<SubchartSchemaCharts.Case> cases() {
        return SubchartSchemaCharts.cases();
    }

    private static List<Finding> check(Path chart, String values) {
        return Contexts.run(new ValuesSchemaCheck(), Contexts.of(chart, Contexts.values(values), List.of(), null, null));
    }

    private static List<String> fields(List<Finding> found) {
        return found.stream().map(f -> f.field().orElseThrow()).sorted().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachLoadedSubchartsSchemaChecksItsPartOfTheParentsValues(SubchartSchemaCharts.Case c) {
        assertEquals(c.fields(), fields(check(shop, c.values())), "chart directory");
        assertEquals(c.fields(), fields(check(packed, c.values())), "chart archive, subchart archive inside");
    }

    @Test
    void aFindingNamesTheAliasTheChartAndTheRule() {
        Finding f = check(shop, "cache:\n  port: high\n").get(0);
        assertTrue(f.message().contains("chart 'cache' (chart 'redis')") && f.message().contains("type (expected \"integer\")"), f.message());
        Finding g = check(shop, "global:\n  region: 5\n").get(0);
        assertEquals("/cache/global/region", g.field().orElseThrow());
        assertTrue(g.hint().orElseThrow().contains("the parent's /global/region"), g.hint().toString());
    }

    @Test
    void aSubchartOutsideTheDependencysRangeKeepsItsOwnNameAndAnUnderscoreOneIsNotLoaded(@TempDir Path dir) throws IOException {
        Path chart = dir.resolve("web");
        Files.createDirectories(chart.resolve("charts/redis"));
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n"
                + "dependencies:\n- name: redis\n  version: \"2.x\"\n  alias: cache\n");
        Files.writeString(chart.resolve("charts/redis/Chart.yaml"), "apiVersion: v2\nname: redis\nversion: 1.2.0\n");
        String schema = "{\"properties\": {\"port\": {\"type\": \"integer\"}}}";
        Files.writeString(chart.resolve("charts/redis/values.schema.json"), schema);
        // Helm: 1.2.0 does not meet 2.x, so the alias does not apply and the subchart stays "redis"
        assertEquals(List.of("/redis/port"), fields(check(chart, "cache:\n  port: high\nredis:\n  port: high\n")));
        Files.move(chart.resolve("charts/redis"), chart.resolve("charts/_redis"));
        assertEquals(List.of(), check(chart, "redis:\n  port: high\n"), "Helm's loader skips charts/_*");
    }
}
