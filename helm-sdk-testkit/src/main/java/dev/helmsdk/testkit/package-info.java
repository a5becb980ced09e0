/**
 * Test support for helm-sdk users: {@link dev.helmsdk.testkit.EmbeddedKubernetes} (an in-process
 * Kubernetes API real Helm deploys to), {@link dev.helmsdk.testkit.KubernetesControlPlane} (a real one),
 * {@link dev.helmsdk.testkit.FakeChartRepository} and {@link dev.helmsdk.testkit.FakeOciRegistry}.
 * Arguments follow the SDK's rule for bad arguments (see the {@code dev.helmsdk.api} package): {@code null}
 * is a {@link java.lang.NullPointerException} naming the parameter unless documented otherwise.
 */
package dev.helmsdk.testkit;
