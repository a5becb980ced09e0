package dev.helmsdk.core.internal;

/**
 * Resolves the chart: a local directory or archive is checked where it is, a remote one is
 * downloaded, its digest verified and its archive checked; with {@code verify(keyring)} its
 * provenance too. First, so that a refused chart stops the change before anything reads values or
 * the cluster (dry runs included: Helm's {@code --dry-run --verify} fails as the install would).
 */
final class ResolveChartStage implements ChangeStage {

    private final ChartSource charts;

    ResolveChartStage(ChartSource charts) {
        this.charts = charts;
    }

    @Override
    public boolean appliesTo(ChangeContext c) {
        return c.fromChart();
    }

    @Override
    public ChangeContext run(ChangeContext c, Next next) {
        return next.run(c.withChart(charts.resolve(c.op(), c.release(), c.deploy().chart(), c.deploy().verifyKeyring())));
    }
}
