package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.WorkloadFailure;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link KilledDuringReadinessTest}, which kills it with SIGKILL while it waits: upgrades an
 * installed release to pods that never become ready, waiting up to 120 s, with rollbackOnFailure. Args: kubeconfig
 * path, namespace, release, chart directory. Prints {@code UPGRADING} just before the upgrade.
 */
public final class AwaitingReadinessChild {

    private AwaitingReadinessChild() {
    }

    public static void main(String[] args) {
        HelmManager helm = HelmSdk.builder().kubeConfig(Path.of(args[0])).build();
        System.out.println("UPGRADING");
        System.out.flush();
        helm.upgrade(args[2]).inNamespace(args[1]).chart(ChartRef.local(Path.of(args[3])))
                .set("podLabels." + WorkloadFailure.MARKER.replace(".", "\\."), WorkloadFailure.NEVER_READY.markerValue())
                .waitReady(Duration.ofSeconds(120)).rollbackOnFailure().run();
        System.out.println("NOT KILLED");
        System.exit(1);
    }
}
