package dev.helmsdk.it.secrets;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.it.TestCharts;
import dev.helmsdk.secrets.AwsResolver;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * podinfo installed on the embedded API with values from AWS, served by the real moto server: the
 * message from Secrets Manager, the colour from a Parameter Store SecureString, the replica count a
 * typed JSON key; after a rotation an upgrade deploys the new value; with the store gone an upgrade
 * fails as unreachable and leaves the release as it was.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class AwsSecretsInValuesTest {

    private static final String NS = "aws";
    private static final String SECRET = "CANARY-aws-secret-3f9e";
    private static final String ROTATED = "CANARY-aws-rotated-77a1";

    @Test
    void podinfoGetsItsValuesFromSecretsManagerAndParameterStore(EmbeddedKubernetes cluster, @TempDir Path tmp) throws Exception {
        int port = freePort();
        Process moto = startMoto(port, tmp.resolve("moto.log"));
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            StaticCredentialsProvider testing = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
            try (SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(testing).build();
                 SsmClient ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(testing).build()) {
                sm.createSecret(r -> r.name("shop/ui").secretString("{\"message\": \"" + SECRET + "\", \"replicas\": 2}"));
                ssm.putParameter(r -> r.name("/shop/ui/color").value("#c0ffee").type(ParameterType.SECURE_STRING));
                Map<String, String> env = Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION", "us-east-1",
                        "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
                ChartRef podinfo = ChartRef.local(TestCharts.podinfo());
                try (AwsResolver aws = new AwsResolver(env::get);
                     HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).secretResolver(aws).build()) {
                    Release installed = helm.install("web").inNamespace(NS).createNamespace().chart(podinfo)
                            .set("ui.message", "ref+awssecrets://shop/ui#/message")
                            .set("ui.color", "ref+awsssm://shop/ui/color")
                            .set("replicaCount", "ref+awssecrets://shop/ui#/replicas").run();
                    assertFalse(installed.toString().contains(SECRET), installed.toString());
                    Deployment deployed = deployment(cluster);
                    assertEquals(SECRET, env(deployed).get("PODINFO_UI_MESSAGE"));
                    assertEquals("#c0ffee", env(deployed).get("PODINFO_UI_COLOR"));
                    assertEquals(2, deployed.getSpec().getReplicas(), "a JSON number keeps its type");

                    sm.putSecretValue(r -> r.secretId("shop/ui").secretString("{\"message\": \"" + ROTATED + "\", \"replicas\": 2}"));
                    Release upgraded = helm.upgrade("web").inNamespace(NS).chart(podinfo)
                            .set("ui.message", "ref+awssecrets://shop/ui#/message")
                            .set("ui.color", "ref+awsssm://shop/ui/color")
                            .set("replicaCount", "ref+awssecrets://shop/ui#/replicas").run();
                    assertEquals(2, upgraded.revision());
                    assertEquals(ROTATED, env(deployment(cluster)).get("PODINFO_UI_MESSAGE"), "the upgrade resolved the rotated value");

                    stop(moto);
                    SecretResolutionException gone = assertThrows(SecretResolutionException.class, () -> helm.upgrade("web").inNamespace(NS)
                            .chart(podinfo).set("ui.message", "ref+awssecrets://shop/ui#/message").set("replicaCount", 3).run());
                    assertEquals(SecretResolutionException.Reason.UNREACHABLE, gone.reason(), gone.getMessage());
                    assertTrue(gone.retryable());
                    assertFalse(gone.getMessage().contains(SECRET) || gone.getMessage().contains(ROTATED), gone.getMessage());
                    assertEquals(2, helm.status("web").inNamespace(NS).run().revision(), "no revision 3");
                    Deployment after = deployment(cluster);
                    assertEquals(2, after.getSpec().getReplicas(), "the failed upgrade changed nothing");
                    assertEquals(ROTATED, env(after).get("PODINFO_UI_MESSAGE"));
                }
            }
        } finally {
            stop(moto);
        }
    }

    private static Deployment deployment(EmbeddedKubernetes cluster) {
        return cluster.client().apps().deployments().inNamespace(NS).withName("web-podinfo").get();
    }

    private static Map<String, String> env(Deployment d) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            env.put(e.getName(), e.getValue());
        }
        return env;
    }

    /** moto on 127.0.0.1:port; skipped with the install hint without moto_server, failed with CI=true. */
    private static Process startMoto(int port, Path log) throws IOException, InterruptedException {
        Path binary = null;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "moto_server"))) {
                binary = Path.of(dir, "moto_server");
                break;
            }
        }
        if (binary == null) {
            String message = "moto_server not found on PATH; install it with: pip install 'moto[server]==5.2.5'";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + " (CI=true: it must be present)");
            }
            Assumptions.abort(message);
        }
        Process moto = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && moto.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return moto;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        stop(moto);
        throw new IllegalStateException("moto_server did not listen on 127.0.0.1:" + port + "; log:\n" + Files.readString(log));
    }

    private static void stop(Process moto) throws InterruptedException {
        moto.destroy();
        if (!moto.waitFor(5, TimeUnit.SECONDS)) {
            moto.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
