package dev.helmsdk.testkit.junit;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link EmbeddedKubernetesTest}; usable directly with
 * {@code @ExtendWith(EmbeddedKubernetesExtension.class)}. One cluster and one manager per test
 * class, kept in JUnit's store so they close when the class is done, even when tests fail.
 */
public final class EmbeddedKubernetesExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EmbeddedKubernetesExtension.class);

    /** Holds what one test class uses; JUnit closes it after the class. */
    private static final class Resources implements AutoCloseable {
        final EmbeddedKubernetes cluster = EmbeddedKubernetes.start();
        private HelmManager manager;

        synchronized HelmManager manager() {
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

    @Override
    public void beforeAll(ExtensionContext context) {
        resources(context);
    }

    private static Resources resources(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NS).getOrComputeIfAbsent(Resources.class, k -> new Resources(), Resources.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedKubernetes.class || type == KubernetesClient.class || type == HelmManager.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Resources r = resources(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == EmbeddedKubernetes.class) {
            return r.cluster;
        }
        if (type == KubernetesClient.class) {
            return r.cluster.client();
        }
        return r.manager();
    }
}
