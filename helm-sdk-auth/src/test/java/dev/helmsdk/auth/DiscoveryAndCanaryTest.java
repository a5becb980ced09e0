package dev.helmsdk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.Operation;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialResolutionException;
import dev.helmsdk.api.auth.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryAndCanaryTest {

    static final String PW = "S3CRET-canary-pw";
    static final String TOKEN = "S3CRET-canary-token";

    @Test
    void missingProviderClassIsReportedAndSkipped(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("dev.helmsdk.api.auth.CredentialProvider"), "com.example.DoesNotExist\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            CredentialChain chain = CredentialChain.builder().classLoader(cl).build();
            assertTrue(chain.problems().stream().anyMatch(p -> p.contains("com.example.DoesNotExist") && p.contains("not found")),
                    chain.problems().toString());
            assertTrue(chain.providers().stream().anyMatch(p -> p.name().equals("env")), "the others still load");
        }
    }

    @Test
    void sameNameTwiceGetsDistinctReasons() {
        CredentialChain chain = CredentialChain.builder().discover(false)
                .add(StaticCredentialProvider.of(URI.create("https://a.example.com"), new Credentials.BearerToken(TOKEN)))
                .add(StaticCredentialProvider.of(URI.create("https://b.example.com"), new Credentials.BearerToken(TOKEN)))
                .build();
        CredentialResolutionException e = assertThrows(CredentialResolutionException.class,
                () -> chain.require(URI.create("https://c.example.com"), Operation.UPGRADE));
        assertEquals(2, e.reasons().size());
        assertTrue(e.reasons().containsKey("explicit#2"), e.reasons().toString());
        assertEquals(Operation.UPGRADE, e.operation());
    }

    /** No canary secret in any log line, exception message or toString() across the whole flow. */
    @Test
    void canarySecretsNeverAppearInLogsMessagesOrToString(@TempDir Path dir) throws Exception {
        Path docker = dir.resolve("config.json");
        String auth = Base64.getEncoder().encodeToString(("robot:" + PW).getBytes(StandardCharsets.UTF_8));
        Files.writeString(docker, "{\"auths\":{\"r.example.com\":{\"auth\":\"" + auth + "\"},\"bad.example.com\":{\"auth\":\"" + PW + "%%\"}}}");
        Path mounted = Files.createDirectories(dir.resolve("m/half.example.com"));
        Files.writeString(mounted.resolve("password"), PW);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringBuilder seen = new StringBuilder();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CredentialChain chain = CredentialChain.builder()
                    .add(new DockerConfigCredentialProvider(docker))
                    .add(MountedFilesCredentialProvider.fromBaseDirectory(dir.resolve("m")))
                    .add(new EnvironmentCredentialProvider(Map.of("HELM_SDK_REPO_R_EXAMPLE_COM_PASSWORD", TOKEN)))
                    .build();
            seen.append(chain).append('\n');
            for (String repo : new String[] {"oci://r.example.com/c", "oci://bad.example.com/c", "https://half.example.com", "https://none.example.com"}) {
                try {
                    seen.append(chain.require(URI.create(repo), CredentialContext.of(Operation.INSTALL))).append('\n');
                } catch (RuntimeException e) {
                    seen.append(e.getMessage()).append('\n');
                }
            }
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("BrokenTestProvider refuses to start"), "log lines were captured: " + log);
        String all = seen + log;
        assertTrue(all.contains("password=****"), all);
        assertTrue(all.contains("has password but no username"), all);
        assertFalse(all.contains(PW), all);
        assertFalse(all.contains(TOKEN), all);
        assertFalse(all.contains(auth), all);
    }
}
