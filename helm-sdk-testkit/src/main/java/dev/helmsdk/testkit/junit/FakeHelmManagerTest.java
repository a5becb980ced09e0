package dev.helmsdk.testkit.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class whose tests each get a fresh {@link dev.helmsdk.testkit.fake.FakeHelmManager}, as a
 * parameter or in a field of that type (see {@link FakeHelmManagerExtension}):
 * <pre>{@code
 * @FakeHelmManagerTest
 * class ReconcilerTest {
 *     FakeHelmManager helm;
 *
 *     @Test
 *     void installs() {
 *         helm.install("web").chart(ChartRef.local(Path.of("charts/web"))).run();
 *         helm.assertThat().ran(Operation.INSTALL, "web").succeeded();
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(FakeHelmManagerExtension.class)
public @interface FakeHelmManagerTest {
}
