package dev.helmsdk.core.internal;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.ValuesProvenance;
import dev.helmsdk.api.ValuesProvenance.Origin;
import dev.helmsdk.api.ValuesProvenance.Source;
import dev.helmsdk.core.internal.TracedValues.Leaf;
import dev.helmsdk.core.internal.TracedValues.MapNode;
import dev.helmsdk.core.internal.TracedValues.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Helm's coalescing of the user values with the chart's defaults ({@code chartutil.CoalesceValues}: {@code coalesce},
 * {@code coalesceValues}, {@code coalesceDeps}, {@code coalesceGlobals}, {@code coalesceTablesFullKey}, with
 * {@code merge=false}, as install, upgrade and template use), on {@link TracedValues} trees so that every final value
 * keeps its source and every key a {@code null} deletes is recorded. Proven against Helm by a differential test.
 */
public final class TracedCoalesce {

    /**
     * A chart's defaults and its subcharts'.
     *
     * @param name      the name the parent's values know it by ({@code Chart.yaml}'s {@code name})
     * @param path      its path from the top chart, for the source ({@code ""} for the top chart)
     * @param defaults  its {@code values.yaml}, read as Helm reads it
     * @param subcharts its subcharts under {@code charts/}
     * @param merged    whether Helm makes its defaults its {@code MergeValues} first (its subcharts' defaults and
     *                  globals folded in, nulls kept): {@code processImportValues} does so for a chart whose
     *                  {@code Chart.yaml} still lists dependencies after the disabled ones are dropped
     */
    public record Chart(String name, String path, Map<String, Object> defaults, List<Chart> subcharts, boolean merged) {

        /** A chart whose defaults are its {@code values.yaml} as it is. */
        public Chart(String name, String path, Map<String, Object> defaults, List<Chart> subcharts) {
            this(name, path, defaults, subcharts, false);
        }
    }

    private final List<Origin> deleted = new ArrayList<>();

    /** Helm's {@code merge}: {@code MergeValues} keeps a given {@code null}; {@code CoalesceValues} deletes the default with it. */
    private final boolean merge;

    private TracedCoalesce(boolean merge) {
        this.merge = merge;
    }

    /**
     * The computed values of {@code chart} under {@code given} (not changed), without provenance: what Helm's
     * {@code CoalesceValues} gives, for checks that need only the values (the values schema's).
     *
     * @throws InvalidRequestException when a subchart's part of the values is not a map (Helm: type mismatch)
     */
    public static Map<String, Object> values(Chart chart, Map<String, Object> given) {
        return compute(chart, (MapNode) TracedValues.of(given, new ValuesProvenance.ChartDefault(""), List.of())).values();
    }

    /**
     * Helm's {@code MergeValues} of {@code chart} with no values: its defaults and its subcharts' (nulls kept, globals
     * pushed down), which {@code ProcessDependenciesWithMerge} makes the new defaults of a chart with dependencies;
     * each value keeps the chart it came from (a subchart's default stays that subchart's).
     */
    private static MapNode mergedDefaults(Chart chart, String at) {
        TracedCoalesce c = new TracedCoalesce(true);
        MapNode values = new MapNode(new ValuesProvenance.ChartDefault(chart.path()), List.of());
        c.coalesce(new Chart(chart.name(), chart.path(), chart.defaults(), chart.subcharts()), values, at);
        return values;
    }

