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
     * Subcharts are the ones Helm loads for these values: each dependency of {@code Chart.yaml} under its
     * {@code alias}, those its {@code tags} or {@code condition} disable left out (their part of the values is what
     * the parent's values give it, no defaults added), and a chart with dependencies given its merged defaults as
     * Helm gives them; the {@code import-values} entries themselves are not applied.
     *
     * @param chart  a chart directory or {@code .tgz} archive on disk
     * @param values the values, e.g. {@code Values.environment(dir, "prod").set("image.tag", "1.2.3")}
     * @return the computed values and each one's provenance
     * @throws dev.helmsdk.api.InvalidRequestException when the chart or a values file cannot be read, or Helm would
     *                                                 refuse it (not YAML, not a map, not UTF-8, an alias bomb, a chart
     *                                                 without name or version, an entry of {@code charts/} that is no
     *                                                 chart, a truncated archive), naming it; before anything is computed
     */
    public static ValuesProvenance of(Path chart, Values values) {
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(values, "values");
        return ValuesProvenanceComputer.compute(chart, values);
    }
}
