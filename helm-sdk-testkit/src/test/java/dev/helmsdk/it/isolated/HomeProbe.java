package dev.helmsdk.it.isolated;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.ChartLifecycle;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.EmbeddedKubernetes;

import java.nio.file.Path;

/**
 * A program that installs, upgrades, renders and uninstalls a release against the embedded API,
 * with Helm where its first argument says ({@code ISOLATED} or {@code IN_PROCESS}); run by
 * {@link IsolatedHomeDirectoryTest} with a home directory of its own and none of Helm's cache
 * variables set. Arguments: process (or {@code CHARTS}: a fake repository and the chart lifecycle, no cluster),
 * chart directory, work directory.
 */
public final class HomeProbe {

    private HomeProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("CHARTS")) {
            charts(Path.of(args[1]), Path.of(args[2]));
            System.out.println("PROBE-DONE");
            System.exit(0);
        }
        HelmSdk.HelmProcess process = HelmSdk.HelmProcess.valueOf(args[0]);
        ChartRef chart = ChartRef.local(Path.of(args[1]));
        Path work = Path.of(args[2]);
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.builder().workDirectory(work.resolve("cluster")).start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).helmProcess(process)
                     .workDirectory(work.resolve("manager")).build()) {
            helm.install("probe").inNamespace("probe").createNamespace().chart(chart).run();
            helm.upgrade("probe").inNamespace("probe").chart(chart).set("message", "two").run();
            helm.template("probe").chart(chart).run();
            helm.uninstall("probe").inNamespace("probe").run();
        }
        System.out.println("PROBE-DONE");
        System.exit(0);
    }

    /** What a user's chart tests do without a manager: a fake repository (packaging with Helm) and the chart lifecycle. */
    private static void charts(Path chart, Path work) throws Exception {
        java.nio.file.Files.createDirectories(work);
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(chart).start();
             ChartLifecycle charts = HelmSdk.chartLifecycle().chartSources(ChartSources.builder().plainHttp(repo.url().getAuthority()).build())
                     .workDirectory(work.resolve("lifecycle")).build()) {
            charts.packageChart(chart, work.resolve("packaged"));
            charts.pull(ChartRef.repository(repo.url().toString(), "sdk-web", null), work.resolve("pulled"));
        }
    }
}
