package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.HealthCheckFailedException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.Timeouts;
import dev.helmsdk.api.auth.CredentialContext;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.RepositoryCredentials;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HealthChecks;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.SilentApiServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operation has one deadline, and what it waits on that is not the Kubernetes API or Helm is bounded by it too
 * (those are {@code SilentServerBoundsTest}'s and {@code ExecPluginBoundsTest}'s): a credential provider that never
 * answers, and a health check against a server that accepts connections and never answers. With the defaults users
 * get (cluster locks on), against the embedded API server.
 */
@Tag("integration")
class OneDeadlineTest {

    private static final Duration START = Duration.ofSeconds(2);
    /** Time allowed past a limit: threads waking, the cleanup window (0.5 s), a loaded machine. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    /**
     * The provider is asked before anything is sent to the cluster; it blocks, ignoring its context's time left. The
     * caller gets its timeout at the limit, naming the provider and the repository it was asked for; the thread asking
     * it is interrupted, and the cluster never saw a request of the change (not even the release's Lease).
     */
    @Test
    void aCredentialProviderThatBlocksEndsTheChangeAtItsLimitNamingIt() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Optional<Duration>> timeLeft = new AtomicReference<>();
        AtomicLong interruptedAt = new AtomicLong();
        CredentialProvider blocking = new CredentialProvider() {
            @Override
            public String name() {
                return "blocking";
            }

            @Override
            public int priority() {
                return PRIORITY_EXPLICIT;
            }

            @Override
            public Optional<RepositoryCredentials> resolve(URI repository, CredentialContext ctx) {
                timeLeft.set(ctx.timeLeft());
                try {
                    never.await();
                } catch (InterruptedException e) {
                    interruptedAt.set(System.nanoTime());
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }
        };
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.builder().workDirectory(dir.resolve("cluster")).start();
             FakeChartRepository repo = FakeChartRepository.builder().chart(TestCharts.local("sdk-web")).start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).workDirectory(dir.resolve("work"))
                     .timeouts(Timeouts.ofDefaults().withStart(START))
                     .chartSources(ChartSources.builder().plainHttp(repo.hostAndPort()).credentials(blocking).build()).build()) {
            cluster.clearRequests();
            long start = System.nanoTime();
            OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
                    () -> helm.install("web").chart(ChartRef.repository(repo.url().toString(), "sdk-web", null)).run());
            long tookMs = millisSince(start);

            assertTrue(tookMs >= e.timeout().toMillis() - 50 && tookMs < e.timeout().plus(SLACK).toMillis(),
                    "returned after " + tookMs + " ms for a limit of " + e.timeout() + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("(it was asking credential provider 'blocking' for " + repo.url()), e.getMessage());
            assertTrue(timeLeft.get().isPresent() && timeLeft.get().get().compareTo(e.timeout()) <= 0,
                    "the provider was told the time its operation had left: " + timeLeft.get());
            long deadline = System.nanoTime() + SLACK.toNanos();
            while (interruptedAt.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(interruptedAt.get() != 0, "the thread asking the provider was interrupted after the cleanup window");
            assertEquals(List.of(), changesOf(cluster.requests()), "nothing was sent to the cluster for the change");
        } finally {
            never.countDown();
        }
    }

    /**
     * The release becomes ready at once (the embedded cluster's controller); the HTTP check then meets a server that
     * accepts every connection and never answers. The change fails at the readiness limit, not at that limit plus the
     * check's 5-second request timeout, and the revision is recorded failed.
     */
    @Test
    void aHealthCheckAgainstAServerThatNeverAnswersEndsAtTheReadinessLimit() throws Exception {
        Duration readiness = Duration.ofSeconds(3);
        try (EmbeddedKubernetes cluster = EmbeddedKubernetes.builder().workDirectory(dir.resolve("cluster")).start();
             SilentApiServer silent = SilentApiServer.start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).workDirectory(dir.resolve("work")).build()) {
            AtomicLong waitStarted = new AtomicLong();
            HealthCheckFailedException e = assertThrows(HealthCheckFailedException.class, () -> helm.install("web")
                    .chart(ChartRef.local(TestCharts.local("sdk-web"))).waitReady(readiness)
                    .onProgress(p -> waitStarted.compareAndSet(0, System.nanoTime()))
                    .healthCheck(HealthChecks.http(silent.url().resolve("/healthz"))).run());
            long tookMs = millisSince(waitStarted.get());

            assertTrue(waitStarted.get() != 0, "the wait for readiness reported progress");
            // The first progress comes once the wait has begun: the wait, check included, ended within the limit from then.
            assertTrue(tookMs < readiness.plus(SLACK).toMillis(),
                    "the check ended " + tookMs + " ms after the wait began, for a readiness limit of " + readiness + ": " + e.getMessage());
            assertTrue(silent.connections() > 0, "the check reached the server");
            assertTrue(e.getMessage().contains("did not answer 2xx"), e.getMessage());
            assertEquals(ReleaseStatus.FAILED, helm.status("web").run().status());
        }
    }

    /** The requests of a change: everything but reads. */
    private static List<String> changesOf(List<RecordedRequest> requests) {
        return requests.stream().filter(r -> !r.method().equals("GET")).map(r -> r.method() + " " + r.path()).toList();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
