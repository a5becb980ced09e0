package dev.helmsdk.testkit.fake.internal;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmOperationException;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.testkit.fake.ChartRenderer;

import java.util.Map;

/**
 * Charts and their rendering for the fake: what a chart reference stands for, and its manifest and
 * notes for given values, through the user's {@link ChartRenderer} when there is one; without one,
 * an empty manifest and no notes.
 */
final class Rendering {

    private static final ChartRenderer.Output NOTHING = new ChartRenderer.Output("", "");

    private final ChartReader charts;
    private final ChartRenderer renderer;

    /** {@code renderer}: {@code null} to render nothing. */
    Rendering(ChartReader charts, ChartRenderer renderer) {
        this.charts = charts;
        this.renderer = renderer;
    }

    boolean renders() {
        return renderer != null;
    }

    ChartReader.Chart chart(Operation op, String release, ChartRef ref) {
        return charts.read(op, release, ref);
    }

    /** Verifies the chart's provenance against {@code keyring}; see {@link ChartReader#verify}. */
    void verify(Operation op, String release, ChartRef ref, java.nio.file.Path keyring) {
        charts.verify(op, release, ref, keyring);
    }

    /** The manifest and notes for the chart's values {@code chartValues} with the user values {@code config} over them. */
    ChartRenderer.Output render(Operation op, ChartRef ref, ChartReader.Chart chart, String release, String namespace,
                                Map<String, Object> chartValues, Map<String, Object> config) {
        if (renderer == null) {
            return NOTHING;
        }
        Map<String, Object> values = ValueMaps.pruneNulls(ValueMaps.over(chartValues, config));
        try {
            ChartRenderer.Output out = renderer.render(new ChartRenderer.Input(chart.location(), release, namespace, values));
            if (out == null) {
                throw new IllegalStateException("the ChartRenderer returned null for chart " + ref.describe());
            }
            return out;
        } catch (HelmSdkException e) {
            throw e;
        } catch (RuntimeException e) {
            String text = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new HelmOperationException(op, release, op.tag() + (release == null ? "" : Changes.where(release, namespace))
                    + " failed: the chart " + ref.describe() + " failed to render: " + text, text, e);
        }
    }
}
