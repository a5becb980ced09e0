package dev.helmsdk.testkit.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against an {@link dev.helmsdk.testkit.EmbeddedKubernetes} started once for the
 * class and stopped after it. Test methods, constructors and lifecycle methods may take as
 * parameters:
 * <ul>
 *   <li>{@link dev.helmsdk.testkit.EmbeddedKubernetes}: the cluster (request log, failure injection);</li>
 *   <li>{@link io.fabric8.kubernetes.client.KubernetesClient}: a client for it;</li>
 *   <li>{@link dev.helmsdk.api.HelmManager}: a real manager (helm-sdk-core) connected to it, default
 *       namespace {@code default}, shared by the class and closed after it.</li>
 * </ul>
 * <pre>{@code
 * @EmbeddedKubernetesTest
 * class DeployTest {
 *     @Test
 *     void installs(HelmManager helm, KubernetesClient kube) {
 *         helm.install("web").chart(ChartRef.local(Path.of("charts/web"))).waitReady().run();
 *         assertNotNull(kube.apps().deployments().inNamespace("default").withName("web").get());
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EmbeddedKubernetesExtension.class)
public @interface EmbeddedKubernetesTest {
}
