package dev.helmsdk.secrets;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.helmsdk.secrets.EnvSubstResolverTest.CONTEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KubernetesResolver} against fabric8's mock API server (named a mock: it answers what each
 * test tells it), for the grammar and for what each kind of failed request becomes. The real API
 * server's answers (RBAC, 404s) are tested in the testkit (K8sResolverControlPlaneTest).
 */
@EnableKubernetesMockClient
class KubernetesResolverTest {

    static final String SECRET = "CANARY-k8s-d41f";

    KubernetesMockServer server;
    KubernetesClient client;

    private final KubernetesResolver resolver = new KubernetesResolver();

    private SecretContext connected() {
        // The mock's client, without fabric8's retries of 5xx answers (the manager's connection is the user's to configure).
        KubernetesClient noRetries = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        return new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofSeconds(5), List.of(noRetries));
    }

    private Object resolve(String ref) {
        return resolver.resolve(SecretReference.parse(ref), connected());
    }

    private SecretResolutionException fails(String ref, SecretContext context) {
        return assertThrows(SecretResolutionException.class, () -> resolver.resolve(SecretReference.parse(ref), context));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSecretKeyIsDecodedAndAConfigMapKeyReadAsIs() {
        server.expect().get().withPath("/api/v1/namespaces/apps/secrets/db").andReturn(200, new SecretBuilder().withNewMetadata()
                .withName("db").endMetadata().withData(Map.of("password", b64(SECRET), "empty", "")).build()).always();
        server.expect().get().withPath("/api/v1/namespaces/apps/configmaps/cfg").andReturn(200, new ConfigMapBuilder().withNewMetadata()
                .withName("cfg").endMetadata().withData(Map.of("color", "blue")).withBinaryData(Map.of("bin", b64("été"))).build()).always();
        assertEquals(SECRET, resolve("ref+k8s://v1/Secret/apps/db/password"));
        assertEquals("", resolve("ref+k8s://v1/Secret/apps/db/empty"), "a key with an empty value is there");
        assertEquals("blue", resolve("ref+k8s://v1/ConfigMap/apps/cfg/color"));
        assertEquals("été", resolve("ref+k8s://v1/ConfigMap/apps/cfg/bin"));
        assertEquals(SECRET, resolve("ref+k8s://v1/Secret/apps/db#/password"), "the whole data, a fragment selecting from it");
        assertEquals(Map.of("password", SECRET, "empty", ""), resolve("ref+k8s://v1/Secret/apps/db"));

        SecretResolutionException missing = fails("ref+k8s://v1/Secret/apps/db/user", connected());
        assertEquals(Reason.MISSING_KEY, missing.reason());
        assertTrue(missing.getMessage().contains("Secret apps/db has no key 'user'"), missing.getMessage());
        assertFalse(missing.getMessage().contains("password") || missing.getMessage().contains(SECRET), "no key listed: " + missing.getMessage());
        assertEquals(Reason.MISSING_KEY, fails("ref+k8s://v1/Secret/apps/db#/user", connected()).reason());
    }

    @Test
    void failuresMapToTheirReasons() {
        server.expect().get().withPath("/api/v1/namespaces/apps/secrets/gone").andReturn(404,
                new StatusBuilder().withCode(404).withReason("NotFound").build()).always();
        server.expect().get().withPath("/api/v1/namespaces/apps/secrets/rbac").andReturn(403,
                new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("secrets \"rbac\" is forbidden").build()).always();
        server.expect().get().withPath("/api/v1/namespaces/apps/secrets/broken").andReturn(503, "overloaded").always();
        SecretResolutionException gone = fails("ref+k8s://v1/Secret/apps/gone/k", connected());
        assertEquals(Reason.NOT_FOUND, gone.reason());
        assertTrue(gone.getMessage().contains("no Secret apps/gone"), gone.getMessage());
        SecretResolutionException denied = fails("ref+k8s://v1/Secret/apps/rbac/k", connected());
        assertEquals(Reason.DENIED, denied.reason());
        assertTrue(denied.getMessage().contains("HTTP 403") && denied.getMessage().contains("ref+k8s://v1/Secret/apps/rbac/k"), denied.getMessage());
        assertEquals(Reason.UNREACHABLE, fails("ref+k8s://v1/Secret/apps/broken/k", connected()).reason());
        assertTrue(fails("ref+k8s://v1/Secret/apps/broken/k", connected()).retryable());
    }

    @Test
    void aRefusedConnectionIsUnreachableAndASilentServerATimeout() throws IOException {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        try (KubernetesClient refused = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + free)
                .withRequestRetryBackoffLimit(0).build()).build()) {
            SecretContext context = new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofSeconds(5), List.of(refused));
            SecretResolutionException e = fails("ref+k8s://v1/Secret/apps/db/password", context);
            assertEquals(Reason.UNREACHABLE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("could not be reached"), e.getMessage());
        }
        try (ServerSocket silent = new ServerSocket(0);
             KubernetesClient waiting = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                     .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort()).withRequestTimeout(300).withRequestRetryBackoffLimit(0).build()).build()) {
            SecretContext context = new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ofSeconds(5), List.of(waiting));
            long start = System.nanoTime();
            SecretResolutionException e = fails("ref+k8s://v1/Secret/apps/db/password", context);
            assertEquals(Reason.TIMEOUT, e.reason(), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000, "the request ended at its timeout");
        }
        assertEquals(Reason.TIMEOUT, fails("ref+k8s://v1/Secret/apps/db/password?kubeConfigPath=" + kubeconfig(free),
                new SecretContext(Operation.INSTALL, "web", "apps", () -> Duration.ZERO)).reason(), "no time left: nothing is sent");
    }

    private Path kubeconfig(int port) throws IOException {
        return kubeconfig("http://127.0.0.1:" + port);
    }

    private Path kubeconfig(String url) throws IOException {
        Path file = dir.resolve("kubeconfig-" + url.hashCode());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: one
                  context: {cluster: c, user: u}
                - name: two
                  context: {cluster: c, user: u, namespace: x}
                current-context: one
                """.formatted(url));
        return file;
    }

    @TempDir
    Path dir;

    @Test
    void aKubeContextReadsThroughItsOwnClientBuiltOnce() throws IOException {
        server.expect().get().withPath("/api/v1/namespaces/apps/configmaps/cfg").andReturn(200, new ConfigMapBuilder().withNewMetadata()
                .withName("cfg").endMetadata().withData(Map.of("color", "blue")).build()).always();
        Path file = kubeconfig(client.getMasterUrl().toString());
        SecretContext noConnection = CONTEXT;
        assertEquals("blue", resolver.resolve(SecretReference.parse("ref+k8s://v1/ConfigMap/apps/cfg/color?kubeConfigPath=" + file
                + "&kubeContext=two"), noConnection));
        assertEquals("blue", resolver.resolve(SecretReference.parse("ref+k8s://v1/ConfigMap/apps/cfg/color?kubeConfigPath=" + file), noConnection));
        SecretResolutionException noSuchContext = fails("ref+k8s://v1/ConfigMap/apps/cfg/color?kubeConfigPath=" + file + "&kubeContext=three", noConnection);
        assertEquals(Reason.INVALID_REFERENCE, noSuchContext.reason());
        assertTrue(noSuchContext.getMessage().contains("no context 'three'"), noSuchContext.getMessage());
        assertEquals(Reason.INVALID_REFERENCE, fails("ref+k8s://v1/ConfigMap/apps/cfg/color?kubeConfigPath=" + dir.resolve("none"), noConnection).reason());
        resolver.close();
        assertThrows(IllegalStateException.class, () -> resolver.resolve(SecretReference.parse("ref+k8s://v1/ConfigMap/apps/cfg/color?kubeConfigPath="
                + file), noConnection), "closed: its clients are gone");
    }

    @Test
    void badReferencesAreInvalidBeforeAnyRequest() {
        for (String bad : List.of("ref+k8s://v1/Secret/apps", "ref+k8s://v2/Secret/apps/db/k", "ref+k8s://v1/Pod/apps/db/k",
                "ref+k8s://v1/Secret//db/k", "ref+k8s://v1/Secret/apps/db/", "ref+k8s://v1/Secret/apps/db/k/more",
                "ref+k8s://v1/Secret/apps/db/k#/k", "ref+k8s://v1/Secret/apps/db/k?inCluster", "ref+k8s://v1/Secret/apps/db/k?kubeContext=")) {
            SecretResolutionException e = fails(bad, connected());
            assertEquals(Reason.INVALID_REFERENCE, e.reason(), bad + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(SecretReference.parse(bad).text()), e.getMessage());
        }
        assertTrue(fails("ref+k8s://v1/Secret/apps/db/k?inCluster", connected()).getMessage().contains("manager's own connection"));
        SecretResolutionException none = fails("ref+k8s://v1/Secret/apps/db/k", CONTEXT);
        assertEquals(Reason.INVALID_REFERENCE, none.reason());
        assertTrue(none.getMessage().contains("no cluster connection") && none.getMessage().contains("?kubeContext="), none.getMessage());
    }
}
