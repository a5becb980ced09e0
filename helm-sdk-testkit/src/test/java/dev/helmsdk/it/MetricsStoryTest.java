package dev.helmsdk.it;

import dev.helmsdk.api.AutoRollbackException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.OperationTimeoutException;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.core.SecretWatcher;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.FakeOciRegistry;
import dev.helmsdk.testkit.WorkloadFailure;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import dev.helmsdk.testkit.spi.FakeCredentialProvider;
import dev.helmsdk.testkit.spi.FakeSecretResolver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The meters a manager with the defaults (cluster locks on) records across a release's life: install, upgrade,
 * a failed upgrade undone by the automatic rollback, a chart repository refusing the credentials, a secret that
 * cannot be resolved, a readiness timeout, a rotated secret, uninstall. Names, tags and counts after each step;
 * the README's table of meters is what the story registers (but for takeovers and recoveries, which need a
 * crashed process); and no tag holds a value or a secret. Then what the story cannot show: a registry's token
 * service refusing the credentials, and a release a dead process left pending, recovered.
 */
@EmbeddedKubernetesTest
@org.junit.jupiter.api.Tag("integration")
class MetricsStoryTest {

    private static final ChartRef TESTED = ChartRef.local(TestCharts.local("sdk-tested"));
    private static final String CRASH = "podLabels." + WorkloadFailure.MARKER.replace(".", "\\.");
    private static final String VALUE_CANARY = "value-canary-5813";
    private static final String SECRET_CANARY = "secret-canary-9042";
    private static final String REF = "ref+fake://shop/db#/password";
    private static final String NS = "metrics";

