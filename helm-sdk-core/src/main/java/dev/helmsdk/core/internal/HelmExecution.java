package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;

import java.time.Duration;

/** Runs Helm calls and turns what fails into the SDK's typed errors; knows how Helm reaches the cluster. */
final class HelmExecution {

    private final NativeHelmCalls helm;
    private final KubeAccess kube;

    HelmExecution(NativeHelmCalls helm, KubeAccess kube) {
        this.helm = helm;
        this.kube = kube;
    }

    /** How Helm reaches the cluster, for calls that talk to it. */
    KubeAccess kube() {
        return kube;
    }

    /** Runs {@code call}; {@code helmTimeout} is what the error says Helm was given, if it times out. */
    HelmCall.Result execute(Operation op, String release, String namespace, Duration helmTimeout, HelmCall call) {
        try {
            return helm.execute(call);
        } catch (RuntimeException e) {
            throw HelmErrors.translate(op, release, namespace, helmTimeout, e);
        }
    }

    /** Runs a change's {@code call}, with Helm's limit and the change's secrets masked in what it reports. */
    HelmCall.Result execute(ChangeContext c, HelmCall call) {
        try {
            return helm.execute(call, c.redactor());
        } catch (RuntimeException e) {
            throw HelmErrors.translate(c.op(), c.release(), c.namespace(), c.helmTimeout(), e, c.redactor());
        }
    }

    /** A limit as Helm's whole-seconds {@code --timeout}: at least 1. */
    static int seconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }
}
