package dev.helmsdk.it;

import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.FakeChartRepository;
import dev.helmsdk.testkit.FakeOciRegistry;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SDK against the testkit's {@link FakeOciRegistry}: token flow, paginated tags, '+' in versions, digests, rotation. */
@EmbeddedKubernetesTest
@Tag("integration")
class FakeOciRegistryTest {

    private static final Path WEB = TestCharts.local("sdk-web");

    private static HelmManager manager(EmbeddedKubernetes cluster, FakeOciRegistry registry, CredentialProvider credentials) {
        return HelmSdk.builder().kubernetesClient(cluster.client()).chartSources(ChartSources.builder()
                .plainHttp(registry.hostAndPort()).credentials(credentials).build()).build();
    }

    @Test
    void tokenFlowPaginatedTagsAndBuildMetadata(EmbeddedKubernetes cluster) {
        try (FakeOciRegistry registry = FakeOciRegistry.builder().tokenAuth("robot", "first-pw").tagPageSize(2)
                .chart(WEB, "0.1.0").chart(WEB, "0.2.0").chart(WEB, "0.3.0-rc.1").chart(WEB, "1.0.0").chart(WEB, "1.1.0+build.7")
                .start()) {
            String chart = registry.url() + "/sdk-web";
            try (HelmManager helm = manager(cluster, registry, StaticCredentialProvider.of(registry.url(),
                    new Credentials.BasicAuth("robot", "first-pw")))) {
                assertEquals("1.1.0+build.7", helm.install("latest").inNamespace("oci").createNamespace()
                        .chart(ChartRef.oci(chart, null)).run().chartVersion(), "'+' is stored as '_' in the tag and read back");
                assertTrue(registry.requests().stream().filter(r -> r.path().contains("/tags/list")).count() >= 3,
                        "the tag list was read page by page: " + registry.requests());
                assertTrue(registry.requests().stream().anyMatch(r -> r.path().startsWith("/token?") && r.status() == 200), "a token was issued");
                assertEquals("0.2.0", helm.install("below-one").inNamespace("oci").chart(ChartRef.oci(chart, "<1")).run().chartVersion());
                String digest = registry.manifestDigest("sdk-web", "1.0.0");
                assertEquals("1.0.0", helm.install("pinned").inNamespace("oci").chart(ChartRef.oci(chart + "@" + digest, null)).run()
                        .chartVersion());

                registry.setCredentials("robot", "second-pw");
                ChartSourceException e = assertThrows(ChartSourceException.class,
                        () -> helm.upgrade("below-one").inNamespace("oci").chart(ChartRef.oci(chart, "<1")).run());
                assertEquals(ChartSourceException.Reason.UNAUTHORIZED, e.reason());
            }
            try (HelmManager rotated = manager(cluster, registry, StaticCredentialProvider.of(registry.url(),
                    new Credentials.BasicAuth("robot", "second-pw")))) {
                assertEquals(2, rotated.upgrade("below-one").inNamespace("oci").chart(ChartRef.oci(chart, "<1")).run().revision());
            }
        }
    }

    @Test
    void basicAuthRegistryRefusesWrongCredentials(EmbeddedKubernetes cluster) {
        try (FakeOciRegistry registry = FakeOciRegistry.builder().basicAuth("robot", "right-pw").chart(WEB).start()) {
            String chart = registry.url() + "/sdk-web";
            try (HelmManager wrong = manager(cluster, registry, StaticCredentialProvider.of(registry.url(),
                    new Credentials.BasicAuth("robot", "wrong-pw")))) {
                ChartSourceException e = assertThrows(ChartSourceException.class,
                        () -> wrong.template("t").chart(ChartRef.oci(chart, "0.3.0")).run());
                assertEquals(ChartSourceException.Reason.UNAUTHORIZED, e.reason());
            }
            try (HelmManager right = manager(cluster, registry, StaticCredentialProvider.of(registry.url(),
                    new Credentials.BasicAuth("robot", "right-pw")))) {
                assertTrue(right.template("t").chart(ChartRef.oci(chart, "0.3.0")).run().find("Deployment", "t").isPresent());
            }
        }
    }

    @Test
    void overTlsTheFakesAreTrustedThroughTheirCa(EmbeddedKubernetes cluster) {
        try (FakeOciRegistry registry = FakeOciRegistry.builder().tls().tokenAuth("robot", "pw-1").chart(WEB).start();
             FakeChartRepository repo = FakeChartRepository.builder().tls().bearerToken("tok-1").chart(WEB).start()) {
            CredentialProvider credentials = StaticCredentialProvider.builder()
                    .add(registry.url(), new Credentials.BasicAuth("robot", "pw-1"))
                    .add(repo.url(), new Credentials.BearerToken("tok-1")).build();
            ChartRef fromRegistry = ChartRef.oci(registry.url() + "/sdk-web", null);
            ChartRef fromRepo = ChartRef.repository(repo.url().toString(), "sdk-web", null);
            try (HelmManager trusting = HelmSdk.builder().kubernetesClient(cluster.client()).chartSources(ChartSources.builder()
                    .credentials(credentials).trustedCertificatesPem(registry.caCertificatePem()).build()).build()) {
                assertTrue(trusting.template("t").chart(fromRegistry).run().find("Deployment", "t").isPresent());
                assertTrue(trusting.template("t").chart(fromRepo).run().find("Deployment", "t").isPresent());
            }
            try (HelmManager untrusting = HelmSdk.builder().kubernetesClient(cluster.client()).chartSources(ChartSources.builder()
                    .credentials(credentials).build()).build()) {
                assertEquals(ChartSourceException.Reason.TLS, assertThrows(ChartSourceException.class,
                        () -> untrusting.template("t").chart(fromRegistry).run()).reason());
                assertEquals(ChartSourceException.Reason.TLS, assertThrows(ChartSourceException.class,
                        () -> untrusting.template("t").chart(fromRepo).run()).reason());
            }
        }
    }

    @Test
    void duringARegistryOutageWhatWasFetchedStillDeploys(EmbeddedKubernetes cluster) {
        try (FakeOciRegistry registry = FakeOciRegistry.builder().basicAuth("robot", "pw").chart(WEB, "1.0.0").chart(WEB, "1.1.0").start();
             HelmManager helm = manager(cluster, registry, StaticCredentialProvider.of(registry.url(), new Credentials.BasicAuth("robot", "pw")))) {
            String chart = registry.url() + "/sdk-web";
            helm.install("steady").inNamespace("outage").createNamespace().chart(ChartRef.oci(chart, "~1.1")).run();
            registry.startOutage(503);
            assertEquals("1.1.0", helm.upgrade("steady").inNamespace("outage").chart(ChartRef.oci(chart, "~1.1")).run().chartVersion(),
                    "the last tag list and manifest, and the cached layer, carry the upgrade");
            ChartSourceException never = assertThrows(ChartSourceException.class,
                    () -> helm.upgrade("steady").inNamespace("outage").chart(ChartRef.oci(chart, "1.0.0")).run());
            assertEquals(ChartSourceException.Reason.SERVER_ERROR, never.reason(), "a version never fetched cannot be had");
            assertTrue(never.retryable());
        }
    }
}
