package dev.helmsdk.testkit.junit;

import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.testkit.fake.FakeHelmManager;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Each test, parallel ones included, gets its own fresh fake, in its fields and parameters alike. */
@FakeHelmManagerTest
@Execution(ExecutionMode.CONCURRENT)
class FakeHelmManagerExtensionTest {

    FakeHelmManager helm;

    static dev.helmsdk.api.ChartRef web() {
        try {
            return dev.helmsdk.api.ChartRef.local(Path.of(FakeHelmManagerExtensionTest.class.getResource("/charts/sdk-web/Chart.yaml").toURI()).getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @RepeatedTest(20)
    void eachTestStartsEmpty(FakeHelmManager parameter) {
        assertSame(helm, parameter, "the field and the parameter are the same fake");
        assertEquals(Optional.empty(), helm.exists("web").run(), "nothing left from another test");
        assertEquals(ReleaseStatus.DEPLOYED, helm.install("web").chart(web()).run().status());
        assertEquals(1, helm.calls().size() - 1, "only this test's calls");
    }

    @Nested
    class Inner {
        FakeHelmManager inner;

        @Test
        void nestedClassesGetTheSameFakeAsTheirOuterInstance() {
            assertSame(helm, inner);
            assertEquals(Optional.empty(), inner.exists("web").run());
        }
    }
}
