package dev.helmsdk.it;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseNotFoundException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timeouts, metrics, chart repositories and the ways to build a manager, with real Helm. */
@EmbeddedKubernetesTest
class ManagerBehaviourTest {

    private static final ChartRef WEB = ChartRef.local(TestCharts.local("sdk-web"));

    @Test
    void aReadinessWaitThatCannotSucceedEndsWithATimeoutNearItsLimit(HelmManager helm, EmbeddedKubernetes cluster) {
        cluster.simulateFailure("slow", "stuck", WorkloadFailure.NEVER_READY);
        long start = System.nanoTime();
        OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> helm.install("stuck")
                .inNamespace("slow").createNamespace().chart(WEB)
                .timeouts(Timeouts.ofDefaults().withStart(Duration.ofSeconds(20)))
                .waitReady(Duration.ofSeconds(3)).run());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.retryable());
        assertEquals("stuck", e.releaseName().orElseThrow());
        assertTrue(tookMs >= 2_500 && tookMs < 20_000, "took " + tookMs + " ms for a 3 s readiness limit");
        assertEquals(ReleaseStatus.FAILED, helm.status("stuck").inNamespace("slow").run().status(),
                "Helm recorded the failed install");
    }

    @Test
    void callsReturnAtTheirLimitEvenWhenTheApiServerNeverAnswers(@TempDir Path tmp) throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try {
                    while (!silent.isClosed()) {
                        accepted.add(silent.accept()); // accept, never answer
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: c, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: u, user: {token: abc}}]
                    contexts: [{name: x, context: {cluster: c, user: u}}]
                    current-context: x
                    """.formatted(silent.getLocalPort()));
            Timeouts oneSecond = Timeouts.ofDefaults().withStart(Duration.ofSeconds(1));
            try (HelmManager helm = HelmSdk.builder().kubeConfig(kubeconfig).timeouts(oneSecond)
                    .chartSources(ChartSources.builder().plainHttp("127.0.0.1").build()).build()) {
                // A read's limit is its start limit; a change may also wait up to the start limit for the release's lock.
                Map<Runnable, Duration> calls = new java.util.LinkedHashMap<>();
                calls.put(() -> helm.status("web").run(), Duration.ofSeconds(1));
                calls.put(() -> helm.install("web").chart(WEB).run(), Duration.ofSeconds(2));
                // A chart repository that never answers: the download is cut at the same limit.
                calls.put(() -> helm.install("web").chart(ChartRef.repository("http://127.0.0.1:" + silent.getLocalPort() + "/charts",
                        "web", null)).run(), Duration.ofSeconds(2));
                calls.forEach((call, limit) -> {
                    long start = System.nanoTime();
                    OperationTimeoutException e = assertThrows(OperationTimeoutException.class, call::run);
                    long tookMs = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(limit, e.timeout());
                    assertTrue(tookMs < limit.toMillis() + 2_000, "returned after " + tookMs + " ms for a " + limit + " limit");
                });
            }
            assertTrue(accepted.size() >= 3, "all calls reached the silent server");
        } finally {
            for (Socket s : accepted) {
                s.close(); // lets the abandoned native call end
            }
        }
    }

    @Test
    void operationsAreTimedInTheMeterRegistry(EmbeddedKubernetes cluster) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).meterRegistry(registry).build()) {
            helm.install("metered").chart(WEB).run();
            helm.status("metered").run();
            assertThrows(ReleaseNotFoundException.class, () -> helm.status("nobody").run());
            assertEquals(1, registry.get("helm.sdk.operations").tag("operation", "install").tag("outcome", "success").timer().count());
            assertEquals(1, registry.get("helm.sdk.operations").tag("operation", "status").tag("outcome", "success").timer().count());
            assertEquals(1, registry.get("helm.sdk.operations").tag("operation", "status").tag("outcome", "ReleaseNotFound").timer().count());
            helm.uninstall("metered").run();
        }
        assertNotNull(cluster.client().namespaces().list(), "a caller's client stays open after the manager closes");
    }

    @Test
    void builderRejectsTwoConnectionsAndUsesTheKubeconfigNamespace(EmbeddedKubernetes cluster, @TempDir Path tmp) throws Exception {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> HelmSdk.builder()
                .kubeConfig(cluster.kubeConfigPath()).kubernetesClient(cluster.client()).build());
        assertTrue(e.getMessage().contains("not 2"), e.getMessage());
        String withNs = cluster.kubeConfigYaml().replaceFirst("(?m)^(\\s+)cluster: (.*)$", "$1cluster: $2\n$1namespace: team-a");
        try (HelmManager helm = HelmSdk.builder().kubeConfigContents(withNs).build()) {
            assertEquals("team-a", helm.defaultNamespace());
            Release r = helm.install("ns-default").createNamespace().chart(WEB).run();
            assertEquals("team-a", r.namespace());
        }
        try (HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).build()) {
            assertEquals("default", helm.defaultNamespace());
        }
    }

    @Test
    void chartsFromAClassicRepositoryAreFetchedAndInstalled(HelmManager defaults, EmbeddedKubernetes cluster, KubernetesClient kube, @TempDir Path tmp) throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        new Helm(TestCharts.local("sdk-web")).packageIt().withDestination(repo).call();
        assertTrue(Files.isRegularFile(repo.resolve("sdk-web-0.3.0.tgz")));
        Files.writeString(repo.resolve("index.yaml"), """
                apiVersion: v1
                entries:
                  sdk-web:
                    - name: sdk-web
                      version: 0.3.0
                      urls: [sdk-web-0.3.0.tgz]
                """);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> served = new ArrayList<>();
        server.createContext("/charts/", ex -> {
            Path file = repo.resolve(ex.getRequestURI().getPath().substring("/charts/".length()));
            served.add(ex.getRequestURI().getPath());
            if (Files.isRegularFile(file)) {
                byte[] body = Files.readAllBytes(file);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
            ex.close();
        });
        server.start();
        String host = "127.0.0.1:" + server.getAddress().getPort();
        String url = "http://" + host + "/charts";
        try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client())
                .chartSources(ChartSources.builder().plainHttp(host).build()).build()) {
            // Plain HTTP needs an explicit opt-in: the default manager refuses before any request.
            ChartSourceException refused = assertThrows(ChartSourceException.class, () -> defaults.install("plain")
                    .chart(ChartRef.repository(url, "sdk-web", "0.3.0")).run());
            assertEquals(ChartSourceException.Reason.INSECURE_TRANSPORT, refused.reason());
            assertTrue(refused.getMessage().contains("plainHttp(\"" + host + "\")"), refused.getMessage());
            assertTrue(served.isEmpty(), "nothing was requested: " + served);

            Release r = helm.install("from-repo").inNamespace("repo").createNamespace()
                    .chart(ChartRef.repository(url, "sdk-web", "0.3.0")).run();
            assertEquals("0.3.0", r.chartVersion());
            assertEquals(List.of("/charts/index.yaml", "/charts/sdk-web-0.3.0.tgz"), served);
            assertNotNull(kube.apps().deployments().inNamespace("repo").withName("from-repo").get());
            ChartNotFoundException missing = assertThrows(ChartNotFoundException.class, () -> helm.install("nope")
                    .chart(ChartRef.repository(url, "sdk-web", "9.9.9")).run());
            assertTrue(missing.getMessage().contains("9.9.9"), missing.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
