package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;

import java.nio.file.Path;

/** Run in a child JVM by {@link ShutdownTest}: installs and upgrades a release, then waits to be killed. */
public final class SigtermChild {

    private SigtermChild() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("HOOK-RAN")));
        EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
        HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build();
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
        helm.install("sig").chart(ChartRef.local(Path.of(args[0]))).run();
        helm.upgrade("sig").chart(ChartRef.local(Path.of(args[0]))).set("message", "again").run();
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(30_000); // lives until the test sends SIGTERM: how it ends is under test
        System.out.println("NOT-KILLED");
    }
}
