package dev.helmsdk.testkit.junit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against a real {@link dev.helmsdk.testkit.KubernetesControlPlane}
 * (kube-apiserver, controller-manager, scheduler, etcd, KWOK), started once for the class and
 * stopped after it: a start costs about 4-5 s and 0.4 GiB, so one per class, shared by its tests
 * and by its {@code @Nested} classes. Where the binaries cannot be found the class is skipped with
 * the install hint; when the environment variable {@code CI} is {@code true} it fails instead, so a
 * CI job cannot pass by skipping. Tagged {@code integration}. Test methods, constructors and
 * lifecycle methods ({@code @BeforeAll} included) may take as parameters:
 * <ul>
 *   <li>{@link dev.helmsdk.testkit.KubernetesControlPlane}: the control plane (restricted
 *       kubeconfig, request log, work directory);</li>
 *   <li>{@link io.fabric8.kubernetes.client.KubernetesClient}: an admin client for it;</li>
 *   <li>{@link dev.helmsdk.api.HelmManager}: a real manager (helm-sdk-core) connected to it, default
 *       namespace {@code default}, shared by the class and closed after it.</li>
 * </ul>
 * The control plane is shared, so tests that run in parallel (JUnit's parallel execution) or in any
 * order keep apart by using namespaces or release names of their own.
 * <pre>{@code
 * @KubernetesControlPlaneTest
 * class QuotaTest {
 *     @Test
 *     void installs(HelmManager helm, KubernetesClient kube) {
 *         helm.install("web").inNamespace("quota-test").createNamespace().chart(ChartRef.local(Path.of("charts/web"))).waitReady().run();
 *         assertNotNull(kube.apps().deployments().inNamespace("quota-test").withName("web").get());
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KubernetesControlPlaneExtension.class)
@Tag("integration")
public @interface KubernetesControlPlaneTest {
}
