package dev.helmsdk.it;

import dev.helmsdk.testkit.internal.charts.ChartArchiveSamples;
import dev.helmsdk.testkit.internal.charts.FakeSources;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.ReleaseStatus;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.FakeOciRegistry;
import dev.helmsdk.testkit.RecordedRequest;
import dev.helmsdk.testkit.internal.charts.ChartArchiveSamples.Kind;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every hostile archive kind from every source, through the public API with the defaults (cluster
 * locks on): refused with the typed error, naming the input as the user gave it and the reason,
 * before any request reaches the cluster (no Lease, no release Secret), and nothing of it left in
 * the chart cache. Legitimate archives (PAX and GNU long names, podinfo as Helm packages it) from
 * every source still install.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class HostileArchivesTest {

    enum Source { LOCAL, REPOSITORY, OCI }

    private static Path samples;
    private static FakeChartRepository repository;
    private static FakeOciRegistry registry;

    @BeforeAll
    static void serve() throws IOException {
        samples = Files.createTempDirectory("helm-sdk-hostile-archives-");
        FakeChartRepository.Builder repo = FakeChartRepository.builder();
        FakeOciRegistry.Builder oci = FakeOciRegistry.builder();
        for (Kind kind : Kind.values()) {
            Path archive = ChartArchiveSamples.write(kind, samples);
            repo.chart(archive);
            oci.chart(archive);
        }
        Path podinfo = FakeChartRepository.packageChart(TestCharts.podinfo(), "1.0.0", Files.createDirectories(samples.resolve("podinfo")));
        repository = repo.chart(podinfo).start();
        registry = oci.chart(podinfo).start();
    }

    @AfterAll
    static void stop() {
        if (repository != null) {
            repository.close();
        }
        if (registry != null) {
            registry.close();
        }
        FakeSources.deleteTree(samples);
    }

    static Stream<Arguments> hostile() {
        return Arrays.stream(Source.values()).flatMap(s -> Arrays.stream(Kind.values()).filter(Kind::hostile).map(k -> Arguments.of(s, k)));
    }

    private static HelmManager manager(EmbeddedKubernetes cluster, Path workDir) {
        return HelmSdk.builder().kubernetesClient(cluster.client()).workDirectory(workDir)
                .chartSources(ChartSources.builder().plainHttp(repository.hostAndPort(), registry.hostAndPort()).build()).build();
    }

    private static ChartRef ref(Source source, String chart) {
        return switch (source) {
            case LOCAL -> ChartRef.archive(chart.equals("podinfo") ? samples.resolve("podinfo/podinfo-1.0.0.tgz") : samples.resolve(chart + "-1.0.0.tgz"));
            case REPOSITORY -> ChartRef.repository(repository.url().toString(), chart, "1.0.0");
            case OCI -> ChartRef.oci("oci://" + registry.hostAndPort() + "/charts/" + chart, "1.0.0");
        };
    }

    private static String release(Source source, String chart) {
        return source.name().toLowerCase(Locale.ROOT) + "-" + chart;
    }

    @ParameterizedTest(name = "{1} from {0}")
    @MethodSource("hostile")
    void aHostileArchiveIsRefusedBeforeTheClusterIsTouched(Source source, Kind kind, EmbeddedKubernetes cluster, KubernetesClient kube)
            throws IOException {
        Path workDir = Files.createTempDirectory("helm-sdk-hostile-work-");
        String release = release(source, kind.chartName());
        ChartRef chart = ref(source, kind.chartName());
        try (HelmManager helm = manager(cluster, workDir)) {
            cluster.clearRequests();
            HelmSdkException e = assertThrows(HelmSdkException.class, () -> helm.install(release).inNamespace("default").chart(chart).run());
            List<RecordedRequest> sent = cluster.requests();

            String message = e.getMessage();
            if (source == Source.LOCAL) {
                assertEquals(InvalidRequestException.class, e.getClass(), message);
            } else {
                assertEquals(ChartSourceException.class, e.getClass(), message);
                assertEquals(ChartSourceException.Reason.INVALID_CONTENT, ((ChartSourceException) e).reason(), message);
            }
            assertTrue(message.contains(chart.describe()), "names the input " + chart.describe() + ": " + message);
            assertTrue(message.contains(ChartArchivesTest.reason(kind)), "says why: " + message);
            assertFalse(message.contains(workDir.toString()) || message.contains("sha256-"), "names no cache file: " + message);

            assertEquals(List.of(), sent, "no request reached the cluster (no Lease, no release record)");
            assertTrue(kube.secrets().inNamespace("default").withLabel("name", release).list().getItems().isEmpty(), "no release Secret");
            assertTrue(kube.leases().inNamespace("default").list().getItems().stream()
                    .noneMatch(l -> l.getMetadata().getName().contains(release)), "no Lease");
            try (Stream<Path> files = Files.walk(workDir)) {
                List<Path> archives = files.filter(f -> f.toString().endsWith(".tgz") || f.toString().endsWith(".part")).toList();
                assertEquals(List.of(), archives, "nothing of the refused archive stays in the cache");
            }
        } finally {
            FakeSources.deleteTree(workDir);
        }
    }

    @ParameterizedTest(name = "legitimate archives from {0}")
    @EnumSource(Source.class)
    void legitimateArchivesStillInstall(Source source, EmbeddedKubernetes cluster, KubernetesClient kube) throws IOException {
        Path workDir = Files.createTempDirectory("helm-sdk-legit-work-");
        try (HelmManager helm = manager(cluster, workDir)) {
            for (Kind kind : List.of(Kind.PAX_LONG_NAMES, Kind.GNU_LONG_NAMES)) {
                String release = release(source, kind.chartName());
                Release r = helm.install(release).inNamespace("default").chart(ref(source, kind.chartName())).run();
                assertEquals(ReleaseStatus.DEPLOYED, r.status());
                assertNotNull(kube.configMaps().inNamespace("default").withName(ChartArchiveSamples.configMapName(kind)).get(),
                        "Helm read the file with the long name");
                helm.uninstall(release).inNamespace("default").run();
            }
            String release = release(source, "podinfo");
            Release r = helm.install(release).inNamespace("default").chart(ref(source, "podinfo")).run();
            assertEquals(ReleaseStatus.DEPLOYED, r.status());
            assertEquals("podinfo", r.chartName());
            assertNotNull(kube.apps().deployments().inNamespace("default").withName(release).get(), "podinfo's Deployment was created");
            helm.uninstall(release).inNamespace("default").run();
        } finally {
            FakeSources.deleteTree(workDir);
        }
    }
}
