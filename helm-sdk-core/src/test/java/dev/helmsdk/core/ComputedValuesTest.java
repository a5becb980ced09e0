package dev.helmsdk.core;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Values;
import dev.helmsdk.api.ValuesProvenance;
import dev.helmsdk.api.ValuesProvenance.Assignment;
import dev.helmsdk.api.ValuesProvenance.ChartDefault;
import dev.helmsdk.api.ValuesProvenance.File;
import dev.helmsdk.api.ValuesProvenance.Origin;
import dev.helmsdk.api.ValuesProvenance.Source;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Environment layering and the provenance of each computed value (the values themselves are proven against Helm by ComputedValuesHelmTest). */
class ComputedValuesTest {

    @TempDir
    Path tmp;
    private Path chart;
    private Path env;
    private Source defaults;
    private Source base;
    private Source prod;

    @BeforeEach
    void charts() throws Exception {
        chart = EnvironmentCharts.chart(tmp);
        env = EnvironmentCharts.environments(tmp);
        defaults = new ChartDefault("");
        base = new File(env.resolve("values.yaml"));
        prod = new File(env.resolve("values-prod.yaml"));
    }

    @Test
    void aDirectoryNamedLikeAnEnvironmentFileIsNoEnvironment() throws Exception {
        Files.createDirectories(env.resolve("values-qa.yaml"));
        assertEquals(List.of("dev", "prod"), Values.environments(env), "a directory is not listed");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Values.environment(env, "qa"));
        assertTrue(e.getMessage().contains("values-qa.yaml is a directory"), e.getMessage());
        InvalidRequestException given = assertThrows(InvalidRequestException.class,
                () -> ComputedValues.of(chart, Values.empty().file(env.resolve("values-qa.yaml"))));
        assertTrue(given.getMessage().contains("values-qa.yaml"), given.getMessage());
        assertEquals(List.of(), Values.environments(env.resolve("values-prod.yaml")), "a file has no environments");
    }

    @Test
    void aSubchartsDefaultsKeepTheirSubchartUnderItsAliasAndADisabledOneAddsNone() throws Exception {
        Path shop = dev.helmsdk.core.internal.report.SubchartSchemaCharts.shop(tmp.resolve("charts"));
        ValuesProvenance p = ComputedValues.of(shop, Values.empty());
        assertEquals(new ChartDefault("cache"), at(p, "/cache/port").source(), "the alias's path, not the parent's");
        assertEquals(6379, p.values().get("cache") instanceof Map<?, ?> m ? m.get("port") : null);
        assertEquals(Map.of("enabled", false), p.values().get("queue"), "queue is disabled: only what the parent gives it");
        assertFalse(p.values().containsKey("redis"), "the chart is known by its aliases only");
        assertEquals(new ChartDefault("db/metrics"), at(p, "/db/metrics/interval").source());
        ValuesProvenance off = ComputedValues.of(shop, Values.empty().set("tags.database", false));
        assertFalse(off.values().containsKey("db"), "tagged off: db and its metrics add nothing");
        ValuesProvenance on = ComputedValues.of(shop, Values.empty().set("queue.enabled", true));
        assertEquals(new ChartDefault("queue"), at(on, "/queue/port").source());
        assertEquals(new Assignment("queue.enabled"), at(on, "/queue/enabled").source());
    }

    private Origin at(ValuesProvenance p, String pointer) {
        return p.at(pointer).orElseThrow(() -> new AssertionError("no entry at " + pointer + " in " + p));
    }

    @Test
    void anEnvironmentIsTheBaseFileThenItsOwnAndTheChartsValuesYamlIsNotAddedAgain() throws Exception {
        assertEquals(List.of(new Values.FromFile(env.resolve("values.yaml")), new Values.FromFile(env.resolve("values-prod.yaml"))),
                Values.environment(env, "prod").layers());
        assertEquals(List.of("dev", "prod"), Values.environments(env));
        Files.writeString(chart.resolve("values-staging.yaml"), "replicas: 3\n");
        assertEquals(List.of(new Values.FromFile(chart.resolve("values-staging.yaml"))), Values.environment(chart, "staging").layers());
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Values.environment(env, "qa"));
        assertTrue(e.getMessage().contains("values-qa.yaml") && e.getMessage().contains("dev, prod"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> Values.environment(env, "../prod"));
    }

    @Test
    void eachValueNamesTheLayerThatGaveItAndTheLayersItOverrode() {
        ValuesProvenance p = ComputedValues.of(chart, Values.environment(env, "prod"));
        Origin tag = at(p, "/image/tag");
        assertEquals("2.0", tag.value());
        assertEquals(prod, tag.source());
        assertEquals(List.of(defaults, base), tag.overrode(), "chart default first, then the base file");
        Origin repo = at(p, "/image/repository");
        assertEquals(defaults, repo.source());
        assertEquals(List.of(), repo.overrode());
        assertEquals(new Origin("/nested/extra", "base", base, List.of(), false), at(p, "/nested/extra"));
        assertEquals(defaults, at(p, "/sidecar/tag").source(), "an alias in the chart's values.yaml is expanded as Helm does");
    }

    @Test
    void aListIsReplacedWholesaleAndAMapReplacedByAScalarListsWhatItHeld() {
        ValuesProvenance p = ComputedValues.of(chart, Values.environment(env, "prod"));
        assertEquals(new Origin("/list", List.of("c"), prod, List.of(defaults), false), at(p, "/list"));
        assertTrue(p.at("/list/0").isEmpty(), "a list is one value");
        assertEquals(new Origin("/nested/deep", "flat", prod, List.of(defaults), false), at(p, "/nested/deep"));
        assertTrue(p.at("/nested/deep/x").isEmpty());
    }

    @Test
    void aNullDeletesTheDefaultAndIsReportedAsADeletion() {
        ValuesProvenance p = ComputedValues.of(chart, Values.environment(env, "prod"));
        assertFalse(p.values().containsKey("drop"));
        assertEquals(new Origin("/drop", null, prod, List.of(defaults), true), at(p, "/drop"));
        assertEquals(new Origin("/nested/drop", null, prod, List.of(defaults), true), at(p, "/nested/drop"));
        assertEquals(new Origin("/sub/subDrop", null, prod, List.of(new ChartDefault("sub")), true), at(p, "/sub/subDrop"));
        assertEquals(new Origin("/sub/subMap/b", null, prod, List.of(new ChartDefault("sub")), true), at(p, "/sub/subMap/b"));
        // Where the chart has no default, Helm keeps the null (proven against Helm): a value, not a deletion.
        assertEquals(new Origin("/topNull", null, prod, List.of(), false), at(p, "/topNull"));
        assertEquals(List.of("/drop", "/nested/drop", "/sub/subDrop", "/sub/subMap/b"),
                p.deleted().stream().map(Origin::pointer).sorted().toList());
    }

    @Test
    void subchartDefaultsAndGlobalsPushedIntoTheSubchartKeepTheirSource() {
        ValuesProvenance p = ComputedValues.of(chart, Values.environment(env, "prod"));
        assertEquals(new ChartDefault("sub"), at(p, "/sub/subKey").source());
        Origin override = at(p, "/sub/override");
        assertEquals(prod, override.source());
        assertEquals(List.of(new ChartDefault("sub"), defaults), override.overrode(), "the subchart's default, then the parent's");
        Origin region = at(p, "/sub/global/region");
        assertEquals("us", region.value());
        assertEquals(prod, region.source(), "the parent's global, from prod, wins over the subchart's own");
        assertEquals(List.of(new ChartDefault("sub"), defaults), region.overrode(), "the subchart's global, and the parent's default");
        assertEquals(new ChartDefault("sub"), at(p, "/sub/global/shared/b").source());
        assertEquals(prod, at(p, "/sub/global/shared/c").source());
    }

    @Test
    void assignmentsComeLastAndOneIntoAListHasItsOwnEntry() {
        ValuesProvenance p = ComputedValues.of(chart, Values.environment(env, "prod").set("image.tag", "3.0").set("list[2]", "z"));
        Origin tag = at(p, "/image/tag");
        assertEquals(new Assignment("image.tag"), tag.source());
        assertEquals(List.of(defaults, base, prod), tag.overrode());
        assertEquals(java.util.Arrays.asList("c", null, "z"), at(p, "/list").value());
        assertEquals(prod, at(p, "/list").source());
        assertEquals(new Origin("/list/2", "z", new Assignment("list[2]"), List.of(prod), false), at(p, "/list/2"));
    }

    @Test
    void aSecretReferenceIsShownAsTheReferenceAndNothingPrintsValues() {
        ValuesProvenance p = ComputedValues.of(chart, Values.environment(env, "prod"));
        Origin password = at(p, "/db/password");
        assertTrue(password.secretReference());
        assertEquals("ref+vault://secret/data/shop#password", password.value());
        assertFalse(p.toString().contains("ref+vault"), p.toString());
        assertTrue(p.toString().contains("/drop deleted by file "), p.toString());
        assertEquals(Map.of("password", "ref+vault://secret/data/shop#password"), p.values().get("db"));
    }
}
