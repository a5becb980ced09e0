package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;

/** Renders a chart locally, as {@code helm template}; the cluster is not contacted. */
public final class TemplateRequest extends ChartRequest<TemplateRequest> {

    TemplateRequest(HelmEngine engine, DeploySpec spec) {
        super(engine, Operation.TEMPLATE, spec);
    }

    @Override
    TemplateRequest copy(DeploySpec changed) {
        return new TemplateRequest(engine, changed);
    }

    /** Renders the chart. */
    public RenderedManifest run() {
        return engine.template(requireChart());
    }
}
