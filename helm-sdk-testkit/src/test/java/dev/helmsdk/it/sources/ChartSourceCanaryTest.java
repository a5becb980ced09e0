package dev.helmsdk.it.sources;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.CredentialChain;
import dev.helmsdk.auth.EnvironmentCredentialProvider;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The canary: the whole private-source flow (right and wrong passwords, tokens, proxy credentials,
 * environment variables) with recognisable secret values, asserting that none of them, nor their
 * Base64 forms, appears in any captured log line, exception message or stack trace, or
 * {@code toString()}.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class ChartSourceCanaryTest {

    private static final String PW = "CANARY-pw-9f1e";
    private static final String WRONG_PW = "CANARY-wrong-77ab";
    private static final String TOKEN = "CANARY-token-31c5";
    private static final String PROXY_PW = "CANARY-proxy-ee02";
    private static final String ENV_PW = "CANARY-env-4d4d";

    @Test
    void noSecretAppearsAnywhere(EmbeddedKubernetes cluster) {
        StringBuilder seen = new StringBuilder();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        // The SDK's DEBUG lines too (the chart version chosen is one): a secret must not reach any level.
        ch.qos.logback.classic.Logger sdk = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.helmsdk");
        ch.qos.logback.classic.Level level = sdk.getLevel();
        sdk.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (NginxChartRepository basic = NginxChartRepository.startBasicAuthOrSkip(true, "canary-user", PW);
             NginxChartRepository bearer = NginxChartRepository.startBearerTokenOrSkip(true, TOKEN);
             ForwardProxy proxy = ForwardProxy.startWithAuthOrSkip("canary-proxy", PROXY_PW)) {
            URI basicUrl = basic.uri();
            URI bearerUrl = bearer.uri();
            String env = "HELM_SDK_REPO_" + "127_0_0_1_" + basicUrl.getPort() + "_";
            List<Supplier<CredentialProvider>> providers = List.of(
                    () -> StaticCredentialProvider.of(basicUrl, new Credentials.BasicAuth("canary-user", PW)),
                    () -> StaticCredentialProvider.of(basicUrl, new Credentials.BasicAuth("canary-user", WRONG_PW)),
                    () -> CredentialChain.builder().discover(false).add(new EnvironmentCredentialProvider(
                            Map.of(env + "USERNAME", "canary-user", env + "PASSWORD", ENV_PW))).build(),
                    () -> StaticCredentialProvider.of(bearerUrl, new Credentials.BearerToken(TOKEN)),
                    () -> StaticCredentialProvider.of(bearerUrl, new Credentials.BearerToken(WRONG_PW)));
            for (Supplier<CredentialProvider> p : providers) {
                for (boolean viaProxy : new boolean[] {false, true}) {
                    for (String proxyPw : viaProxy ? new String[] {PROXY_PW, WRONG_PW} : new String[] {null}) {
                        ChartSources.Builder b = ChartSources.builder().credentials(p.get())
                                .trustedCertificatesPem(pem(basic) + pem(bearer));
                        if (viaProxy) {
                            b.proxy(proxy.uri()).proxyCredentials("canary-proxy", proxyPw);
                        }
                        ChartSources sources = b.build();
                        seen.append(sources).append('\n').append(sources.credentials()).append('\n');
                        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).chartSources(sources).build()) {
                            for (URI repo : List.of(basicUrl, bearerUrl)) {
                                try {
                                    helm.template("canary").chart(ChartRef.repository(repo.toString(), SourceCharts.NAME, null)).run();
                                    seen.append("ok ").append(repo).append('\n');
                                } catch (RuntimeException e) {
                                    StringWriter trace = new StringWriter();
                                    e.printStackTrace(new PrintWriter(trace));
                                    seen.append(e).append('\n').append(trace).append('\n');
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            System.setErr(original);
            sdk.setLevel(level);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        String all = seen + "\n" + log;
        assertTrue(seen.toString().contains("ok " ), "some operations succeeded: " + seen);
        assertTrue(seen.toString().contains("UNAUTHORIZED") || seen.toString().contains("rejected the credentials"), "some failed: " + seen);
        assertTrue(log.contains("resolved latest to version"), "log lines were captured: " + log);
        for (String secret : List.of(PW, WRONG_PW, TOKEN, PROXY_PW, ENV_PW)) {
            assertFalse(all.contains(secret), "secret " + secret.substring(0, 10) + "... leaked:\n" + excerpt(all, secret));
            String b64 = Base64.getEncoder().encodeToString(("canary-user:" + secret).getBytes(StandardCharsets.UTF_8));
            assertFalse(all.contains(b64), "Base64 of a secret leaked");
            String proxyB64 = Base64.getEncoder().encodeToString(("canary-proxy:" + secret).getBytes(StandardCharsets.UTF_8));
            assertFalse(all.contains(proxyB64), "Base64 of a proxy secret leaked");
        }
    }

    /**
     * The testkit's own output, at DEBUG for every logger and TRACE for the testkit and fabric8's mock server (in a
     * child JVM, since logging levels are fixed when SLF4J starts), while Secrets with a known value go through
     * {@link EmbeddedKubernetes}: neither the value, nor its Base64 forms, nor any value the store held in a Secret
     * (Helm's release records included) may appear.
     */
    @Test
    void theTestkitNeverLogsSecretData(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        String secret = "CANARY-testkit-5b7e";
        java.nio.file.Path storedFile = tmp.resolve("stored.txt");
        List<String> command = new java.util.ArrayList<>(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The levels of src/test/resources/logback-test.xml, raised.
                "-Dhelmsdk.log.root=debug", "-Dhelmsdk.log.sdk=trace", "-Dhelmsdk.log.mock=trace",
                "-Dhelmsdk.log.target=System.out"));
        if (System.getProperty("jna.tmpdir") != null) {
            command.add("-Djna.tmpdir=" + System.getProperty("jna.tmpdir"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TestkitLogChild.class.getName(),
                secret, storedFile.toString(), SourceCharts.chartDir().toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "the child finished");
        assertTrue(log.contains("CHILD-DONE"), "the child worked Secrets through the embedded API:\n" + log);
        assertTrue(log.contains(" DEBUG io.fabric8.kubernetes.client.server.mock."), "the mock server's DEBUG lines were captured");
        List<String> forbidden = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(storedFile));
        assertTrue(forbidden.size() >= 6, "the store held the credential Secret and the release records: " + forbidden.size());
        for (String s : List.of(secret, secret + "-old", secret + "-2")) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            forbidden.add(s);
            forbidden.add(Base64.getEncoder().encodeToString(bytes));
            forbidden.add(Base64.getEncoder().encodeToString(Base64.getEncoder().encode(bytes)));
        }
        for (String value : forbidden) {
            assertFalse(log.contains(value), () -> "a stored Secret value leaked into the testkit's output:\n"
                    + excerpt(log, value));
        }
    }

    private static String pem(NginxChartRepository repo) {
        try {
            return java.nio.file.Files.readString(repo.pki().caCert());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String excerpt(String text, String secret) {
        int i = text.indexOf(secret);
        return text.substring(Math.max(0, i - 300), Math.min(text.length(), i + 100));
    }
}
