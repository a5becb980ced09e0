package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Values;
import dev.helmsdk.api.ValuesProvenance;
import dev.helmsdk.core.internal.TracedValues.MapNode;
import dev.helmsdk.core.internal.report.HelmDependencies;
import dev.helmsdk.core.internal.values.ValuesFileReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The computed values of a local chart (directory or archive) under {@link Values}, with provenance: the user
 * layers merged as {@link ValuesMerger} merges them (files and maps in order, then assignments), then coalesced
 * with the defaults of the chart and of the subcharts Helm keeps for them ({@link HelmDependencies}: aliases,
 * conditions, tags) as Helm does ({@link TracedCoalesce}). Every file is read as Helm reads it
 * ({@link ValuesFileReader}), the chart's {@code values.yaml} included. Public (in an internal package)
 * for the public entry point in {@code dev.helmsdk.core}.
 */
public final class ValuesProvenanceComputer {

    private static final Operation OP = Operation.CONFIGURE;

    private ValuesProvenanceComputer() {
    }

    /** The computed values of {@code chart} with {@code values}, and where each came from. */
    public static ValuesProvenance compute(Path chart, Values values) {
        MapNode user = new MapNode(new ValuesProvenance.ChartDefault(""), List.of());
        int position = 0;
        for (Values.Layer layer : values.layers()) {
            if (layer instanceof Values.FromFile f) {
                TracedValues.merge(user, ValuesFileReader.read(OP, null, f.path()), new ValuesProvenance.File(f.path()));
            } else {
                TracedValues.merge(user, ((Values.FromMap) layer).values(), new ValuesProvenance.ValuesMap(position));
            }
            position++;
        }
        for (Values.SetValue set : values.sets()) {
            TracedValues.assign(user, set.segments(), set.value(), new ValuesProvenance.Assignment(set.path()),
                    TracedValues.pointer(set.segments()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> given = (Map<String, Object>) user.plain();
        // The subcharts Helm keeps (aliases, conditions, tags) depend on the values given, as the schema check's do.
        return TracedCoalesce.compute(HelmDependencies.loaded(OP, chart, given), user);
    }
}
