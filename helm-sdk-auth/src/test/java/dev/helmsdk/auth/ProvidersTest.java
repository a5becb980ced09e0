package dev.helmsdk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersTest {

    static final String PW = "S3CRET-canary-pw";
    static final String TOKEN = "S3CRET-canary-token";
    static final CredentialContext CTX = CredentialContext.empty();

    static URI uri(String s) {
        return URI.create(s);
    }

    // ---- explicit ----

    @Test
    void staticProviderMatchesLongestPathPrefix() {
        StaticCredentialProvider p = StaticCredentialProvider.builder()
                .add(uri("oci://registry.example.com"), new Credentials.BasicAuth("host", PW))
                .add(uri("oci://registry.example.com/team-a"), new Credentials.BasicAuth("team-a", PW))
                .build();
        assertEquals("team-a", basic(p.resolve(uri("oci://registry.example.com/team-a/app"), CTX).orElseThrow()).username());
        assertEquals("host", basic(p.resolve(uri("oci://registry.example.com/team-ab/app"), CTX).orElseThrow()).username());
        assertTrue(p.resolve(uri("oci://registry.example.com:5000/team-a"), CTX).isEmpty(), "port must match");
        assertTrue(p.resolve(uri("oci://other.example.com"), CTX).isEmpty());
        assertEquals("explicit", p.resolve(uri("oci://registry.example.com/x"), CTX).orElseThrow().source());
        assertFalse(p.explainMiss(uri("oci://other.example.com")).contains(PW));
    }

    @Test
    void staticProviderOfSeveralMethods() {
        StaticCredentialProvider p = StaticCredentialProvider.of(uri("https://charts.example.com/stable"),
                new Credentials.ClientCertificate("CERT", "KEY"), new Credentials.BasicAuth("u", PW));
        RepositoryCredentials rc = p.resolve(uri("https://charts.example.com/stable/"), CTX).orElseThrow();
        assertEquals(2, rc.methods().size());
        assertTrue(p.resolve(uri("https://charts.example.com/"), CTX).isEmpty());
    }

    // ---- env ----

    @Test
    void envProviderReadsNormalizedHostWithPortFirst() {
        EnvironmentCredentialProvider p = new EnvironmentCredentialProvider(Map.of(
                "HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_5000_USERNAME", "with-port",
                "HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_5000_PASSWORD", PW,
                "HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_USERNAME", "plain",
                "HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_PASSWORD", PW,
                "HELM_SDK_REPO_CHARTS_EXAMPLE_COM_TOKEN", TOKEN));
        assertEquals("with-port", basic(p.resolve(uri("oci://registry.example.com:5000/c"), CTX).orElseThrow()).username());
        assertEquals("plain", basic(p.resolve(uri("oci://registry.example.com:6000/c"), CTX).orElseThrow()).username());
        assertEquals("plain", basic(p.resolve(uri("oci://REGISTRY.example.com/c"), CTX).orElseThrow()).username());
        RepositoryCredentials t = p.resolve(uri("https://charts.example.com/x"), CTX).orElseThrow();
        assertEquals(new Credentials.BearerToken(TOKEN), t.methods().get(0));
        assertEquals("env", t.source());
    }

    @Test
    void envProviderExplainsAndRejectsHalfConfig() {
        EnvironmentCredentialProvider p = new EnvironmentCredentialProvider(Map.of("HELM_SDK_REPO_HALF_EXAMPLE_COM_USERNAME", "u"));
        assertTrue(p.resolve(uri("https://registry.example.com"), CTX).isEmpty());
        assertEquals("no HELM_SDK_REPO_REGISTRY_EXAMPLE_COM_* variables", p.explainMiss(uri("https://registry.example.com")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.resolve(uri("https://half.example.com"), CTX));
        assertTrue(e.getMessage().contains("USERNAME but no PASSWORD"), e.getMessage());
    }

    // ---- docker / helm config ----

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dockerConfigReadsAllEntryForms(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"auths": {
                  "registry.example.com": {"auth": "%s"},
                  "https://index.docker.io/v1/": {"username": "hub", "password": "%s"},
                  "localhost:5000": {"identitytoken": "%s"},
                  "tokens.example.com": {"registrytoken": "%s"}
                }, "credsStore": "desktop"}
                """.formatted(b64("alice:" + PW), PW, TOKEN, TOKEN));
        DockerConfigCredentialProvider p = new DockerConfigCredentialProvider(file);
        assertEquals(new Credentials.BasicAuth("alice", PW), p.resolve(uri("oci://registry.example.com/charts/app"), CTX).orElseThrow().methods().get(0));
        assertEquals("hub", basic(p.resolve(uri("oci://index.docker.io/library/x"), CTX).orElseThrow()).username());
        assertEquals(new Credentials.BearerToken(TOKEN), p.resolve(uri("oci://localhost:5000/c"), CTX).orElseThrow().methods().get(0));
        assertEquals(new Credentials.BearerToken(TOKEN), p.resolve(uri("https://tokens.example.com/c"), CTX).orElseThrow().methods().get(0));
        assertTrue(p.resolve(uri("oci://localhost:6000/c"), CTX).isEmpty());
        String miss = p.explainMiss(uri("oci://nothere.example.com/c"));
        assertTrue(miss.startsWith(file + " has no entry for nothere.example.com"), miss);
        assertTrue(miss.contains("credsStore 'desktop'"), miss);
        assertFalse(miss.contains(PW) || miss.contains(TOKEN) || miss.contains(b64("alice:" + PW)), miss);
    }

    @Test
    void dockerConfigReadsFreshOnEveryCallAndNeverLeaksOnBadInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        DockerConfigCredentialProvider p = new DockerConfigCredentialProvider(file);
        assertTrue(p.resolve(uri("oci://r.example.com"), CTX).isEmpty());
        assertEquals(file + " does not exist", p.explainMiss(uri("oci://r.example.com")));
        Files.writeString(file, "{\"auths\":{\"r.example.com\":{\"auth\":\"" + b64("u:" + PW) + "\"}}}");
        assertEquals("u", basic(p.resolve(uri("oci://r.example.com"), CTX).orElseThrow()).username());
        Files.writeString(file, "{\"auths\":{\"r.example.com\":{\"auth\":\"" + PW + "!!\"}}}");
        IllegalStateException bad64 = assertThrows(IllegalStateException.class, () -> p.resolve(uri("oci://r.example.com"), CTX));
        assertFalse(bad64.getMessage().contains(PW), bad64.getMessage());
        Files.writeString(file, "{\"auths\": {\"r.example.com\": " + PW);
        IllegalStateException badJson = assertThrows(IllegalStateException.class, () -> p.resolve(uri("oci://r.example.com"), CTX));
        assertFalse(badJson.getMessage().contains(PW), badJson.getMessage());
        assertTrue(badJson.getMessage().contains("not valid JSON"), badJson.getMessage());
    }

    @Test
    void helmRegistryConfigPathAndPriority(@TempDir Path dir) throws Exception {
        assertEquals(Path.of("/x/reg.json"), HelmRegistryConfigCredentialProvider.defaultHelmPath(Map.of("HELM_REGISTRY_CONFIG", "/x/reg.json")));
        assertEquals(Path.of("/h/registry/config.json"), HelmRegistryConfigCredentialProvider.defaultHelmPath(Map.of("HELM_CONFIG_HOME", "/h")));
        assertEquals(Path.of("/d/config.json"), DockerConfigCredentialProvider.defaultPath(Map.of("DOCKER_CONFIG", "/d")));
        Path file = dir.resolve("registry.json");
        Files.writeString(file, "{\"auths\":{\"r.example.com:5000\":{\"username\":\"helm\",\"password\":\"" + PW + "\"}}}");
        HelmRegistryConfigCredentialProvider p = new HelmRegistryConfigCredentialProvider(file);
        RepositoryCredentials rc = p.resolve(uri("oci://r.example.com:5000/charts"), CTX).orElseThrow();
        assertEquals("helm-registry-config", rc.source());
        assertEquals(110, p.priority());
    }

    // ---- mounted files ----

    @Test
    void mountedFilesExplicitDirectoryWithRotation(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("username"), "bob\n");
        Files.writeString(dir.resolve("password"), PW + "\n");
        MountedFilesCredentialProvider p = MountedFilesCredentialProvider.builder().directory(uri("https://charts.example.com"), dir).build();
        assertEquals(new Credentials.BasicAuth("bob", PW), p.resolve(uri("https://charts.example.com/stable"), CTX).orElseThrow().methods().get(0));
        Files.writeString(dir.resolve("password"), "rotated");
        assertEquals(new Credentials.BasicAuth("bob", "rotated"), p.resolve(uri("https://charts.example.com/stable"), CTX).orElseThrow().methods().get(0));
        assertTrue(p.resolve(uri("https://other.example.com"), CTX).isEmpty());
    }

    @Test
    void mountedFilesBaseDirectoryTlsAndToken(@TempDir Path base) throws Exception {
        Path withPort = Files.createDirectories(base.resolve("r.example.com_5000"));
        Files.writeString(withPort.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(withPort.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\n" + PW);
        Files.writeString(withPort.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nca");
        Path plain = Files.createDirectories(base.resolve("r.example.com"));
        Files.writeString(plain.resolve("token"), TOKEN);
        Path half = Files.createDirectories(base.resolve("half.example.com"));
        Files.writeString(half.resolve("tls.crt"), "CERT");
        MountedFilesCredentialProvider p = MountedFilesCredentialProvider.fromBaseDirectory(base);
        List<Credentials> m = p.resolve(uri("oci://r.example.com:5000/c"), CTX).orElseThrow().methods();
        assertTrue(m.get(0) instanceof Credentials.ClientCertificate);
        assertTrue(m.get(1) instanceof Credentials.TrustedCertificates);
        assertEquals(new Credentials.BearerToken(TOKEN), p.resolve(uri("oci://r.example.com/c"), CTX).orElseThrow().methods().get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.resolve(uri("https://half.example.com"), CTX));
        assertTrue(e.getMessage().contains("has tls.crt but no tls.key"), e.getMessage());
        assertEquals(base + " has no directory nope.example.com", p.explainMiss(uri("https://nope.example.com")));
    }

    static Credentials.BasicAuth basic(RepositoryCredentials rc) {
        return rc.find(Credentials.BasicAuth.class).orElseThrow();
    }
}
