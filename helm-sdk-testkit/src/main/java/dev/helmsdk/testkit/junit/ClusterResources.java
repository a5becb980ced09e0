package dev.helmsdk.testkit.junit;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * What one test class of a cluster extension uses: the cluster and, made on first use, a manager for
 * it. Kept in JUnit's store of the class, which closes it after the class (even when tests fail);
 * the store computes it once even when the class's tests run in parallel.
 */
final class ClusterResources implements AutoCloseable {

    private final TestCluster cluster;
    private HelmManager manager;

    private ClusterResources(TestCluster cluster) {
        this.cluster = cluster;
    }

    /**
     * The resources of the class {@code context} belongs to, started by {@code start} on first use.
     *
     * @param outermost whether {@code @Nested} classes share their enclosing class's cluster
     */
    static ClusterResources of(ExtensionContext context, ExtensionContext.Namespace namespace, boolean outermost,
                               Supplier<? extends TestCluster> start) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        while (outermost && classContext.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(namespace).getOrComputeIfAbsent(ClusterResources.class, k -> new ClusterResources(start.get()),
                ClusterResources.class);
    }

    /** Whether {@link #resolve} can give an instance of {@code type}, with {@code clusterType} the extension's cluster. */
    static boolean supports(Class<?> type, Class<? extends TestCluster> clusterType) {
        return type == clusterType || type == KubernetesClient.class || type == HelmManager.class;
    }

    /** The cluster, its client or its manager, by {@code type}. */
    Object resolve(Class<?> type) {
        if (type == KubernetesClient.class) {
            return cluster.client();
        }
        if (type == HelmManager.class) {
            return manager();
        }
        return cluster;
    }

    private synchronized HelmManager manager() {
        if (manager == null) {
            manager = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).defaultNamespace("default").build();
        }
        return manager;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (manager != null) {
                manager.close();
            }
        }
        cluster.close();
    }
}
