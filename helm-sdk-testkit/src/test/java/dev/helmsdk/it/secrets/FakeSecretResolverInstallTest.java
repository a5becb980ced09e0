package dev.helmsdk.it.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import dev.helmsdk.testkit.spi.FakeSecretResolver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A {@link FakeSecretResolver} given to a real manager (defaults) installing podinfo on the embedded API: the
 * value reaches the Deployment, the fake recorded what the SDK asked with the operation, release and namespace,
 * and a failure configured on it fails the upgrade before anything changes.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class FakeSecretResolverInstallTest {

    @Test
    void theFakesValueIsDeployedAndItsRequestsSayWhoAsked(EmbeddedKubernetes cluster) {
        FakeSecretResolver fake = FakeSecretResolver.of("fake").withSecret("shop/db", Map.of("password", "fake-deployed-pw-77"));
        ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).secretResolver(fake).build()) {
            helm.install("web").inNamespace("fakes").createNamespace().chart(podinfo)
                    .set("ui.message", "ref+fake://shop/db#/password").run();
            assertEquals("fake-deployed-pw-77", PodinfoEnv.get(cluster.client(), "fakes", "web", "PODINFO_UI_MESSAGE"));
            FakeSecretResolver.Request asked = fake.requests().get(0);
            assertEquals(List.of("ref+fake://shop/db#/password"), fake.requestedReferences());
            assertEquals(Operation.INSTALL, asked.operation());
            assertEquals(Optional.of("web"), asked.releaseName());
            assertEquals(Optional.of("fakes"), asked.namespace());

            fake.failing("ref+fake://shop/db", Reason.UNREACHABLE);
            SecretResolutionException down = assertThrows(SecretResolutionException.class,
                    () -> helm.upgrade("web").inNamespace("fakes").chart(podinfo).reuseValues().set("replicaCount", 2).run());
            assertEquals(Reason.UNREACHABLE, down.reason());
            assertEquals(1, helm.status("web").inNamespace("fakes").run().revision(), "no revision was written");
            assertEquals(Operation.UPGRADE, fake.requests().get(1).operation());
            assertEquals(1, cluster.client().apps().deployments().inNamespace("fakes").withName("web-podinfo").get().getSpec().getReplicas(),
                    "the Deployment was not scaled");
        }
    }
}