    /** The computed values of {@code chart} under {@code user} (consumed), with the provenance of each. */
    static ValuesProvenance compute(Chart chart, MapNode user) {
        TracedCoalesce c = new TracedCoalesce(false);
        c.coalesce(chart, user, "");
        List<Origin> origins = new ArrayList<>();
        TracedValues.origins(user, "", origins);
        origins.addAll(c.deleted);
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) user.plain();
        return new ValuesProvenance(values, origins);
    }

    private void coalesce(Chart chart, MapNode values, String at) {
        coalesceValues(chart, values, at);
        coalesceDeps(chart, values, at);
    }

    /** The chart's defaults under the values: a {@code null} given for a defaulted key deletes it. */
    private void coalesceValues(Chart chart, MapNode v, String at) {
        Source source = new ValuesProvenance.ChartDefault(chart.path());
        MapNode defaults = chart.merged() ? mergedDefaults(chart, at) : (MapNode) TracedValues.of(chart.defaults(), source, List.of());
        for (Map.Entry<String, Node> d : defaults.children.entrySet()) {
            String key = d.getKey();
            Node given = v.children.get(key);
            String pointer = at + "/" + TracedValues.escape(key);
            if (given == null) {
                v.children.put(key, d.getValue());
            } else if (given instanceof Leaf l && l.isNull() && !merge) {
                v.children.remove(key);
                delete(pointer, l, d.getValue());
            } else if (given instanceof MapNode m) {
                if (d.getValue() instanceof MapNode dm) {
                    // A subchart's part merges (merge=true): its own coalescing deletes, after.
                    boolean subchart = chart.subcharts().stream().anyMatch(s -> s.name().equals(key));
                    coalesceTables(m, dm, subchart || merge, pointer);
                } else if (!(d.getValue() instanceof Leaf dl && dl.isNull())) {
                    m.overrode.addAll(0, TracedValues.lost(d.getValue()));
                }
            } else {
                given.overrode.addAll(0, TracedValues.lost(d.getValue()));
            }
        }
    }

    /** {@code coalesceTablesFullKey}: {@code dst} wins over {@code src}. */
    private void coalesceTables(MapNode dst, MapNode src, boolean merge, String at) {
        // A null given where the chart has no default stays null (Helm 3.21, proven by the differential test).
        for (Map.Entry<String, Node> s : src.children.entrySet()) {
            String key = s.getKey();
            Node sv = s.getValue();
            Node dv = dst.children.get(key);
            String pointer = at + "/" + TracedValues.escape(key);
            if (dv instanceof Leaf l && l.isNull() && !merge) {
                dst.children.remove(key);
                delete(pointer, l, sv);
            } else if (dv == null) {
                dst.children.put(key, sv);
            } else if (sv instanceof MapNode sm) {
                if (dv instanceof MapNode dm) {
                    coalesceTables(dm, sm, merge, pointer);
                } else {
                    dv.overrode.addAll(0, TracedValues.lost(sv));
                }
            } else if (!(sv instanceof Leaf sl && sl.isNull())) {
                dv.overrode.addAll(0, TracedValues.lost(sv));
            }
        }
    }

    private void coalesceDeps(Chart chart, MapNode dest, String at) {
        for (Chart sub : chart.subcharts()) {
            Node existing = dest.children.get(sub.name());
            String pointer = at + "/" + TracedValues.escape(sub.name());
            if (existing == null) {
                existing = new MapNode(new ValuesProvenance.ChartDefault(sub.path()), List.of());
                dest.children.put(sub.name(), existing);
            } else if (!(existing instanceof MapNode)) {
                throw new InvalidRequestException(Operation.CONFIGURE, null, "the value at " + pointer + " must be a map: it holds"
                        + " the values of subchart '" + sub.path() + "' (Helm: type mismatch on " + sub.name() + ")");
            }
            MapNode subValues = (MapNode) existing;
            coalesceGlobals(subValues, dest, pointer, sub.path());
            coalesce(sub, subValues, pointer);
        }
    }

    /** The parent's globals copied into the subchart's, the parent's winning (maps merged top-down). */
    private void coalesceGlobals(MapNode dest, MapNode src, String at, String subPath) {
        Node dglob = dest.children.get("global");
        Node sglob = src.children.get("global");
        if (dglob != null && !(dglob instanceof MapNode) || sglob != null && !(sglob instanceof MapNode)) {
            return;   // Helm warns and leaves them
        }
        MapNode dg = dglob == null ? new MapNode(sglob == null ? new ValuesProvenance.ChartDefault(subPath) : sglob.source, List.of()) : (MapNode) dglob;
        if (sglob != null) {
            for (Map.Entry<String, Node> e : ((MapNode) sglob).children.entrySet()) {
                Node val = e.getValue();
                Node dv = dg.children.get(e.getKey());
                if (val instanceof MapNode vm) {
                    MapNode vv = vm.copy();
                    if (dv == null) {
                        dg.children.put(e.getKey(), vv);
                    } else if (dv instanceof MapNode dvm) {
                        coalesceTables(vv, dvm, true, at + "/global/" + TracedValues.escape(e.getKey()));
                        dg.children.put(e.getKey(), vv);
                    }
                } else if (!(dv instanceof MapNode)) {
                    Node copy = val.copy();
                    if (dv != null) {
                        copy.overrode.addAll(0, TracedValues.lost(dv));
                    }
                    dg.children.put(e.getKey(), copy);
                }
            }
        }
        dest.children.put("global", dg);
    }

    private void delete(String pointer, Leaf nulled, Node defaulted) {
        List<Source> overrode = new ArrayList<>(TracedValues.lost(defaulted));
        overrode.addAll(nulled.overrode);
        deleted.add(new Origin(pointer, null, nulled.source, overrode, true));
    }
}
