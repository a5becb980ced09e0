/**
 * Test support for helm-sdk users, arranged by what it offers:
 * <ul>
 *   <li>a Kubernetes to deploy to: {@link dev.helmsdk.testkit.EmbeddedKubernetes} (an in-process API
 *       real Helm deploys to, with simulated workloads and {@link dev.helmsdk.testkit.WorkloadFailure}s),
 *       {@link dev.helmsdk.testkit.KubernetesControlPlane} (a real etcd and kube-apiserver), both a
 *       {@link dev.helmsdk.testkit.TestCluster}, and {@link dev.helmsdk.testkit.SilentApiServer} (accepts
 *       connections and never answers, for testing your timeouts);</li>
 *   <li>fake chart sources: {@link dev.helmsdk.testkit.FakeChartRepository} (HTTP repository) and
 *       {@link dev.helmsdk.testkit.FakeOciRegistry} (OCI registry), with authentication and
 *       {@link dev.helmsdk.testkit.RecordedRequest}s;</li>
 *   <li>a fake manager for unit tests: package {@code dev.helmsdk.testkit.fake};</li>
 *   <li>fakes of the SPIs (secret resolver, credential provider): package {@code dev.helmsdk.testkit.spi};</li>
 *   <li>contract suites for your resolver, provider or manager: package {@code dev.helmsdk.testkit.contract};</li>
 *   <li>JUnit 5 extensions that inject all of the above: package {@code dev.helmsdk.testkit.junit}.</li>
 * </ul>
 * Arguments follow the SDK's rule for bad arguments (see the {@code dev.helmsdk.api} package): {@code null}
 * is a {@link java.lang.NullPointerException} naming the parameter unless documented otherwise.
 */
package dev.helmsdk.testkit;
