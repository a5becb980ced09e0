package dev.helmsdk.it.sources;

import com.marcnuri.helm.Helm;
import dev.helmsdk.api.ChartNotFoundException;
import dev.helmsdk.api.ChartRef;
import dev.helmsdk.api.ChartSourceException;
import dev.helmsdk.api.ChartSourceException.Reason;
import dev.helmsdk.api.DryRunResult;
import dev.helmsdk.api.HelmManager;
import dev.helmsdk.api.Release;
import dev.helmsdk.api.auth.CredentialProvider;
import dev.helmsdk.api.auth.Credentials;
import dev.helmsdk.auth.CredentialChain;
import dev.helmsdk.auth.KubernetesSecretCredentialProvider;
import dev.helmsdk.auth.StaticCredentialProvider;
import dev.helmsdk.core.ChartSources;
import dev.helmsdk.core.HelmSdk;
import dev.helmsdk.testkit.EmbeddedKubernetes;
import dev.helmsdk.testkit.junit.EmbeddedKubernetesTest;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Installs through the SDK from real private chart sources started by the test (docker-registry,
 * nginx, tinyproxy): the right credentials work, wrong or missing ones fail with a typed error
 * that names the repository and method, and nothing reaches the cluster when they fail.
 */
@EmbeddedKubernetesTest
@Tag("integration")
class PrivateChartSourcesTest {

    private static HelmManager manager(EmbeddedKubernetes cluster, ChartSources sources) {
        return HelmSdk.builder().kubernetesClient(cluster.client()).chartSources(sources).build();
    }

