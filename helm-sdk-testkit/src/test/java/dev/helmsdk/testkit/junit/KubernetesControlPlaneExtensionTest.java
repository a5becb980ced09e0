package dev.helmsdk.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.testkit.KubernetesControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@link KubernetesControlPlaneTest}, seen from JUnit: classes using it are run here through the JUnit
 * Platform launcher, as a build runs them. Without binaries their tests are reported skipped with the
 * install hint (or, with {@code CI=true}, failed); with them, a class and its {@code @Nested} classes get
 * one control plane, injected into {@code @BeforeAll} and test methods, and stopped after the class.
 */
@Tag("integration")
class KubernetesControlPlaneExtensionTest {

    /** What the inner classes saw, by test. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @KubernetesControlPlaneTest
    static class UsesAControlPlane {
        @BeforeAll
        static void before(KubernetesControlPlane cp) {
            SEEN.put("beforeAll", cp);
        }

        @Test
        void outer(KubernetesControlPlane cp, KubernetesClient client, HelmManager helm) {
            SEEN.put("outer", cp);
            SEEN.put("clientIsTheControlPlanes", client == cp.client());
            assertNotNull(client.namespaces().withName("default").get(), "the client reaches the API server");
            assertTrue(helm.list().allNamespaces().run().isEmpty(), "the manager reaches it too");
        }

        @Nested
        class Inner {
            @Test
            void inner(KubernetesControlPlane cp) {
                SEEN.put("inner", cp);
            }
        }
    }

    /** Runs {@code testClass}; the outcome of each test method, by its display name. */
    private static Map<String, TestExecutionResult> run(Class<?> testClass) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                results.put(id.getDisplayName(), result);
            }
        });
        return results;
    }

    @Test
    void oneControlPlanePerClassSharedWithNestedClassesAndStoppedAfterIt() {
        KubernetesControlPlane.unavailableReason().ifPresent(reason -> {
            if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
                org.junit.jupiter.api.Assumptions.abort("Kubernetes control plane unavailable: " + reason);
            }
        });
        SEEN.clear();
        Map<String, TestExecutionResult> results = run(UsesAControlPlane.class);
        results.forEach((name, r) -> assertEquals(TestExecutionResult.Status.SUCCESSFUL, r.getStatus(),
                () -> name + ": " + r.getThrowable().map(Throwable::toString).orElse("")));
        KubernetesControlPlane cp = (KubernetesControlPlane) SEEN.get("beforeAll");
        assertNotNull(cp, "the @BeforeAll method got the control plane");
        assertSame(cp, SEEN.get("outer"));
        assertSame(cp, SEEN.get("inner"), "the @Nested class shares its enclosing class's control plane");
        assertEquals(true, SEEN.get("clientIsTheControlPlanes"), "the KubernetesClient parameter is the control plane's client");
        assertTrue(cp.processes().stream().noneMatch(ProcessHandle::isAlive), "stopped after the class");
    }

    @Test
    void withoutBinariesItsTestsAreSkippedWithTheHintOrFailOnCi(@TempDir Path empty) throws Exception {
        Files.createDirectories(empty);
        String before = System.getProperty("helmsdk.controlplane.bin");
        System.setProperty("helmsdk.controlplane.bin", empty.toString());
        Map<String, TestExecutionResult> results;
        try {
            results = run(UsesAControlPlane.class);
        } finally {
            if (before == null) {
                System.clearProperty("helmsdk.controlplane.bin");
            } else {
                System.setProperty("helmsdk.controlplane.bin", before);
            }
        }
        TestExecutionResult classResult = results.entrySet().stream().filter(e -> e.getKey().endsWith("UsesAControlPlane"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        assertNotNull(classResult, "the class ran: " + results.keySet());
        String why = classResult.getThrowable().map(Throwable::getMessage).orElse("");
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertEquals(TestExecutionResult.Status.FAILED, classResult.getStatus(), why);
        } else {
            assertEquals(TestExecutionResult.Status.ABORTED, classResult.getStatus(), "skipped, not failed: " + why);
        }
        // Binaries in a directory the user named: the reason names it and what it lacks (the hint to build them is for the default search).
        assertTrue(why.contains("Kubernetes control plane") && why.contains(empty.toString()) && why.contains("kube-apiserver"),
                "the reason names what is missing and where: " + why);
    }
}
