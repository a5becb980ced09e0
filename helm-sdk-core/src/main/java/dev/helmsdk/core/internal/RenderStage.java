package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;

/** Renders the chart with the merged values locally, as {@code helm template}: a template's result. */
final class RenderStage implements ChangeStage {

    private final TemplateRenderer renderer;

    RenderStage(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.kind() == Operation.TEMPLATE;
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        return next.run(c.withResult(renderer.render(c.op(), c.deploy(), c.chart(), c.valuesFile())));
    }
}
