package dev.helmsdk.it.isolated;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;

import java.nio.file.Path;

/**
 * A program that installs, upgrades, renders and uninstalls a release against the embedded API,
 * with Helm where its first argument says ({@code ISOLATED} or {@code IN_PROCESS}); run by
 * {@link IsolatedHomeDirectoryTest} with a home directory of its own and none of Helm's cache
 * variables set. Arguments: process, chart directory, work directory.
 */
public final class HomeProbe {

    private HomeProbe() {
    }

    public static void main(String[] args) {
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
}
