package dev.helmsdk.testkit.junit;

import dev.helmsdk.testkit.KubernetesControlPlane;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link KubernetesControlPlaneTest}; usable directly with
 * {@code @ExtendWith(KubernetesControlPlaneExtension.class)}. One control plane per top-level test
 * class ({@code @Nested} classes share it), started before the class's {@code @BeforeAll} methods by
 * {@link KubernetesControlPlane#startOrSkip()} (skipped with the install hint where the binaries
 * are missing, failed when {@code CI=true}), and one manager for it made on first use; both kept in
 * JUnit's store so they close when the class is done, even when tests fail.
 */
public final class KubernetesControlPlaneExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KubernetesControlPlaneExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        resources(context);
    }

    private static ClusterResources resources(ExtensionContext context) {
        return ClusterResources.of(context, NS, true, KubernetesControlPlane::startOrSkip);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return ClusterResources.supports(parameter.getParameter().getType(), KubernetesControlPlane.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resources(context).resolve(parameter.getParameter().getType());
    }
}
