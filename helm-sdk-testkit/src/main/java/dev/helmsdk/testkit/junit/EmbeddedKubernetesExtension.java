package dev.helmsdk.testkit.junit;

import dev.helmsdk.testkit.EmbeddedKubernetes;
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

    @Override
    public void beforeAll(ExtensionContext context) {
        resources(context);
    }

    private static ClusterResources resources(ExtensionContext context) {
        return ClusterResources.of(context, NS, false, EmbeddedKubernetes::start);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return ClusterResources.supports(parameter.getParameter().getType(), EmbeddedKubernetes.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resources(context).resolve(parameter.getParameter().getType());
    }
}
