package dev.helmsdk.testkit.junit;

import dev.helmsdk.testkit.fake.FakeHelmManager;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * The extension behind {@link FakeHelmManagerTest}; usable directly with
 * {@code @ExtendWith(FakeHelmManagerExtension.class)}. Each test gets a fresh
 * {@link FakeHelmManager} (with the defaults of {@link FakeHelmManager#create()}): as a parameter of
 * type {@code FakeHelmManager}, and in every non-static, non-final field of that type of the test
 * instance (nested classes' outer instances included). The fake lives in the test's own JUnit store,
 * so tests running in parallel never share one.
 */
public final class FakeHelmManagerExtension implements BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FakeHelmManagerExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        FakeHelmManager fake = fake(context);
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        for (Object instance : instances) {
            for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (f.getType() == FakeHelmManager.class && !Modifier.isStatic(m) && !Modifier.isFinal(m)) {
                        f.setAccessible(true);
                        f.set(instance, fake);
                    }
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeHelmManager.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return fake(context);
    }

    /** The test's fake (a constructor or lifecycle method outside a test gets the one of its own context). */
    private static FakeHelmManager fake(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent(FakeHelmManager.class, k -> FakeHelmManager.create(), FakeHelmManager.class);
    }
}
