package dev.helmsdk.it;

import com.marcnuri.helm.Helm;
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
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.auth.RepositoryCredentials;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.SilentApiServer;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Timeouts, metrics, chart repositories and the ways to build a manager, with real Helm. */
@EmbeddedKubernetesTest
@Tag("integration")
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
    void callsReturnAtTheirLimitEvenWhenTheApiServerNeverAnswers() {
        try (SilentApiServer silent = SilentApiServer.start()) {
            Path kubeconfig = silent.kubeConfigPath();
            Timeouts oneSecond = Timeouts.ofDefaults().withStart(Duration.ofSeconds(1));
            try (HelmManager helm = HelmSdk.builder().kubeConfig(kubeconfig).timeouts(oneSecond)
                    .chartSources(ChartSources.builder().plainHttp("127.0.0.1").build()).build()) {
                // A read's limit is its start limit; a change may also wait up to the start limit for the release's lock.
                Map<Runnable, Duration> calls = new java.util.LinkedHashMap<>();
                calls.put(() -> helm.status("web").run(), Duration.ofSeconds(1));
                calls.put(() -> helm.install("web").chart(WEB).run(), Duration.ofSeconds(2));
                // A chart repository that never answers: the download is cut at the same limit.
                calls.put(() -> helm.install("web").chart(ChartRef.repository("http://127.0.0.1:" + silent.url().getPort() + "/charts",
                        "web", null)).run(), Duration.ofSeconds(2));
                calls.forEach((call, limit) -> {
                    long start = System.nanoTime();
                    OperationTimeoutException e = assertThrows(OperationTimeoutException.class, call::run);
                    long tookMs = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(limit, e.timeout());
                    assertTrue(tookMs < limit.toMillis() + 2_000, "returned after " + tookMs + " ms for a " + limit + " limit");
                });
            }
            assertTrue(silent.connections() >= 3, "all calls reached the silent server");
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
            assertEquals(1, registry.get("helm.sdk.operations").tag("operation", "status").tag("outcome", "release_not_found").timer().count());
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
    void chartsFromAClassicRepositoryAreFetchedAndInstalled(HelmManager defaults, EmbeddedKubernetes cluster, KubernetesClient kube) {
        AtomicReference<String> password = new AtomicReference<>("first-pw");
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(TestCharts.local("sdk-web"))
                .chart(TestCharts.local("sdk-web"), "0.4.0").chart(TestCharts.local("sdk-web"), "1.0.0-rc.1")
                .basicAuth("ci", "first-pw").start()) {
            String url = repo.url().toString();
            // A provider that reads the current password on every call, as the SPI asks.
            CredentialProvider rotating = new CredentialProvider() {
                @Override
                public String name() {
                    return "rotating";
                }

                @Override
                public int priority() {
                    return PRIORITY_EXPLICIT;
                }

                @Override
                public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
                    return Optional.of(RepositoryCredentials.of(repository, name(), new Credentials.BasicAuth("ci", password.get())));
                }
            };
            // Plain HTTP needs an explicit opt-in: the default manager refuses before any request.
            ChartSourceException refused = assertThrows(ChartSourceException.class, () -> defaults.install("plain")
                    .chart(ChartRef.repository(url, "sdk-web", "0.3.0")).run());
            assertEquals(ChartSourceException.Reason.INSECURE_TRANSPORT, refused.reason());
            assertTrue(refused.getMessage().contains("plainHttp(\"" + repo.hostAndPort() + "\")"), refused.getMessage());
            assertTrue(repo.requests().isEmpty(), "nothing was requested: " + repo.requests());

            try (HelmManager helm = HelmSdk.builder().kubernetesClient(cluster.client()).chartSources(ChartSources.builder()
                    .plainHttp(repo.hostAndPort()).credentials(rotating).indexCacheTtl(Duration.ZERO).build()).build()) {
                Release r = helm.install("from-repo").inNamespace("repo").createNamespace()
                        .chart(ChartRef.repository(url, "sdk-web", "<1")).run();
                assertEquals("0.4.0", r.chartVersion(), "the highest stable version below 1");
                assertEquals(List.of("/index.yaml", "/sdk-web-0.4.0.tgz"), repo.requests().stream().map(FakeChartRepository.Request::path).toList());
                assertEquals("Basic", repo.requests().get(0).authScheme());
                assertNotNull(kube.apps().deployments().inNamespace("repo").withName("from-repo").get());

                ChartNotFoundException missing = assertThrows(ChartNotFoundException.class, () -> helm.install("nope")
                        .chart(ChartRef.repository(url, "sdk-web", "9.9.9")).run());
                assertTrue(missing.getMessage().contains("9.9.9") && missing.getMessage().contains("available: 1.0.0-rc.1, 0.4.0, 0.3.0"),
                        missing.getMessage());

                // The repository rotates its password: the old one fails, the next operation with the new one works.
                repo.setBasicAuth("ci", "second-pw");
                ChartSourceException stale = assertThrows(ChartSourceException.class, () -> helm.upgrade("from-repo").inNamespace("repo")
                        .chart(ChartRef.repository(url, "sdk-web", "0.3.0")).run());
                assertEquals(ChartSourceException.Reason.UNAUTHORIZED, stale.reason());
                password.set("second-pw");
                assertEquals(2, helm.upgrade("from-repo").inNamespace("repo").chart(ChartRef.repository(url, "sdk-web", "0.3.0")).run().revision());

                // An outage: the cached index and archive still deploy what was fetched before.
                repo.startOutage(503);
                assertEquals("0.4.0", helm.upgrade("from-repo").inNamespace("repo").chart(ChartRef.repository(url, "sdk-web", "~0.4")).run()
                        .chartVersion());
                assertTrue(repo.requests().stream().anyMatch(q -> q.status() == 503 && q.conditional()), "it did ask: " + repo.requests());
            }
        }
    }
}
