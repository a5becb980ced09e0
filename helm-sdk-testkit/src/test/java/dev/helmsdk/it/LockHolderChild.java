package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.WorkloadFailure;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link TwoProcessLockContract}: upgrades an installed release to pods that never become
 * ready, waiting 8 s, so it holds the release's Lease for that long and then fails with OperationTimeoutException.
 * Args: kubeconfig path, namespace, release, chart directory. Prints {@code HOLDING} just before the upgrade and
 * {@code DONE <exception simple name or revision>} after it.
 */
public final class LockHolderChild {

    private LockHolderChild() {
    }

    public static void main(String[] args) {
        Path kubeConfig = Path.of(args[0]);
        String namespace = args[1];
        String release = args[2];
        Path chart = Path.of(args[3]);
        String result;
        HelmManager helm = HelmSdk.builder().kubeConfig(kubeConfig).build();
        try {
            System.out.println("HOLDING");
            System.out.flush();
            Release r = helm.upgrade(release).inNamespace(namespace).chart(ChartRef.local(chart))
                    .set("podLabels." + WorkloadFailure.MARKER.replace(".", "\\."), WorkloadFailure.NEVER_READY.markerValue())
                    .waitReady(Duration.ofSeconds(8)).run();
            result = String.valueOf(r.revision());
        } catch (Throwable e) {
            System.out.println("ERROR " + e);
            result = e.getClass().getSimpleName();
        }
        try {
            helm.close();
        } catch (RuntimeException e) {
            System.out.println("CLOSE-FAILED " + e);
        }
        System.out.println("DONE " + result);
        System.out.flush();
        System.exit(0);
    }
}
