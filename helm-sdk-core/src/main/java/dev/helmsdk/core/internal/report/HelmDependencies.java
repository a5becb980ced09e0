package dev.helmsdk.core.internal.report;

import dev.helmsdk.core.internal.TracedCoalesce;
import dev.helmsdk.core.internal.charts.ChartDependencies.Dependency;
import dev.helmsdk.core.internal.source.Constraints;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subcharts Helm loads for given values: a port of Helm 3.21's {@code chartutil.processDependencyEnabled} (the
 * first half of {@code ProcessDependenciesWithMerge}, which install, upgrade and template run before validating).
 * A dependency of {@code Chart.yaml} takes the first subchart of its name whose version meets its range, renamed to
 * its {@code alias}; subcharts no dependency names stay as they are; {@code tags} then {@code condition} (the first
 * path holding a bool wins, looked up from the parent's place in the coalesced values) drop disabled ones; the same
 * runs in each kept subchart, unless its {@code Chart.yaml} has no {@code dependencies} list (Helm stops there).
 */
public final class HelmDependencies {

    private HelmDependencies() {
    }

    /**
     * The chart at {@code chart} (a directory or archive) as Helm loads it for {@code given}: the defaults tree its
     * coalescing walks, with only the subcharts it keeps, each under its alias. The one place the computed values
     * ({@code ComputedValues}) and the values schema check decide which subcharts count.
     *
     * @param given the values given (files, maps and assignments merged), not the computed ones
     * @throws dev.helmsdk.api.InvalidRequestException when the chart cannot be read or Helm's loader would refuse it
     */
    public static dev.helmsdk.core.internal.TracedCoalesce.Chart loaded(dev.helmsdk.api.Operation op, java.nio.file.Path chart,
                                                                          Map<String, Object> given) {
        return enabled(ChartSchemas.read(op, chart), given).defaultsTree(null);
    }

    /**
     * {@code chart} with only the subcharts Helm keeps for {@code given}, each under the name its values live at, and
     * the defaults Helm then gives each chart with dependencies left: {@code processImportValues} makes them its
     * {@code MergeValues} (its subcharts' defaults and globals folded in, nulls kept), so a global the given values
     * delete at the top still reaches a subchart from there (proven by the differential test).
     */
    static ChartSchemas enabled(ChartSchemas chart, Map<String, Object> given) {
        return importedDefaults(process(chart, given, ""));
    }

    /** {@code processDependencyImportValues}, bottom-up; the {@code import-values} entries themselves are not applied. */
    private static ChartSchemas importedDefaults(ChartSchemas c) {
        ChartSchemas out = c.withSubcharts(c.subcharts().stream().map(HelmDependencies::importedDefaults).toList());
        if (c.dependencies().isEmpty()) {
            return out;   // Helm: Metadata.Dependencies is nil (none declared, or none left enabled)
        }
        return out.mergingDefaults();
    }

    private static ChartSchemas process(ChartSchemas c, Map<String, Object> v, String path) {
        if (!c.declared()) {
            return c;
        }
        List<ChartSchemas> subs = new ArrayList<>();
        for (ChartSchemas existing : c.subcharts()) {
            if (c.dependencies().stream().noneMatch(r -> matches(r, existing))) {
                subs.add(existing);
            }
        }
        for (Dependency r : c.dependencies()) {
            c.subcharts().stream().filter(s -> matches(r, s)).findFirst()
                    .ifPresent(s -> subs.add(r.alias().isEmpty() ? s : s.named(r.alias())));
        }
        ChartSchemas aliased = c.withSubcharts(subs);
        Map<String, Object> cvals = TracedCoalesce.values(aliased.defaultsTree(null), v);
        Set<String> disabled = new HashSet<>();
        List<Dependency> enabled = new ArrayList<>();
        for (Dependency r : c.dependencies()) {
            if (condition(r, cvals, path, tags(r, cvals))) {
                enabled.add(r);
            } else {
                disabled.add(r.alias().isEmpty() ? r.name() : r.alias());
            }
        }
        List<ChartSchemas> kept = new ArrayList<>();
        for (ChartSchemas t : subs) {
            if (!disabled.contains(t.name())) {
                kept.add(process(t, cvals, path + t.name() + "."));
            }
        }
        return aliased.with(aliased.defaults(), enabled, kept);
    }

    /** {@code IsCompatibleRange}: same name, and the subchart's version meets the range (a bad range or version: no). */
    private static boolean matches(Dependency r, ChartSchemas sub) {
        if (!sub.chart().equals(r.name())) {
            return false;
        }
        try {
            return !r.version().isEmpty() && Constraints.satisfies(r.version(), sub.version());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code processDependencyTags}: off only when some tag is false and none true; no {@code tags} map: on. */
    private static boolean tags(Dependency r, Map<String, Object> cvals) {
        if (!(cvals.get("tags") instanceof Map<?, ?> table)) {
            return true;
        }
        boolean hasTrue = false;
        boolean hasFalse = false;
        for (String tag : r.tags()) {
            if (table.get(tag) instanceof Boolean b) {
                hasTrue |= b;
                hasFalse |= !b;
            }
        }
        return hasTrue || !hasFalse;
    }

    /** {@code processDependencyConditions}: the first comma-separated path that holds a bool decides. */
    private static boolean condition(Dependency r, Map<String, Object> cvals, String path, boolean enabled) {
        for (String c : r.condition().trim().split(",", -1)) {
            if (!c.isEmpty() && pathValue(cvals, path + c) instanceof Boolean b) {
                return b;
            }
        }
        return enabled;
    }

    /** {@code Values.PathValue}: the non-map value at a dotted path, or {@code null}. */
    private static Object pathValue(Map<String, Object> values, String dotted) {
        String[] keys = dotted.split("\\.", -1);
        Map<?, ?> table = values;
        for (int i = 0; i < keys.length - 1; i++) {
            if (!(table.get(keys[i]) instanceof Map<?, ?> next)) {
                return null;
            }
            table = next;
        }
        Object value = table.get(keys[keys.length - 1]);
        return value instanceof Map<?, ?> ? null : value;
    }
}