    private static String pem(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CredentialProvider creds(URI repo, Credentials... methods) {
        return StaticCredentialProvider.of(repo, methods);
    }

    /** Nothing of a failed install reached the cluster: no release Secret and no Deployment. */
    private static void assertNothingInstalled(KubernetesClient kube, String ns, String release) {
        assertTrue(kube.secrets().inNamespace(ns).withLabel("name", release).list().getItems().isEmpty(), "no release record");
        assertNull(kube.apps().deployments().inNamespace(ns).withName(release).get(), "no Deployment");
    }

    /** Pushes sdk-web at the given versions to {@code oci://registry/charts} with helm-java (login, push, logout). */
    private static void push(OciRegistryServer registry, Path tmp, String... versions) {
        boolean login = registry.username() != null;
        if (login) {
            Helm.registry().login().withHost(registry.host()).withUsername(registry.username())
                    .withPassword(registry.password()).withCaFile(registry.pki().caCert()).call();
        }
        try {
            for (String v : versions) {
                Path archive = SourceCharts.packageVersion(tmp.resolve("pkg-" + v), v);
                var push = Helm.push().withChart(archive).withRemote(registry.ociUri("charts"));
                if (registry.tls()) {
                    push.withCaFile(registry.pki().caCert()).call();
                } else {
                    push.plainHttp().call();
                }
            }
        } finally {
            if (login) {
                Helm.registry().logout().withHost(registry.host()).call();
            }
        }
    }

    @Test
    void ociRegistryWithHtpasswdOverTls(EmbeddedKubernetes cluster, KubernetesClient kube, @TempDir Path tmp) {
        try (OciRegistryServer registry = OciRegistryServer.startHtpasswdTlsOrSkip("helm-user", "Oci-Right-pw1")) {
            push(registry, tmp, "0.2.0", "0.3.0", "0.4.0-rc.1", "1.0.0");
            URI repo = registry.ociUri("charts");
            String chart = repo + "/" + SourceCharts.NAME;
            Credentials.TrustedCertificates ca = new Credentials.TrustedCertificates(pem(registry.pki().caCert()));

            try (HelmManager helm = manager(cluster, ChartSources.builder()
                    .credentials(creds(repo, new Credentials.BasicAuth("helm-user", "Oci-Right-pw1"), ca)).build())) {
                Release exact = helm.install("oci-exact").inNamespace("oci").createNamespace()
                        .chart(ChartRef.oci(chart, "0.2.0")).run();
                assertEquals("0.2.0", exact.chartVersion());
                // a constraint picks the highest stable match from the registry's tag list
                Release ranged = helm.install("oci-range").inNamespace("oci")
                        .chart(ChartRef.oci(chart, ">=0.2 <1.0")).run();
                assertEquals("0.3.0", ranged.chartVersion(), "0.4.0-rc.1 is a prerelease and 1.0.0 is out of range");
                DryRunResult plan = helm.install("oci-plan").inNamespace("oci").chart(ChartRef.oci(chart, "~0.2 || ^1")).dryRun();
                assertEquals("1.0.0", plan.chartVersion(), "a dry run reports the version the constraint resolved to");
                Release latest = helm.install("oci-latest").inNamespace("oci").chart(ChartRef.oci(chart, null)).run();
                assertEquals("1.0.0", latest.chartVersion());
                assertNotNull(kube.apps().deployments().inNamespace("oci").withName("oci-range").get());

                // Pinned by digest: the manifest is fetched by digest and checked against it.
                String digest = manifestDigest(registry, "charts/" + SourceCharts.NAME, "0.3.0", "helm-user", "Oci-Right-pw1");
                Release pinned = helm.install("oci-pinned").inNamespace("oci").chart(ChartRef.oci(chart + "@" + digest, null)).run();
                assertEquals("0.3.0", pinned.chartVersion());
                assertThrows(ChartNotFoundException.class, () -> helm.install("oci-pinned-absent").inNamespace("oci")
                        .chart(ChartRef.oci(chart + "@sha256:" + "0".repeat(64), null)).run());
                ChartNotFoundException mismatch = assertThrows(ChartNotFoundException.class, () -> helm.install("oci-pinned-other")
                        .inNamespace("oci").chart(ChartRef.oci(chart + "@" + digest, "^1")).run());
                assertTrue(mismatch.getMessage().contains("holds version 0.3.0"), mismatch.getMessage());
                assertNothingInstalled(kube, "oci", "oci-pinned-other");
            }

            try (HelmManager wrong = manager(cluster, ChartSources.builder()
                    .credentials(creds(repo, new Credentials.BasicAuth("helm-user", "Wrong-pw-9"), ca)).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> wrong.install("oci-wrong")
                        .inNamespace("oci").chart(ChartRef.oci(chart, "0.3.0")).run());
                assertEquals(Reason.UNAUTHORIZED, e.reason());
                assertTrue(e.getMessage().contains("rejected the credentials (basic+trusted-certificates from 'explicit')"), e.getMessage());
                assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
                assertFalse(e.getMessage().contains("Wrong-pw-9"), e.getMessage());
                assertNothingInstalled(kube, "oci", "oci-wrong");
            }

            try (HelmManager noCa = manager(cluster, ChartSources.builder()
                    .credentials(creds(repo, new Credentials.BasicAuth("helm-user", "Oci-Right-pw1"))).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> noCa.install("oci-noca")
                        .inNamespace("oci").chart(ChartRef.oci(chart, "0.3.0")).run());
                assertEquals(Reason.TLS, e.reason(), e.getMessage());
                assertNothingInstalled(kube, "oci", "oci-noca");
            }
        }
    }

    /** The digest of a tag's manifest, as the registry reports it ({@code Docker-Content-Digest}). */
    private static String manifestDigest(OciRegistryServer registry, String repository, String tag, String user, String password) {
        try {
            java.net.http.HttpResponse<Void> r = java.net.http.HttpClient.newBuilder().sslContext(registry.pki().trustingContext()).build()
                    .send(java.net.http.HttpRequest.newBuilder(URI.create("https://" + registry.host() + "/v2/" + repository + "/manifests/" + tag))
                            .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                            .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                            .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes()))
                            .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            return r.headers().firstValue("Docker-Content-Digest").orElseThrow(() -> new AssertionError("no digest: " + r));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void ociRegistryWithTokenAuth(EmbeddedKubernetes cluster, KubernetesClient kube, @TempDir Path tmp) {
        try (OciRegistryServer registry = OciRegistryServer.startTokenAuthTlsOrSkip("token-user", "Tok3n-Right")) {
            push(registry, tmp, "0.3.0");
            URI repo = registry.ociUri("charts");
            String chart = repo + "/" + SourceCharts.NAME;
            // The test's token issuer speaks plain HTTP (real ones use https): the test opts in for its host only.
            ChartSources.Builder base = ChartSources.builder().trustedCertificates(registry.pki().caCert())
                    .plainHttp(registry.tokenIssuer().realm().getAuthority());
            long issued = registry.tokenIssuer().tokensIssued();
            try (HelmManager helm = manager(cluster, base.credentials(
                    creds(repo, new Credentials.BasicAuth("token-user", "Tok3n-Right"))).build())) {
                Release r = helm.install("oci-token").inNamespace("tok").createNamespace()
                        .chart(ChartRef.oci(chart, "^0.3")).run();
                assertEquals("0.3.0", r.chartVersion());
                assertTrue(registry.tokenIssuer().tokensIssued() > issued, "the SDK asked the token service for a pull token");
            }
            // An identity token (docker's identitytoken) is refused as a registry token, then exchanged as a refresh token.
            try (HelmManager identity = manager(cluster, base.credentials(
                    creds(repo, new Credentials.BearerToken(registry.tokenIssuer().identityToken()))).build())) {
                Release r = identity.install("oci-identity").inNamespace("tok").chart(ChartRef.oci(chart, "0.3.0")).run();
                assertEquals("0.3.0", r.chartVersion());
            }
            try (HelmManager stale = manager(cluster, base.credentials(
                    creds(repo, new Credentials.BearerToken("idt-revoked"))).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> stale.install("oci-identity-stale")
                        .inNamespace("tok").chart(ChartRef.oci(chart, "0.3.0")).run());
                assertEquals(Reason.UNAUTHORIZED, e.reason());
                assertTrue(e.method().startsWith("bearer"), e.method());
                assertNothingInstalled(kube, "tok", "oci-identity-stale");
            }
            try (HelmManager wrong = manager(cluster, base.credentials(
                    creds(repo, new Credentials.BasicAuth("token-user", "Not-it-5"))).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> wrong.install("oci-token-wrong")
                        .inNamespace("tok").chart(ChartRef.oci(chart, "0.3.0")).run());
                assertEquals(Reason.UNAUTHORIZED, e.reason());
                assertTrue(e.getMessage().contains("registry token service"), e.getMessage());
                assertNothingInstalled(kube, "tok", "oci-token-wrong");
            }
        }
    }

    @Test
    void classicRepositoryWithBasicAuth(EmbeddedKubernetes cluster, KubernetesClient kube) {
        try (NginxChartRepository repo = NginxChartRepository.startBasicAuthOrSkip(true, "repo-user", "Basic-Right-1")) {
            ChartSources.Builder base = ChartSources.builder().trustedCertificates(repo.pki().caCert());
            URI url = repo.uri();
            try (HelmManager helm = manager(cluster, base.credentials(
                    creds(url, new Credentials.BasicAuth("repo-user", "Basic-Right-1"))).build())) {
                Release r = helm.install("basic").inNamespace("classic").createNamespace()
                        .chart(ChartRef.repository(url.toString(), SourceCharts.NAME, "~0.3")).run();
                assertEquals(SourceCharts.VERSION, r.chartVersion());
                assertFalse(helm.lint(ChartRef.repository(url.toString(), SourceCharts.NAME, null)).run().failed(),
                        "a chart from a private repository can be linted as served");
            }
            try (HelmManager wrong = manager(cluster, base.credentials(
                    creds(url, new Credentials.BasicAuth("repo-user", "Basic-Wrong-2"))).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> wrong.install("basic-wrong")
                        .inNamespace("classic").chart(ChartRef.repository(url.toString(), SourceCharts.NAME, null)).run());
                assertEquals(Reason.UNAUTHORIZED, e.reason());
                assertEquals(url, e.repository());
                assertFalse(e.getMessage().contains("Basic-Wrong-2"), e.getMessage());
                assertNothingInstalled(kube, "classic", "basic-wrong");
            }
            // No credentials anywhere: the message lists why each provider had none.
            try (HelmManager none = manager(cluster, base.credentials(CredentialChain.builder().discover(false)
                    .add(creds(URI.create("https://elsewhere.example.com"), new Credentials.BearerToken("unrelated"))).build()).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> none.install("basic-none")
                        .inNamespace("classic").chart(ChartRef.repository(url.toString(), SourceCharts.NAME, null)).run());
                assertEquals(Reason.UNAUTHORIZED, e.reason());
                assertEquals("anonymous", e.method());
                assertTrue(e.getMessage().contains("none were found") && e.getMessage().contains("explicit:"), e.getMessage());
            }
        }
    }

    @Test
    void classicRepositoryWithBearerToken(EmbeddedKubernetes cluster, KubernetesClient kube) {
        try (NginxChartRepository repo = NginxChartRepository.startBearerTokenOrSkip(true, "Repo-Tok3n-Right")) {
            ChartSources.Builder base = ChartSources.builder().trustedCertificates(repo.pki().caCert());
            URI url = repo.uri();
            try (HelmManager helm = manager(cluster, base.credentials(creds(url, new Credentials.BearerToken("Repo-Tok3n-Right"))).build())) {
                Release r = helm.install("bearer").inNamespace("bearer").createNamespace()
                        .chart(ChartRef.repository(url.toString(), SourceCharts.NAME, SourceCharts.VERSION)).run();
                assertEquals(SourceCharts.VERSION, r.chartVersion());
            }
            try (HelmManager wrong = manager(cluster, base.credentials(creds(url, new Credentials.BearerToken("Stale-Tok3n"))).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> wrong.install("bearer-wrong")
                        .inNamespace("bearer").chart(ChartRef.repository(url.toString(), SourceCharts.NAME, null)).run());
                assertEquals(Reason.UNAUTHORIZED, e.reason());
                assertTrue(e.method().startsWith("bearer"), e.method());
                assertNothingInstalled(kube, "bearer", "bearer-wrong");
            }
        }
    }

    @Test
    void classicRepositoryWithMutualTls(EmbeddedKubernetes cluster, KubernetesClient kube, @TempDir Path tmp) {
        try (NginxChartRepository repo = NginxChartRepository.startMutualTlsOrSkip()) {
            TestPki pki = repo.pki();
            URI url = repo.uri();
            Credentials.ClientCertificate client = new Credentials.ClientCertificate(pem(pki.clientCert()), pem(pki.clientKey()));
            ChartSources.Builder base = ChartSources.builder().trustedCertificates(pki.caCert());
            try (HelmManager helm = manager(cluster, base.credentials(creds(url, client)).build())) {
                Release r = helm.install("mtls").inNamespace("mtls").createNamespace()
                        .chart(ChartRef.repository(url.toString(), SourceCharts.NAME, null)).run();
                assertEquals(SourceCharts.VERSION, r.chartVersion());
            }
            try (HelmManager noCert = manager(cluster, base.credentials(CredentialChain.builder().discover(false).build()).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> noCert.install("mtls-none")
                        .inNamespace("mtls").chart(ChartRef.repository(url.toString(), SourceCharts.NAME, null)).run());
                assertEquals(Reason.TLS, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("none was configured"), e.getMessage());
                assertNothingInstalled(kube, "mtls", "mtls-none");
            }
            TestPki stranger = TestPki.generate(tmp.resolve("stranger"), "stranger-ca");
            Credentials.ClientCertificate foreign = new Credentials.ClientCertificate(pem(stranger.clientCert()), pem(stranger.clientKey()));
            try (HelmManager wrongCert = manager(cluster, base.credentials(creds(url, foreign)).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> wrongCert.install("mtls-foreign")
                        .inNamespace("mtls").chart(ChartRef.repository(url.toString(), SourceCharts.NAME, null)).run());
                assertEquals(Reason.TLS, e.reason(), e.getMessage());
                assertNothingInstalled(kube, "mtls", "mtls-foreign");
            }
        }
    }

    @Test
    void classicRepositoryThroughAProxy(EmbeddedKubernetes cluster) {
        try (NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(true);
             ForwardProxy proxy = ForwardProxy.startOrSkip()) {
            URI url = repo.uri();
            ChartRef chart = ChartRef.repository(url.toString(), SourceCharts.NAME, null);
            ChartSources.Builder base = ChartSources.builder().trustedCertificates(repo.pki().caCert()).proxy(proxy.uri());
            try (HelmManager helm = manager(cluster, base.build())) {
                assertEquals(SourceCharts.VERSION, helm.install("via-proxy").inNamespace("proxy").createNamespace().chart(chart).run().chartVersion());
            }
            String log = proxy.log();
            assertTrue(log.contains("CONNECT") && log.contains("127.0.0.1:" + repo.port()), "the proxy tunnelled the request: " + proxy.logTail(20));
            int before = log.length();
            try (HelmManager direct = manager(cluster, base.noProxy("127.0.0.1").build())) {
                assertEquals(SourceCharts.VERSION, direct.install("no-proxy").inNamespace("proxy").chart(chart).run().chartVersion());
            }
            assertFalse(proxy.log().substring(before).contains("127.0.0.1:" + repo.port()), "NO_PROXY bypassed the proxy: " + proxy.logTail(20));
        }
    }

    @Test
    void insecureModeIsAnExplicitOptInThatWarnsAndPlainHttpGoesThroughTheProxyToo(EmbeddedKubernetes cluster) {
        try (NginxChartRepository tls = NginxChartRepository.startOpenOrSkip(true);
             NginxChartRepository plain = NginxChartRepository.startOpenOrSkip(false);
             ForwardProxy proxy = ForwardProxy.startOrSkip()) {
            ChartRef chart = ChartRef.repository(tls.uri().toString(), SourceCharts.NAME, null);
            try (HelmManager verifying = manager(cluster, ChartSources.builder().build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class, () -> verifying.template("t").chart(chart).run());
                assertEquals(Reason.TLS, e.reason(), "verification is on by default: " + e.getMessage());
            }
            java.io.PrintStream original = System.err;
            java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            try (HelmManager insecure = manager(cluster, ChartSources.builder().insecureSkipTlsVerify("127.0.0.1:" + tls.port()).build())) {
                assertFalse(insecure.template("t").chart(chart).run().resources().isEmpty());
            } finally {
                System.setErr(original);
            }
            String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(log.contains("WARN") && log.contains("TLS certificate verification is OFF for 127.0.0.1:" + tls.port()), log);

            // A plain-HTTP repository behind the proxy: the request goes to the proxy in absolute form, not via CONNECT.
            int before = proxy.log().length();
            try (HelmManager viaProxy = manager(cluster, ChartSources.builder().plainHttp("127.0.0.1:" + plain.port())
                    .proxy(proxy.uri()).build())) {
                assertFalse(viaProxy.template("t").chart(ChartRef.repository(plain.uri().toString(), SourceCharts.NAME, null)).run()
                        .resources().isEmpty());
            }
            String proxied = proxy.log().substring(before);
            assertTrue(proxied.contains("http://127.0.0.1:" + plain.port() + "/index.yaml"), "the proxy forwarded it: " + proxy.logTail(20));
        }
    }

    @Test
    void proxyWithCredentials(EmbeddedKubernetes cluster, KubernetesClient kube) {
        try (NginxChartRepository repo = NginxChartRepository.startOpenOrSkip(true);
             ForwardProxy proxy = ForwardProxy.startWithAuthOrSkip("proxy-user", "Proxy-Right-3")) {
            URI url = repo.uri();
            ChartRef chart = ChartRef.repository(url.toString(), SourceCharts.NAME, null);
            ChartSources.Builder base = ChartSources.builder().trustedCertificates(repo.pki().caCert()).proxy(proxy.uri());
            try (HelmManager helm = manager(cluster, base.proxyCredentials("proxy-user", "Proxy-Right-3").build())) {
                assertEquals(SourceCharts.VERSION, helm.install("proxy-auth").inNamespace("pauth").createNamespace().chart(chart).run().chartVersion());
            }
            try (HelmManager wrong = manager(cluster, base.proxyCredentials("proxy-user", "Proxy-Wrong-4").build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class,
                        () -> wrong.install("proxy-wrong").inNamespace("pauth").chart(chart).run());
                assertEquals(Reason.PROXY, e.reason(), e.getMessage());
                assertFalse(e.getMessage().contains("Proxy-Wrong-4"), e.getMessage());
                assertNothingInstalled(kube, "pauth", "proxy-wrong");
            }
            try (HelmManager none = manager(cluster, ChartSources.builder().trustedCertificates(repo.pki().caCert()).proxy(proxy.uri()).build())) {
                ChartSourceException e = assertThrows(ChartSourceException.class,
                        () -> none.install("proxy-none").inNamespace("pauth").chart(chart).run());
                assertEquals(Reason.PROXY, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("no proxy credentials configured"), e.getMessage());
            }
        }
    }

    @Test
    void rotatedKubernetesSecretIsUsedByTheNextOperation(EmbeddedKubernetes cluster, KubernetesClient kube) {
        try (NginxChartRepository repo = NginxChartRepository.startBasicAuthOrSkip(true, "rot-user", "First-pw-1")) {
            URI url = repo.uri();
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("creds").endMetadata().build()).create();
            writeBasicAuthSecret(kube, "rot-user", "First-pw-1");
            CredentialChain chain = CredentialChain.builder().discover(false)
                    .add(KubernetesSecretCredentialProvider.builder(kube).secret(url, "creds", "repo-login").build()).build();
            ChartRef chart = ChartRef.repository(url.toString(), SourceCharts.NAME, null);
            // TTL zero: the index is revalidated every time, so every operation presents the current credentials.
            try (HelmManager helm = manager(cluster, ChartSources.builder().trustedCertificates(repo.pki().caCert())
                    .credentials(chain).indexCacheTtl(java.time.Duration.ZERO).build())) {
                helm.install("rot").inNamespace("rot").createNamespace().chart(chart).run();

                repo.changePassword("Second-pw-2");
                writeBasicAuthSecret(kube, "rot-user", "Second-pw-2");
                Release r = helm.upgrade("rot").inNamespace("rot").chart(chart).run();
                assertEquals(2, r.revision(), "the rotated Secret was used without restarting anything");

                writeBasicAuthSecret(kube, "rot-user", "First-pw-1");
                ChartSourceException e = assertThrows(ChartSourceException.class,
                        () -> helm.upgrade("rot").inNamespace("rot").chart(chart).run());
                assertEquals(Reason.UNAUTHORIZED, e.reason());
                assertTrue(e.method().contains("kubernetes-secret"), e.method());
                assertEquals(2, helm.status("rot").inNamespace("rot").run().revision(), "the release was not touched");
            }
        }
    }

    private static void writeBasicAuthSecret(KubernetesClient kube, String user, String password) {
        kube.secrets().inNamespace("creds").resource(new SecretBuilder().withNewMetadata().withName("repo-login")
                .withNamespace("creds").endMetadata().withType("kubernetes.io/basic-auth")
                .withStringData(Map.of("username", user, "password", password)).build()).createOr(NonDeletingOperation::update);
    }
}
