package dev.helmsdk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialResolutionException;
import dev.helmsdk.api.auth.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesSecretCredentialProviderTest {

    static final String PW = "S3CRET-canary-pw";
    static final CredentialContext CTX = CredentialContext.of(Operation.INSTALL);

    KubernetesClient client;

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    void secret(String name, String type, Map<String, String> plain) {
        Map<String, String> data = new java.util.LinkedHashMap<>();
        plain.forEach((k, v) -> data.put(k, b64(v)));
        Secret s = new SecretBuilder().withNewMetadata().withName(name).withNamespace("creds").endMetadata()
                .withType(type).withData(data).build();
        client.secrets().inNamespace("creds").resource(s).createOr(r -> r.update());
    }

    @Test
    void basicAuthSecretAndRotation() {
        secret("basic", "kubernetes.io/basic-auth", Map.of("username", "alice", "password", PW));
        KubernetesSecretCredentialProvider p = KubernetesSecretCredentialProvider.builder(client)
                .secret(URI.create("oci://registry.example.com/charts"), "creds", "basic").build();
        URI repo = URI.create("oci://registry.example.com/charts/app");
        assertEquals(new Credentials.BasicAuth("alice", PW), p.resolve(repo, CTX).orElseThrow().methods().get(0));
        secret("basic", "kubernetes.io/basic-auth", Map.of("username", "alice", "password", "rotated-pw"));
        assertEquals(new Credentials.BasicAuth("alice", "rotated-pw"), p.resolve(repo, CTX).orElseThrow().methods().get(0));
        assertTrue(p.resolve(URI.create("oci://registry.example.com/other"), CTX).isEmpty());
    }

    @Test
    void tlsSecret() {
        secret("tls", "kubernetes.io/tls", Map.of("tls.crt", "-----BEGIN CERTIFICATE-----", "tls.key", "KEY" + PW));
        KubernetesSecretCredentialProvider p = KubernetesSecretCredentialProvider.builder(client)
                .secret(URI.create("https://charts.example.com"), "creds", "tls").build();
        Credentials c = p.resolve(URI.create("https://charts.example.com/stable"), CTX).orElseThrow().methods().get(0);
        assertEquals(new Credentials.ClientCertificate("-----BEGIN CERTIFICATE-----", "KEY" + PW), c);
    }

    @Test
    void dockerConfigJsonSecretMatchesHost() {
        String json = "{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"" + b64("robot:" + PW) + "\"}}}";
        secret("pull", "kubernetes.io/dockerconfigjson", Map.of(".dockerconfigjson", json));
        KubernetesSecretCredentialProvider p = KubernetesSecretCredentialProvider.builder(client)
                .secret(URI.create("oci://registry.example.com:5000"), "creds", "pull")
                .secret(URI.create("oci://elsewhere.example.com"), "creds", "pull").build();
        assertEquals(new Credentials.BasicAuth("robot", PW),
                p.resolve(URI.create("oci://registry.example.com:5000/c"), CTX).orElseThrow().methods().get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> p.resolve(URI.create("oci://elsewhere.example.com/c"), CTX));
        assertTrue(e.getMessage().contains("has no entry for elsewhere.example.com"), e.getMessage());
        assertFalse(e.getMessage().contains(PW));
    }

    @Test
    void opaqueSecretWithNamedKeys() {
        secret("opaque", "Opaque", Map.of("user", "carol", "pass", PW, "unrelated", "x"));
        KubernetesSecretCredentialProvider p = KubernetesSecretCredentialProvider.builder(client)
                .secret(URI.create("https://charts.example.com"), "creds", "opaque",
                        new SecretKeys("user", "pass", "tok", "crt", "key", "ca"))
                .secret(URI.create("https://defaults.example.com"), "creds", "opaque").build();
        assertEquals(new Credentials.BasicAuth("carol", PW), p.resolve(URI.create("https://charts.example.com"), CTX).orElseThrow().methods().get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.resolve(URI.create("https://defaults.example.com"), CTX));
        assertTrue(e.getMessage().contains("keys present: pass, unrelated, user"), e.getMessage());
        assertFalse(e.getMessage().contains(PW));
    }

    @Test
    void missingSecretIsAReasonInTheChain() {
        KubernetesSecretCredentialProvider p = KubernetesSecretCredentialProvider.builder(client)
                .secret(URI.create("https://charts.example.com"), "creds", "absent").build();
        CredentialChain chain = CredentialChain.builder().discover(false).add(p).build();
        CredentialResolutionException e = assertThrows(CredentialResolutionException.class,
                () -> chain.require(URI.create("https://charts.example.com"), CTX));
        assertTrue(e.getMessage().contains("kubernetes-secret: failed: Secret creds/absent does not exist"), e.getMessage());
        assertEquals(Operation.INSTALL, e.operation());
    }

    /**
     * Built with a client (the README's way), the Secret's read ends within the time its operation has left: against
     * an API server that accepts the connection and never answers, fabric8 would wait its own 10 s (and retry).
     */
    @Test
    void aReadEndsWithinTheTimeItsOperationHasLeft() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             KubernetesClient toSilent = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                     new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
                             .build()).build()) {
            java.util.List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // closed
                }
            });
            accept.setDaemon(true);
            accept.start();
            KubernetesSecretCredentialProvider p = KubernetesSecretCredentialProvider.builder(toSilent)
                    .secret(URI.create("oci://registry.example.com"), "creds", "basic").build();
            long end = System.nanoTime() + java.time.Duration.ofSeconds(1).toNanos();
            CredentialContext ctx = CTX.withTimeLeft(() -> java.time.Duration.ofNanos(Math.max(0, end - System.nanoTime())));

            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.resolve(URI.create("oci://registry.example.com/c"), ctx));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < 2500, "the read took " + tookMs + " ms for 1 s left");
            assertTrue(e.getMessage().contains("creds/basic") && e.getMessage().contains("no answer"), e.getMessage());
            assertFalse(held.isEmpty(), "the request reached the server");

            IllegalStateException spent = assertThrows(IllegalStateException.class, () -> p.resolve(URI.create("oci://registry.example.com/c"),
                    CTX.withTimeLeft(() -> java.time.Duration.ZERO)));
            assertTrue(spent.getMessage().contains("time ran out"), spent.getMessage());
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }
}
