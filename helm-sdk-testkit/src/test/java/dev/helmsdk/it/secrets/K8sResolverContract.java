package dev.helmsdk.it.secrets;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Operation;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.secrets.KubernetesResolver;
import dev.helmsdk.testkit.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ref+k8s://} on a cluster: the podinfo chart installed with a password from a Secret and a
 * colour from a ConfigMap, found in the Deployment in the cluster; missing objects and keys fail
 * the install before anything reaches the cluster; {@code ?kubeContext=} reads through that
 * kubeconfig context. Run on the embedded API and on the real control plane (which adds RBAC).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
abstract class K8sResolverContract {

    static final String SECRET = "CANARY-k8s-ref-5e0a";
    static final String NS = "k8sref";
    static final ChartRef PODINFO = ChartRef.local(TestCharts.podinfo());

    TestCluster cluster;
    KubernetesClient kube;
    HelmManager helm;

    abstract TestCluster startCluster();

    @BeforeAll
    void start() {
        cluster = startCluster();
        kube = cluster.client();
        // The ServiceLoader's resolvers, as a user adding helm-sdk-secrets gets them.
        helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build();
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        kube.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .addToStringData("password", SECRET).addToStringData("user", "app").build()).create();
        kube.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("ui").endMetadata()
                .addToData("color", "#c0ffee").build()).create();
    }

    @AfterAll
    void stop() {
        if (helm != null) {
            helm.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }


    static SecretContext unconnected() {
        return new SecretContext(Operation.INSTALL, "web", NS, () -> Duration.ofSeconds(20));
    }

    static SecretResolutionException fails(KubernetesResolver resolver, String ref, SecretContext context) {
        return assertThrows(SecretResolutionException.class, () -> resolver.resolve(SecretReference.parse(ref), context));
    }

    @Test
    void podinfoGetsASecretAndAConfigMapKeyThroughTheManagersConnection() {
        Release installed = helm.install("web").inNamespace(NS).chart(PODINFO)
                .set("ui.message", "ref+k8s://v1/Secret/" + NS + "/db/password")
                .set("ui.color", "ref+k8s://v1/ConfigMap/" + NS + "/ui/color").run();
        Map<String, String> env = PodinfoEnv.of(kube.apps().deployments().inNamespace(NS).withName("web-podinfo").get());
        assertEquals(SECRET, env.get("PODINFO_UI_MESSAGE"), "the Secret's key, decoded");
        assertEquals("#c0ffee", env.get("PODINFO_UI_COLOR"));
        assertFalse(installed.toString().contains(SECRET), installed.toString());
    }

    @Test
    void aMissingObjectOrKeyFailsTheInstallBeforeTheCluster() {
        Map<String, Reason> cases = Map.of(
                "ref+k8s://v1/Secret/" + NS + "/db/token", Reason.MISSING_KEY,
                "ref+k8s://v1/ConfigMap/" + NS + "/ui/logo", Reason.MISSING_KEY,
                "ref+k8s://v1/Secret/" + NS + "/nope/password", Reason.NOT_FOUND,
                "ref+k8s://v1/Secret/no-such-namespace/db/password", Reason.NOT_FOUND);
        cases.forEach((ref, reason) -> {
            SecretResolutionException e = assertThrows(SecretResolutionException.class,
                    () -> helm.install("broken").inNamespace(NS).chart(PODINFO).set("ui.message", ref).run());
            assertEquals(reason, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(ref), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        });
        String noToken = assertThrows(SecretResolutionException.class, () -> helm.install("broken").inNamespace(NS).chart(PODINFO)
                .set("ui.message", "ref+k8s://v1/Secret/" + NS + "/db/token").run()).getMessage();
        assertTrue(noToken.contains("has no key 'token'"), noToken);
        assertFalse(noToken.contains("password") || noToken.contains("user"), "the keys there are are not listed: " + noToken);
        assertTrue(helm.exists("broken").inNamespace(NS).run().isEmpty(), "nothing reached the cluster");
        assertTrue(kube.apps().deployments().inNamespace(NS).withName("broken-podinfo").get() == null);
    }

    @Test
    void aKubeContextReadsThroughThatContextOfTheKubeconfig() {
        Path file = cluster.kubeConfigPath();
        String context = Config.fromKubeconfig(null, file.toFile()).getCurrentContext().getName();
        try (KubernetesResolver resolver = new KubernetesResolver()) {
            String ref = "ref+k8s://v1/Secret/" + NS + "/db/password?kubeConfigPath=" + file + "&kubeContext=" + context;
            assertEquals(SECRET, resolver.resolve(SecretReference.parse(ref), unconnected()), "no manager connection needed");
            assertEquals(Map.of("password", SECRET, "user", "app"), resolver.resolve(SecretReference.parse(
                    "ref+k8s://v1/Secret/" + NS + "/db?kubeConfigPath=" + file + "&kubeContext=" + context), unconnected()));
            SecretResolutionException wrong = fails(resolver, "ref+k8s://v1/Secret/" + NS + "/db/password?kubeConfigPath=" + file
                    + "&kubeContext=elsewhere", unconnected());
            assertEquals(Reason.INVALID_REFERENCE, wrong.reason());
            assertTrue(wrong.getMessage().contains("no context 'elsewhere'"), wrong.getMessage());
            assertEquals(Reason.INVALID_REFERENCE, fails(resolver, "ref+k8s://v1/Secret/" + NS + "/db/password", unconnected()).reason(),
                    "no connection and no context");
        }
        // Through a manager: its own connection is not used when the reference names a context.
        helm.install("ctx").inNamespace(NS).chart(PODINFO).set("ui.message", "ref+k8s://v1/ConfigMap/" + NS + "/ui/color?kubeConfigPath="
                + file + "&kubeContext=" + context).run();
        assertEquals("#c0ffee", PodinfoEnv.of(kube.apps().deployments().inNamespace(NS).withName("ctx-podinfo").get()).get("PODINFO_UI_MESSAGE"));
    }
}
