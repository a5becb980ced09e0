package dev.helmsdk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.HelmSdk;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@link SilentApiServer}: accepts, reads, logs and never answers; its kubeconfig reaches it; a real manager times out on it. */
class SilentApiServerTest {

    @Test
    void acceptsReadsLogsAndNeverAnswers() throws Exception {
        Path kubeconfig;
        try (SilentApiServer silent = SilentApiServer.start();
             Socket s = new Socket(silent.url().getHost(), silent.url().getPort())) {
            kubeconfig = silent.kubeConfigPath();
            assertTrue(Files.readString(kubeconfig).contains(silent.url().toString()), "the kubeconfig points at the server");
            OutputStream out = s.getOutputStream();
            out.write("GET /version HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.setSoTimeout(500);
            InputStream in = s.getInputStream();
            assertThrows(SocketTimeoutException.class, in::read, "no answer, not even a close");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> silent.log().size() >= 2);
            List<SilentApiServer.Event> log = silent.log();
            assertEquals(SilentApiServer.Kind.CONNECTED, log.get(0).kind());
            assertEquals(SilentApiServer.Kind.BYTES, log.get(1).kind());
            assertTrue(log.get(1).text().startsWith("GET /version"), log.get(1).toString());
            assertEquals(1, silent.connections());
            s.close();
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> silent.log().stream().anyMatch(e -> e.kind() == SilentApiServer.Kind.CLIENT_CLOSED));
        }
        assertFalse(Files.exists(kubeconfig), "close() deletes the kubeconfig");
    }

    @Test
    void overTlsTheHandshakeCompletesAndThenNothingComesBack() {
        try (SilentApiServer silent = SilentApiServer.builder().tls(true).start();
             KubernetesClient client = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                     Config.fromKubeconfig(silent.kubeConfigYaml())).withRequestTimeout(700).withRequestRetryBackoffLimit(0).build()).build()) {
            assertEquals("https", silent.url().getScheme());
            assertThrows(RuntimeException.class, () -> client.namespaces().withName("default").get());
            // The request was readable: the client trusted the testkit CA and sent it after the handshake.
            assertTrue(silent.log().stream().anyMatch(e -> e.kind() == SilentApiServer.Kind.BYTES
                    && e.text().startsWith("GET /api/v1/namespaces/default")), silent.log().toString());
        }
    }

    @Test
    void aManagerWithTheDefaultsEndsItsReadAtTheStartLimit() {
        try (SilentApiServer silent = SilentApiServer.start();
             HelmManager helm = HelmSdk.builder().kubeConfig(silent.kubeConfigPath())
                     .timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(1))).build()) {
            long start = System.nanoTime();
            OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> helm.status("web").run());
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Duration.ofSeconds(1), e.timeout());
            assertTrue(tookMs < 3_000, "returned after " + tookMs + " ms");
            assertTrue(silent.connections() > 0, "the read reached the server");
        }
    }
}