    @Test
    void aReleasesLifeInMeters(EmbeddedKubernetes cluster) throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeSecretResolver secrets = FakeSecretResolver.of("fake").withSecret("shop/db", java.util.Map.of("password", SECRET_CANARY));
        try (FakeChartRepository repo = FakeChartRepository.builder().chart(TestCharts.local("sdk-web")).basicAuth("ci", "old-pw").start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).meterRegistry(registry).secretResolver(secrets)
                     .chartSources(ChartSources.builder().plainHttp(repo.hostAndPort()).indexCacheTtl(Duration.ZERO)
                             .credentials(FakeCredentialProvider.create().withCredentials(repo.url().toString(),
                                     new Credentials.BasicAuth("ci", "old-pw"))).build()).build()) {
            Meters m = new Meters(registry);

            helm.install("shop").inNamespace(NS).createNamespace().chart(TESTED).set("message", REF)
                    .set("extra.keep", VALUE_CANARY).waitReady(Duration.ofMinutes(1)).run();
            assertEquals(1, m.timer("helm.sdk.operations", "operation", "install", "outcome", "success"));
            assertEquals(1, m.timer("helm.sdk.readiness", "operation", "install", "reason", "ready"));
            assertEquals(1, m.timer("helm.sdk.lock.wait", "operation", "install"));
            assertEquals(1, m.timer("helm.sdk.secrets.resolutions", "scheme", "fake", "outcome", "resolved", "reason", "none"));

            helm.upgrade("shop").inNamespace(NS).chart(TESTED).set("message", REF).set("extra.keep", VALUE_CANARY)
                    .waitReady(Duration.ofMinutes(1)).run();
            assertEquals(1, m.timer("helm.sdk.operations", "operation", "upgrade", "outcome", "success"));
            assertEquals(1, m.timer("helm.sdk.readiness", "operation", "upgrade", "reason", "ready"));
            assertEquals(1, m.timer("helm.sdk.lock.wait", "operation", "upgrade"));

            assertThrows(AutoRollbackException.class, () -> helm.upgrade("shop").inNamespace(NS).chart(TESTED).set("message", REF)
                    .set(CRASH, WorkloadFailure.CRASH_LOOP.markerValue()).waitReady(Duration.ofMinutes(1)).rollbackOnFailure().run());
            assertEquals(1, m.timer("helm.sdk.operations", "operation", "upgrade", "outcome", "auto_rollback"));
            assertEquals(1, m.timer("helm.sdk.readiness", "operation", "upgrade", "reason", "crash_loop"));
            assertEquals(1, m.timer("helm.sdk.operations", "operation", "rollback", "outcome", "success"), "the rollback is an operation");
            assertEquals(1, m.timer("helm.sdk.readiness", "operation", "rollback", "reason", "ready"), "and it waits, as the upgrade did");
            assertEquals(1, m.counter("helm.sdk.rollbacks.automatic", "operation", "rollback", "outcome", "success"));
            assertEquals(2, m.timer("helm.sdk.lock.wait", "operation", "upgrade"), "the rollback runs inside the upgrade's lock");

            // A chart from a repository, downloaded, then taken from the archive cache; then the repository's
            // password is rotated and the manager's credentials are refused.
            String host = repo.url().getHost();
            ChartRef remote = ChartRef.repository(repo.url().toString(), "sdk-web", "0.3.0");
            helm.install("remote").inNamespace(NS).chart(remote).run();
            helm.upgrade("remote").inNamespace(NS).chart(remote).run();
            assertEquals(1, m.counter("helm.sdk.chart.fetches", "source", "repository", "host", host, "result", "downloaded"));
            assertEquals(1, m.counter("helm.sdk.chart.fetches", "source", "repository", "host", host, "result", "cached"));
            assertEquals(2, m.timer("helm.sdk.chart.fetch", "source", "repository", "outcome", "success"));
            assertEquals(1, m.functionCounter("helm.sdk.chart.index", "result", "revalidated"), "the index's ETag still held");
            repo.setBasicAuth("ci", "new-pw");
            assertThrows(ChartSourceException.class, () -> helm.upgrade("remote").inNamespace(NS).chart(remote).run());
            assertEquals(1, m.counter("helm.sdk.auth.failures", "host", host, "reason", "unauthorized"));
            assertEquals(1, m.counter("helm.sdk.chart.fetches", "source", "repository", "host", host, "result", "failed"));
            assertEquals(1, m.timer("helm.sdk.chart.fetch", "source", "repository", "outcome", "unauthorized"));
            assertEquals(1, m.timer("helm.sdk.operations", "operation", "upgrade", "outcome", "chart_source"));
            assertEquals(3, m.timer("helm.sdk.lock.wait", "operation", "upgrade"), "refused before the lock");

            secrets.failing(REF, SecretResolutionException.Reason.DENIED);
            assertThrows(SecretResolutionException.class, () -> helm.upgrade("shop").inNamespace(NS).chart(TESTED).set("message", REF).run());
            secrets.healed(REF);
            assertEquals(1, m.timer("helm.sdk.secrets.resolutions", "scheme", "fake", "outcome", "failed", "reason", "denied"));
            assertEquals(1, m.timer("helm.sdk.operations", "operation", "upgrade", "outcome", "secret_resolution"));

            OperationTimeoutException slow = assertThrows(OperationTimeoutException.class, () -> helm.upgrade("shop").inNamespace(NS)
                    .chart(TESTED).set("message", REF).set(CRASH, WorkloadFailure.NEVER_READY.markerValue())
                    .waitReady(Duration.ofSeconds(2)).run());
            assertEquals(1, m.counter("helm.sdk.timeouts", "operation", "upgrade", "phase", "wait"), slow.getMessage());
            assertEquals(1, m.timer("helm.sdk.readiness", "operation", "upgrade", "reason", "timeout"));
            assertEquals(1, m.timer("helm.sdk.operations", "operation", "upgrade", "outcome", "operation_timeout"));

            try (SecretWatcher watcher = SecretWatcher.builder(helm).release("shop", NS).build()) {
                watcher.checkNow();   // the baseline
                assertEquals(0, m.counter("helm.sdk.secrets.rotations"));
                secrets.withSecret("shop/db", java.util.Map.of("password", SECRET_CANARY + "-rotated"));
                assertEquals(1, watcher.checkNow().size());
                assertEquals(1, m.counter("helm.sdk.secrets.rotations"));
            }

            helm.uninstall("shop").inNamespace(NS).run();
            helm.uninstall("remote").inNamespace(NS).run();
            assertEquals(2, m.timer("helm.sdk.operations", "operation", "uninstall", "outcome", "success"));
            assertEquals(2, m.timer("helm.sdk.lock.wait", "operation", "uninstall"));

            for (Meter meter : registry.getMeters()) {
                for (Tag t : meter.getId().getTags()) {
                    for (String canary : new String[]{VALUE_CANARY, SECRET_CANARY, "old-pw", "new-pw", "shop/db", NS, "shop", "sdk-"}) {
                        assertFalse(t.getValue().contains(canary), meter.getId() + " holds " + canary);
                    }
                }
            }
            Set<String> documented = readmeTable();
            documented.removeIf(row -> row.startsWith("helm.sdk.lock.takeovers ") || row.startsWith("helm.sdk.releases.recovered ")
                    || row.startsWith("helm.sdk.reads.cache ")
                    || row.startsWith("helm.sdk.audit.failures "));
            assertEquals(documented, registered(registry), "README's table of meters, but for those that need a crashed process"
                    + " (a recovery: the next test; a takeover: MeterInterceptorTest), a failing audit sink (AuditStoryTest) or a release cache"
                    + " (ReleaseCacheContract)");
        }
    }

    @Test
    void aRegistryRefusingTheTokenAndAStuckReleaseRecovered(EmbeddedKubernetes cluster) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeOciRegistry oci = FakeOciRegistry.builder().tokenAuth("robot", "right-pw").chart(TestCharts.local("sdk-web")).start();
             HelmManager helm = HelmSdk.builder().kubeConfig(cluster.kubeConfigPath()).meterRegistry(registry)
                     .recoverStuckReleases(Duration.ZERO).chartSources(ChartSources.builder().plainHttp(oci.hostAndPort())
                             .credentials(FakeCredentialProvider.create().withCredentials(oci.hostAndPort(),
                                     new Credentials.BasicAuth("robot", "wrong-pw"))).build()).build()) {
            Meters m = new Meters(registry);
            String host = oci.url().getHost();
            assertThrows(ChartSourceException.class, () -> helm.template("t").chart(ChartRef.oci(oci.url() + "/sdk-web", "0.3.0")).run());
            assertEquals(1, m.counter("helm.sdk.auth.failures", "host", host, "reason", "token_exchange"), registry.getMetersAsString());
            assertEquals(1, m.counter("helm.sdk.chart.fetches", "source", "oci", "host", host, "result", "failed"));
            assertEquals(1, m.timer("helm.sdk.operations", "operation", "template", "outcome", "chart_source"));

            helm.install("stuck").inNamespace("metrics-stuck").createNamespace().chart(TESTED).run();
            helm.upgrade("stuck").inNamespace("metrics-stuck").chart(TESTED).set("message", "two").run();
            RealHelmManagerContract.markRecord(cluster.client(), "metrics-stuck", "stuck", 2, ReleaseStatus.PENDING_UPGRADE);
            assertEquals(0, m.counter("helm.sdk.releases.recovered", "stuck_in", "pending_upgrade"));
            assertEquals(3, helm.upgrade("stuck").inNamespace("metrics-stuck").chart(TESTED).set("message", "three").run().revision());
            assertEquals(1, m.counter("helm.sdk.releases.recovered", "stuck_in", "pending_upgrade"));
            assertEquals(3, m.timer("helm.sdk.operations", "operation", "upgrade", "outcome", "success")
                    + m.timer("helm.sdk.operations", "operation", "install", "outcome", "success"));
        }
    }

    /** Counts of one meter with exactly these tags (0 when not registered). */
    private record Meters(SimpleMeterRegistry registry) {
        long timer(String name, String... tags) {
            var t = registry.find(name).tags(tags).timers().stream().filter(x -> x.getId().getTags().size() * 2 == tags.length).toList();
            return t.isEmpty() ? 0 : t.get(0).count();
        }

        double functionCounter(String name, String... tags) {
            var c = registry.find(name).tags(tags).functionCounters().stream().toList();
            return c.isEmpty() ? 0 : c.get(0).count();
        }

        double counter(String name, String... tags) {
            var c = registry.find(name).tags(tags).counters().stream().filter(x -> x.getId().getTags().size() * 2 == tags.length).toList();
            return c.isEmpty() ? 0 : c.get(0).count();
        }
    }

    private static Set<String> registered(SimpleMeterRegistry registry) {
        return registry.getMeters().stream().map(m -> m.getId().getName() + " " + m.getId().getType().name().toLowerCase(Locale.ROOT)
                + " " + m.getId().getTags().stream().map(Tag::getKey).sorted().collect(Collectors.joining(",")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(helm\\.sdk\\.[a-z.]+)` \\| (\\w+) \\| ([^|]+) \\|");

    /** README.md's table under "### Metrics", as {@link #registered}. */
    private static Set<String> readmeTable() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("helm-sdk-testkit"))) {
            root = root.getParent();
        }
        String readme = Files.readString(root.resolve("README.md"));
        String section = readme.substring(readme.indexOf("\n### Metrics\n"));
        Matcher row = ROW.matcher(section.substring(0, section.indexOf("\n## ", 1)));
        Set<String> out = new TreeSet<>();
        while (row.find()) {
            String tags = row.group(3).trim();
            out.add(row.group(1) + " " + row.group(2) + " " + (tags.equals("none") ? "" : Arrays.stream(tags.replace("`", "").split(",\\s*"))
                    .sorted().collect(Collectors.joining(","))));
        }
        return out;
    }
}
