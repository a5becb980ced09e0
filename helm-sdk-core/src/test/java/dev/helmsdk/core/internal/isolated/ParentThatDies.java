package dev.helmsdk.core.internal.isolated;

import dev.helmsdk.core.internal.HelmCall;

import java.nio.file.Path;

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
                .chart(args[1], null).kube(dev.helmsdk.core.internal.HelmJavaEngine.KubeAccess.ofFile(Path.of(args[2])))
                .timeoutSeconds(300).build()));
        caller.setDaemon(true);
        caller.start();
        while (calls.pids().isEmpty()) {
            Thread.sleep(20);
        }
        System.out.println("CHILD " + calls.pids().get(0));
        System.out.flush();
        Thread.sleep(600_000);
    }
}
