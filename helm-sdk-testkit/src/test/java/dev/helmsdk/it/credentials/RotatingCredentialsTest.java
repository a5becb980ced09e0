package dev.helmsdk.it.credentials;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A manager built once keeps working when its credential rotates: against an API server that
 * accepts only the current bearer token (the testkit's fake check), an upgrade after the rotation
 * succeeds, so Helm (not only fabric8) used the new credential. Credentials come from an exec
 * plugin (as EKS' {@code aws eks get-token}) whose token changes and expires, or from a token
 * file that is rewritten (as a projected service account token), reached through a kubeconfig
 * file, its text, or a fabric8 {@link Config} / client loaded from it, with Helm in process and
 * isolated. A read of the SDK's own after the rotation (history: fabric8, not Helm) shows that the
 * SDK's requests also use the new credential.
 */
@Tag("integration")
class RotatingCredentialsTest {

    private static final String T1 = "token-one";
    private static final String T2 = "token-two";
    /** How long the plugin's first credential lives; the test waits this long before the upgrade. */
    private static final int SHORT_EXPIRY_SECONDS = 2;

    enum Credential { EXEC_PLUGIN, TOKEN_FILE }

    enum Source { KUBECONFIG_FILE, KUBECONFIG_CONTENTS, FABRIC8_CONFIG, FABRIC8_CLIENT }

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Credential.EXEC_PLUGIN, Source.KUBECONFIG_FILE, HelmSdk.HelmProcess.IN_PROCESS),
                Arguments.of(Credential.EXEC_PLUGIN, Source.KUBECONFIG_CONTENTS, HelmSdk.HelmProcess.IN_PROCESS),
                Arguments.of(Credential.EXEC_PLUGIN, Source.KUBECONFIG_CONTENTS, HelmSdk.HelmProcess.ISOLATED),
                Arguments.of(Credential.EXEC_PLUGIN, Source.FABRIC8_CONFIG, HelmSdk.HelmProcess.IN_PROCESS),
                Arguments.of(Credential.EXEC_PLUGIN, Source.FABRIC8_CLIENT, HelmSdk.HelmProcess.IN_PROCESS),
                Arguments.of(Credential.EXEC_PLUGIN, Source.KUBECONFIG_FILE, HelmSdk.HelmProcess.ISOLATED),
                Arguments.of(Credential.EXEC_PLUGIN, Source.FABRIC8_CONFIG, HelmSdk.HelmProcess.ISOLATED),
                Arguments.of(Credential.TOKEN_FILE, Source.KUBECONFIG_FILE, HelmSdk.HelmProcess.IN_PROCESS),
                Arguments.of(Credential.TOKEN_FILE, Source.KUBECONFIG_CONTENTS, HelmSdk.HelmProcess.IN_PROCESS),
                Arguments.of(Credential.TOKEN_FILE, Source.FABRIC8_CONFIG, HelmSdk.HelmProcess.IN_PROCESS),
                Arguments.of(Credential.TOKEN_FILE, Source.FABRIC8_CONFIG, HelmSdk.HelmProcess.ISOLATED));
    }

    @ParameterizedTest(name = "{0} via {1}, Helm {2}")
    @MethodSource("cases")
    void anUpgradeAfterTheTokenRotatedUsesTheNewToken(Credential credential, Source source, HelmSdk.HelmProcess process)
            throws Exception {
        AtomicReference<String> accepted = new AtomicReference<>(T1);
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.builder().workDirectory(dir.resolve("cluster"))
                .https().fakeBearerTokenCheck(t -> accepted.get().equals(t)).start()) {
            write("token", T1);
            write("expiry-seconds", String.valueOf(SHORT_EXPIRY_SECONDS));
            String user = credential == Credential.EXEC_PLUGIN ? execUser() : "tokenFile: " + dir.resolve("token");
            Path kubeconfig = write("kubeconfig", kubeConfig(cluster, user));
            KubernetesClient ownClient = null;
            HelmSdk.Builder builder = HelmSdk.builder().helmProcess(process).workDirectory(dir.resolve("work"));
            switch (source) {
                case KUBECONFIG_FILE -> builder.kubeConfig(kubeconfig);
                case KUBECONFIG_CONTENTS -> builder.kubeConfigContents(Files.readString(kubeconfig));
                case FABRIC8_CONFIG -> builder.kubernetesConfig(Config.fromKubeconfig(kubeconfig.toFile()));
                case FABRIC8_CLIENT -> {
                    ownClient = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
                    builder.kubernetesClient(ownClient);
                }
            }
            try (HelmManager helm = builder.build()) {
                ChartRef chart = ChartRef.local(chart());
                helm.install("rotating").inNamespace("default").chart(chart).run();

                // Rotate: the old token is refused from now on; the plugin's new credential lives an hour.
                write("expiry-seconds", "3600");
                write("token", T2);
                accepted.set(T2);
                if (credential == Credential.EXEC_PLUGIN) {
                    // Waits out a deadline, not a guess: client-go renews an expired credential first, but fails a 401.
                    Thread.sleep((SHORT_EXPIRY_SECONDS + 1) * 1000L);   // the first credential has expired
                }
                assertEquals(401, statusWithToken(cluster, T1), "the old token is refused after the rotation");

                // A read of the SDK's own (fabric8, not Helm) needs the new credential too.
                assertEquals(1, helm.history("rotating").inNamespace("default").run().size());
                assertEquals(2, helm.upgrade("rotating").inNamespace("default").chart(chart).set("message", "after")
                        .run().revision());
                if (credential == Credential.EXEC_PLUGIN) {
                    // While the credential is valid, calls reuse it: no plugin run per call.
                    long execs = execs();
                    for (int i = 0; i < 3; i++) {
                        helm.upgrade("rotating").inNamespace("default").chart(chart).set("message", "again-" + i).run();
                    }
                    assertEquals(execs, execs(), "plugin runs during three upgrades with a valid credential");
                }
                assertEquals(dev.helmsdk.api.ReleaseStatus.DEPLOYED, helm.status("rotating").inNamespace("default").run().status());
                assertEquals(5, helm.status("rotating").inNamespace("default").run().revision() + (credential == Credential.EXEC_PLUGIN ? 0 : 3));
            } finally {
                if (ownClient != null) {
                    ownClient.close();
                }
            }
        }
    }

    /**
     * A plugin's token without an expiry is kept until the server refuses it; then the SDK runs
     * the plugin again and sends the refused request once more, so its own reads keep working.
     * (Helm is not asked: client-go fails the request that got the 401 and renews for the next.)
     */
    @Test
    void aTokenWithoutExpiryIsRenewedWhenTheServerRefusesIt() throws Exception {
        AtomicReference<String> accepted = new AtomicReference<>(T1);
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.builder().workDirectory(dir.resolve("cluster"))
                .https().fakeBearerTokenCheck(t -> accepted.get().equals(t)).start()) {
            write("token", T1);
            write("expiry-seconds", "none");
            String kubeconfig = kubeConfig(cluster, execUser());
            try (HelmManager helm = HelmSdk.builder().kubeConfigContents(kubeconfig).workDirectory(dir.resolve("work")).build()) {
                helm.install("rotating").inNamespace("default").chart(ChartRef.local(chart())).run();
                long execs = execs();
                assertEquals(1, helm.history("rotating").inNamespace("default").run().size());
                assertEquals(execs, execs(), "plugin runs for a read while its token is accepted");

                write("token", T2);
                accepted.set(T2);
                assertEquals(1, helm.history("rotating").inNamespace("default").run().size());
                assertEquals(execs + 1, execs(), "plugin runs for the read after its token was refused");
            }
        }
    }

    /** The HTTP status the server answers a read sent with {@code token}. */
    private static int statusWithToken(EmbeddedKubernetes cluster, String token) {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeConfig(cluster, "token: " + token))).build()) {
            client.namespaces().withName("default").get();
            return 200;
        } catch (KubernetesClientException e) {
            return e.getCode();
        }
    }

    /**
     * A kubeconfig user whose plugin prints the token in {@code token}, valid {@code expiry-seconds}
     * (no expiry: {@code none}), counting its runs.
     */
    private String execUser() throws IOException {
        Path plugin = write("get-token.sh", """
                #!/bin/sh
                d="$(dirname "$0")"
                echo run >> "$d/execs"
                if [ "$(cat "$d/expiry-seconds")" = none ]; then
                  printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\\n' "$(cat "$d/token")"
                  exit 0
                fi
                exp=$(date -u -d "@$(( $(date +%s) + $(cat "$d/expiry-seconds") ))" +%Y-%m-%dT%H:%M:%SZ)
                printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\\n' "$(cat "$d/token")" "$exp"
                """);
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
        return """
                exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: %s
                      interactiveMode: Never""".formatted(plugin);
    }

    private long execs() throws IOException {
        Path f = dir.resolve("execs");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    private static String kubeConfig(EmbeddedKubernetes cluster, String user) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: %s
                %s
                contexts:
                - name: c
                  context:
                    cluster: c
                    user: u
                current-context: c
                users:
                - name: u
                  user:
                    %s
                """.formatted(cluster.url(), caLine(cluster), user);
    }

    /** The CA of the cluster's kubeconfig, which an HTTPS EmbeddedKubernetes writes. */
    private static String caLine(EmbeddedKubernetes cluster) {
        return cluster.kubeConfigYaml().lines().filter(l -> l.contains("certificate-authority-data:")).findFirst()
                .orElseThrow();
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, text);
        // Replaced at once, as the kubelet replaces a projected token: no reader sees half a file.
        return Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path chart() throws URISyntaxException {
        return Path.of(RotatingCredentialsTest.class.getResource("/charts/sdk-preview/Chart.yaml").toURI()).getParent();
    }
}
