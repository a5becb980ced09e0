package dev.helmsdk.core.internal.advisor;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.NeedsUpgradeRequest;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.UpgradeRequest;
import dev.helmsdk.core.advisor.AdvisorReport;
import dev.helmsdk.core.advisor.ReleaseAdvice;
import dev.helmsdk.core.advisor.UpgradeRun;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code UpgradeAdvisor.upgrade(report)}: every advised upgrade checked against the advisor's own sources and turned
 * into its requests before the first runs, so a report from another advisor, or one made by hand, that this advisor
 * cannot carry out is refused as a whole (naming the release and why) instead of failing half-way; then each runs in
 * report order, halting on the first failure. Public (in an internal package) for {@code UpgradeAdvisor}.
 */
public final class AdvisedUpgrades {

    /** One advised upgrade, its requests built (their names checked) and not yet run. */
    private record Planned(ReleaseAdvice advice, NeedsUpgradeRequest check, UpgradeRequest upgrade) {
    }

    private AdvisedUpgrades() {
    }

    /**
     * Opens the upgrades {@code report} advises, with {@code helm} (so as its actor, for a {@code withActor} view).
     *
     * @param sources the advisor's sources by chart name
     * @throws InvalidRequestException before any upgrade, when an advised release names a chart this advisor maps to no
     *                                 source or to another one than the report's, no version, or a bad release or namespace
     */
    public static UpgradeRun run(HelmManager helm, Map<String, ChartRef> sources, AdvisorReport report) {
        List<ReleaseAdvice> todo = report.upgradable();
        List<Planned> plan = new ArrayList<>();
        for (ReleaseAdvice a : todo) {
            ChartRef target = Advising.at(source(sources, a), a.newestAllowed());
            plan.add(new Planned(a, helm.needsUpgrade(a.release()).inNamespace(a.namespace()).chart(target).reuseValues(),
                    helm.upgrade(a.release()).inNamespace(a.namespace()).chart(target).reuseValues()));
        }
        List<Release> upgraded = new ArrayList<>();
        List<ReleaseAdvice> skipped = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            try {
                if (!p.check().run().needed()) {
                    skipped.add(p.advice());
                    continue;
                }
                upgraded.add(p.upgrade().run());
            } catch (HelmSdkException e) {
                return new UpgradeRun(upgraded, skipped, Optional.of(new UpgradeRun.Failure(p.advice(), e)), todo.subList(i + 1, todo.size()));
            }
        }
        return new UpgradeRun(upgraded, skipped, Optional.empty(), List.of());
    }

    /** This advisor's source for the advised release: the one the report says it was advised from. */
    private static ChartRef source(Map<String, ChartRef> sources, ReleaseAdvice a) {
        String release = "release '" + a.release() + "' in namespace '" + a.namespace() + "'";
        ChartRef source = sources.get(a.chart());
        if (source == null) {
            throw new InvalidRequestException(Operation.UPGRADE, a.release(), release + " is advised an upgrade of chart '" + a.chart()
                    + "', which this advisor maps to no source" + (a.source().isEmpty() ? "" : " (the report's: " + a.source() + ")")
                    + "; nothing was upgraded: upgrade with the advisor whose check() made the report, or map the chart with chart(\""
                    + a.chart() + "\", ...)");
        }
        if (!source.describe().equals(a.source())) {
            throw new InvalidRequestException(Operation.UPGRADE, a.release(), release + " was advised from " + (a.source().isEmpty()
                    ? "no source" : a.source()) + ", but this advisor maps chart '" + a.chart() + "' to " + source.describe()
                    + "; nothing was upgraded: upgrade with the advisor whose check() made the report");
        }
        if (a.newestAllowed().isBlank()) {
            throw new InvalidRequestException(Operation.UPGRADE, a.release(), release + " is advised an upgrade (UPGRADE_AVAILABLE) to no"
                    + " version (newestAllowed is empty); nothing was upgraded: give the version, or run check() again");
        }
        return source;
    }
}
