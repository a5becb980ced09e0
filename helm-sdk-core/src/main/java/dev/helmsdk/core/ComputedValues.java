package dev.helmsdk.core;

import dev.helmsdk.api.Values;
import dev.helmsdk.api.ValuesProvenance;
import dev.helmsdk.core.internal.ValuesProvenanceComputer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The values a local chart renders with, computed in Java as Helm computes them, with the layer that gave each one:
 * for environment layering ({@link Values#environment(Path, String)}) and for answering "why is this value what it
 * is". No cluster, no Helm call, no secret resolved.
 */
public final class ComputedValues {

    private ComputedValues() {
    }

    /**
     * Coalesces {@code values} with the defaults of {@code chart} and of its subcharts (under {@code charts/}),
     * globals included, in Helm's order: the chart's defaults, then the files and maps in order, then the assignments.
     * Subcharts are taken as they are in {@code charts/}: a dependency's {@code condition}, {@code tags},
     * {@code alias} and {@code import-values} are not applied.
     *
     * @param chart  a chart directory or {@code .tgz} archive on disk
     * @param values the values, e.g. {@code Values.environment(dir, "prod").set("image.tag", "1.2.3")}
     * @return the computed values and each one's provenance
     * @throws dev.helmsdk.api.InvalidRequestException when the chart or a values file cannot be read, naming it
     */
    public static ValuesProvenance of(Path chart, Values values) {
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(values, "values");
        return ValuesProvenanceComputer.compute(chart, values);
    }
}
