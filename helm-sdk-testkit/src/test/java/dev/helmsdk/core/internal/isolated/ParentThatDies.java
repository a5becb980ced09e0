package dev.helmsdk.core.internal.isolated;

import dev.helmsdk.core.internal.HelmCall;
import org.awaitility.Awaitility;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A JVM that starts an isolated Helm call that never ends (its API server never answers), prints
 * its child's pid, and waits to be killed: the child must not outlive it.
 * Arguments: work directory, chart directory, kubeconfig file.
 */
public final class ParentThatDies {

    private ParentThatDies() {
    }

    public static void main(String[] args) throws Exception {
        ChildProcessHelmCalls calls = new ChildProcessHelmCalls(Path.of(args[0]));
        Thread caller = new Thread(() -> calls.execute(HelmCall.of(HelmCall.Kind.INSTALL, "hang", "default")
                .chart(args[1], null).kube(dev.helmsdk.core.internal.KubeAccess.ofFile(Path.of(args[2])))
                .timeoutSeconds(300).build()));
        caller.setDaemon(true);
        caller.start();
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> !calls.pids().isEmpty());
        System.out.println("CHILD " + calls.pids().get(0));
        System.out.flush();
        Thread.sleep(600_000); // lives until the test kills it: what its child does then is under test
    }
}
