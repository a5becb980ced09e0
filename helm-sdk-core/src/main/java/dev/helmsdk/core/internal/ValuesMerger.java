package dev.helmsdk.core.internal;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import dev.helmsdk.core.internal.values.HelmValuesJson;
import dev.helmsdk.core.internal.values.ValuesFileReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges {@link Values} into the one map Helm receives, with Helm's rules: layers (files, maps) in
 * order with maps merged deeply and everything else replaced; then every assignment in order.
 * Files are read as Helm reads them ({@link ValuesFileReader}). Doing it in Java keeps value types
 * exact and reports a malformed file with its name and line before anything reaches the cluster.
 * Public (in an internal package) for the testkit's fake manager, which must merge exactly as this does.
 */
public final class ValuesMerger {

    /** The merged user values. */
    public Map<String, Object> merge(Operation op, String release, Values values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Values.Layer layer : values.layers()) {
            Map<String, Object> next = layer instanceof Values.FromFile f ? ValuesFileReader.read(op, release, f.path())
                    : ((Values.FromMap) layer).values();
            deepMerge(out, next);
        }
        for (Values.SetValue set : values.sets()) {
            apply(out, set.segments(), set.value());
        }
        HelmValuesJson.unrepresentable(out).ifPresent(problem -> {
            throw new InvalidRequestException(op, release, "values cannot be given to Helm: " + problem);
        });
        return out;
    }

    /** Helm's mergeMaps: maps merge recursively, anything else in {@code src} replaces. */
    @SuppressWarnings("unchecked")
    public static void deepMerge(Map<String, Object> dst, Map<String, Object> src) {
        for (Map.Entry<String, Object> e : src.entrySet()) {
            Object mine = dst.get(e.getKey());
            Object theirs = e.getValue();
            if (mine instanceof Map && theirs instanceof Map) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) mine);
                deepMerge(merged, (Map<String, Object>) theirs);
                dst.put(e.getKey(), merged);
            } else {
                dst.put(e.getKey(), copy(theirs));
            }
        }
    }

    /**
     * The user values Helm's upgrade would record, by its rules ({@code action.Upgrade.reuseValues}):
     * reset takes the requested ones; reuse merges them over the revision's; otherwise the
     * requested ones, or the revision's when none are requested.
     */
    public static Map<String, Object> valuesToRecord(dev.helmsdk.api.spi.DeploySpec.Upgrade upgrade, Map<String, Object> requested,
                                                     Map<String, Object> config) {
        if (upgrade.resetValues()) {
            return requested;
        }
        if (upgrade.reuseValues()) {
            Map<String, Object> merged = new LinkedHashMap<>();
            deepMerge(merged, config);
            deepMerge(merged, requested);
            return merged;
        }
        return requested.isEmpty() && !config.isEmpty() ? config : requested;
    }

    /** Removes {@code null} values at every level, as Helm's coalescing of computed values does. */
    @SuppressWarnings("unchecked")
    public static void pruneNulls(Map<String, Object> m) {
        m.values().removeIf(v -> v == null);
        for (Object v : m.values()) {
            if (v instanceof Map) {
                pruneNulls((Map<String, Object>) v);
            }
        }
    }

    /** Maps with sorted keys, numbers by value (Helm turns them all into float64 anyway). */
    @SuppressWarnings("unchecked")
    public static Object canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.TreeMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, canonical(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ValuesMerger::canonical).toList();
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.stripTrailingZeros();
        }
        if (v instanceof java.math.BigInteger i) {
            return new java.math.BigDecimal(i).stripTrailingZeros();
        }
        if (v instanceof Double || v instanceof Float) {
            return new java.math.BigDecimal(v.toString()).stripTrailingZeros();
        }
        if (v instanceof Number n) {
            return java.math.BigDecimal.valueOf(n.longValue()).stripTrailingZeros();
        }
        return v;
    }

    /** A deep copy of a value (maps and lists copied, scalars shared). */
    @SuppressWarnings("unchecked")
    static Object copy(Object v) {
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            deepMerge(m, (Map<String, Object>) v);
            return m;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(copy(o));
            }
            return out;
        }
        return v;
    }

    /** Like {@code --set}: creates maps and lists along the path, extending lists with nulls. */
    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> root, List<Object> path, Object value) {
        Object container = root;
        for (int i = 0; i < path.size(); i++) {
            Object seg = path.get(i);
            boolean last = i == path.size() - 1;
            Object next = last ? null : path.get(i + 1);
            Object fresh = next instanceof Integer ? new ArrayList<>() : new LinkedHashMap<String, Object>();
            if (seg instanceof String key) {
                Map<String, Object> map = (Map<String, Object>) container;
                if (last) {
                    map.put(key, copy(value));
                    return;
                }
                Object child = map.get(key);
                if (!(next instanceof Integer ? child instanceof List : child instanceof Map)) {
                    child = fresh;
                    map.put(key, child);
                } else if (child instanceof List<?> l) {
                    child = new ArrayList<>(l);
                    map.put(key, child);
                }
                container = child;
            } else {
                int index = (Integer) seg;
                List<Object> list = (List<Object>) container;
                while (list.size() <= index) {
                    list.add(null);
                }
                if (last) {
                    list.set(index, copy(value));
                    return;
                }
                Object child = list.get(index);
                if (!(next instanceof Integer ? child instanceof List : child instanceof Map)) {
                    child = fresh;
                    list.set(index, child);
                }
                container = child;
            }
        }
    }
}
