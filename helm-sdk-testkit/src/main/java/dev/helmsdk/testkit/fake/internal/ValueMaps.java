package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import dev.helmsdk.core.internal.values.ValuesFileReader;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Helm's values arithmetic, in memory: a {@link Values} recipe carried out (files read exactly as
 * the real manager reads them), deep merges, and the canonical form comparisons use.
 */
public final class ValueMaps {

    private ValueMaps() {
    }

    /** The user values {@code values} stands for: layers merged deeply in order, then every assignment. */
    public static Map<String, Object> merge(Operation op, String release, Values values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Values.Layer layer : values.layers()) {
            deepMerge(out, layer instanceof Values.FromFile f ? ValuesFileReader.read(op, release, f.path())
                    : ((Values.FromMap) layer).values());
        }
        for (Values.SetValue set : values.sets()) {
            apply(out, set.segments(), set.value());
        }
        return out;
    }

    /**
     * The user values Helm's upgrade records ({@code action.Upgrade.reuseValues}), as the real
     * manager computes them: reset takes the requested ones; reuse merges them over the revision's;
     * otherwise the requested ones, or the revision's when none are requested.
     */
    public static Map<String, Object> toRecord(dev.helmsdk.api.spi.DeploySpec.Upgrade upgrade, Map<String, Object> requested,
                                               Map<String, Object> config) {
        if (upgrade.resetValues()) {
            return requested;
        }
        if (upgrade.reuseValues()) {
            return over(config, requested);
        }
        return requested.isEmpty() && !config.isEmpty() ? over(Map.of(), config) : requested;
    }

    /** A new map: {@code base} with {@code over} merged deeply on top. */
    public static Map<String, Object> over(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>();
        deepMerge(out, base);
        deepMerge(out, over);
        return out;
    }

    /** Helm's mergeMaps: maps merge recursively, anything else in {@code src} replaces. */
    @SuppressWarnings("unchecked")
    static void deepMerge(Map<String, Object> dst, Map<String, Object> src) {
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

    /** A deep, unmodifiable copy (what the fake stores and hands out). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> frozen(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, freeze(v)));
        return Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Object freeze(Object v) {
        if (v instanceof Map<?, ?> m) {
            return frozen((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ValueMaps::freeze).toList();
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Object copy(Object v) {
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            deepMerge(m, (Map<String, Object>) v);
            return m;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(o -> out.add(copy(o)));
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
                } else {
                    child = copy(child);
                }
                map.put(key, child);
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

    /** Removes {@code null} values at every level, as Helm's coalescing does with the chart's defaults. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> pruneNulls(Map<String, Object> m) {
        m.values().removeIf(v -> v == null);
        for (Object v : m.values()) {
            if (v instanceof Map) {
                pruneNulls((Map<String, Object>) v);
            }
        }
        return m;
    }

    /** Maps with sorted keys, numbers by value: key order and number spelling do not count, as in the real comparison. */
    @SuppressWarnings("unchecked")
    public static Object canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, canonical(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(ValueMaps::canonical).toList();
        }
        if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros();
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i).stripTrailingZeros();
        }
        if (v instanceof Double || v instanceof Float) {
            return new BigDecimal(v.toString()).stripTrailingZeros();
        }
        if (v instanceof Number n) {
            return BigDecimal.valueOf(n.longValue()).stripTrailingZeros();
        }
        return v;
    }
}
