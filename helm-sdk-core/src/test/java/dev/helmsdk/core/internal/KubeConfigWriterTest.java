package dev.helmsdk.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kubeconfig Helm gets from a fabric8 Config keeps credentials that change live, and never shows them. */
class KubeConfigWriterTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void aTokenProviderIsAskedAtEveryCall() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1")
                .withOauthTokenProvider(() -> "provided-" + n.incrementAndGet()).build();
        KubeAccess access = KubeConfigWriter.forHelm(c, YAML, dir.resolve("none"));
        assertEquals("provided-1", user(access.contentsNow()).path("token").asText());
        assertEquals("provided-2", user(access.contentsNow()).path("token").asText());
    }

    @Test
    void theInClusterTokenIsHandedOverAsItsFileWhichTheKubeletRotates() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "sa-token");
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl("https://10.96.0.1").withAutoOAuthToken("sa-token").build();
        JsonNode user = user(KubeConfigWriter.forHelm(c, YAML, token).contentsNow());
        assertEquals(token.toString(), user.path("tokenFile").asText());
        assertTrue(user.path("token").isMissingNode(), user.toString());
    }

    @Test
    void aTokenGivenAsSuchIsWrittenAsItIs() throws Exception {
        Files.writeString(dir.resolve("token"), "other");
        Config c = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1").withOauthToken("static").build();
        KubeAccess access = KubeConfigWriter.forHelm(c, YAML, dir.resolve("token"));
        assertEquals("static", user(access.contentsNow()).path("token").asText());
        assertFalse(access.toString().contains("static"), access.toString());
        HelmCall call = HelmCall.of(HelmCall.Kind.INSTALL, "r", "ns").kube(access).build();
        assertFalse(call.toString().contains("static"), call.toString());
    }

    @Test
    void anExecPluginOfTheKubeconfigIsHandedOverWithItsCommandResolvedLikeClientGo() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path plugin = Files.writeString(bin.resolve("get-token"), """
                #!/bin/sh
                echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'
                """);
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                contexts: [{name: c, context: {cluster: c, user: u}}]
                current-context: c
                users:
                - name: u
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1, command: bin/get-token, interactiveMode: Never}
                """);
        Config c = Config.fromKubeconfig(kubeconfig.toFile());
        assertEquals("from-plugin", c.getAutoOAuthToken(), "fabric8 ran the plugin");
        JsonNode user = user(KubeConfigWriter.forHelm(c, YAML, dir.resolve("none")).contentsNow());
        assertEquals(plugin.toString(), user.path("exec").path("command").asText());
        assertEquals("Never", user.path("exec").path("interactiveMode").asText());
        assertTrue(user.path("token").isMissingNode(), "the plugin's token of build time is not frozen in: " + user);

        Config overridden = new ConfigBuilder(c).withOauthToken("explicit").build();
        JsonNode explicit = user(KubeConfigWriter.forHelm(overridden, YAML, dir.resolve("none")).contentsNow());
        assertEquals("explicit", explicit.path("token").asText(), "a token set on the Config wins, as in fabric8");
        assertNotEquals(true, explicit.has("exec"));
    }

    private static JsonNode user(String kubeconfig) throws Exception {
        return YAML.readTree(kubeconfig).path("users").get(0).path("user");
    }
}
