package dev.helmsdk.testkit.junit;

import dev.helmsdk.testkit.TestCluster;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.function.Supplier;

/** What the cluster extensions share: a cluster per class started before {@code @BeforeAll}, and its parameters. */
abstract class ClusterExtension implements BeforeAllCallback, ParameterResolver {

    private final ExtensionContext.Namespace namespace = ExtensionContext.Namespace.create(getClass());
    private final Class<? extends TestCluster> clusterType;
    private final boolean outermost;
    private final Supplier<? extends TestCluster> start;

    ClusterExtension(Class<? extends TestCluster> clusterType, boolean outermost, Supplier<? extends TestCluster> start) {
        this.clusterType = clusterType;
        this.outermost = outermost;
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        resources(context);
    }

    private ClusterResources resources(ExtensionContext context) {
        return ClusterResources.of(context, namespace, outermost, start);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return ClusterResources.supports(parameter.getParameter().getType(), clusterType);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resources(context).resolve(parameter.getParameter().getType());
    }
}
