package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.core.internal.ValuesMerger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helm's values arithmetic for the fake: the real manager's own ({@link ValuesMerger}: a
 * {@link Values} recipe carried out with files read as Helm reads them, deep merges, the upgrade's
 * values rule, the canonical form comparisons use), plus the immutable copies the fake stores.
 */
public final class ValueMaps {

    private static final ValuesMerger MERGER = new ValuesMerger();

    private ValueMaps() {
    }

    /** The user values {@code values} stands for, or the real manager's error for them. */
    public static Map<String, Object> merge(Operation op, String release, Values values) {
        return MERGER.merge(op, release, values);
    }

    /** The user values an upgrade records ({@link ValuesMerger#valuesToRecord}), as a new map. */
    public static Map<String, Object> toRecord(DeploySpec.Upgrade upgrade, Map<String, Object> requested, Map<String, Object> config) {
        return over(Map.of(), ValuesMerger.valuesToRecord(upgrade, requested, config));
    }

    /** A new map: {@code base} with {@code over} merged deeply on top. */
    public static Map<String, Object> over(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>();
        ValuesMerger.deepMerge(out, base);
        ValuesMerger.deepMerge(out, over);
        return out;
    }

    /** {@code m} without its {@code null} values, at every level; returns {@code m}. */
    public static Map<String, Object> pruneNulls(Map<String, Object> m) {
        ValuesMerger.pruneNulls(m);
        return m;
    }

    /** Sorted keys, numbers by value: what the real comparison compares. */
    public static Object canonical(Object v) {
        return ValuesMerger.canonical(v);
    }

    /** A deep, unmodifiable copy (what the fake stores; reads hand out copies of it). */
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
}
